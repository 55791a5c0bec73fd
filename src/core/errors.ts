/**
 * Registered token-endpoint error codes, kept as the provider sent them: RFC 6749 §5.2's six, then
 * `invalid_target` (RFC 8707 §2, RFC 8693 §2.2.2: a resource or audience refused),
 * `invalid_authorization_details` (RFC 9396 §5) and DPoP's `invalid_dpop_proof`, `use_dpop_nonce` (RFC 9449).
 */
export const OAUTH_ERROR_CODES = /* @__PURE__ */ (
  'invalid_request invalid_client invalid_grant unauthorized_client unsupported_grant_type invalid_scope invalid_target invalid_authorization_details invalid_dpop_proof use_dpop_nonce'.split(' ') as readonly string[]
) as readonly [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'invalid_target',
  'invalid_authorization_details',
  'invalid_dpop_proof',
  'use_dpop_nonce',
];

/** Every `TokenError.code`. Stable: match on these, not on messages. */
export type TokenErrorCode =
  | (typeof OAUTH_ERROR_CODES)[number]
  /** The network failed (DNS, connection reset, TLS…). */
  | 'network'
  /** An attempt took longer than the timeout. */
  | 'timeout'
  /** 429 from upstream; see `retryAfter`. */
  | 'rate_limited'
  /** The upstream answered something that is not a valid token response. */
  | 'invalid_response'
  /** The upstream failed (5xx, or an error it did not classify). */
  | 'upstream_error'
  /** Bad options, found before any request. */
  | 'config'
  /** The store was disposed or the caller aborted. */
  | 'aborted';

export interface TokenErrorOptions {
  status?: number;
  provider?: string;
  retryable?: boolean;
  /** Seconds the upstream asked us to wait. */
  retryAfter?: number;
  /** The upstream's own error code, as it said it (redacted), e.g. `credentials_invalid`. */
  upstreamCode?: string;
  cause?: unknown;
}

/**
 * The one error type tokenmint throws. Messages name the provider and what went wrong, and are
 * built so that no secret or token can appear in them (see `redact`).
 */
export class TokenError extends Error {
  override readonly name: string = 'TokenError';
  declare readonly code: TokenErrorCode;
  declare readonly status: number | undefined;
  declare readonly provider: string | undefined;
  declare readonly retryable: boolean;
  declare readonly retryAfter: number | undefined;
  /** The upstream's own error code (an RFC 6749 `error`, a provider's code, the mint Worker's problem code). */
  declare readonly upstreamCode: string | undefined;

  constructor(code: TokenErrorCode, message: string, { status, provider, retryable = false, retryAfter, upstreamCode, cause }: TokenErrorOptions = {}) {
    super(message, cause === undefined ? undefined : { cause });
    Object.assign(this, { code, status, provider, retryable, retryAfter, upstreamCode });
  }
}

/** A `config` error for one option: thrown at construction, before any request. */
export function configError(provider: string, field: string, problem: string): TokenError {
  return new TokenError('config', `${provider}: option "${field}" ${problem}`, { provider });
}

// HTML's named entities for the characters it escapes; every character also has its numeric forms.
const ENTITIES: Record<string, string> = { '"': 'quot', '&': 'amp', "'": 'apos', '<': 'lt', '>': 'gt' };
const hex = (n: number): string => n.toString(16);

/**
 * A pattern for `secret` in every spelling it can travel or come back in, character by character (so
 * spellings mixed within one secret match too): raw; percent-encoded in either hex case, `+` for a space
 * (form-urlencoded, URLs); JSON-escaped, once or nested (`\"`, `\\`, `\/`, `\n`, `\u0022`); HTML-escaped
 * (`&quot;`, `&#34;`, `&#x22;`, `&amp;quot;`). Case-insensitive: over-redacting a look-alike is harmless.
 */
function spellingPattern(secret: string): RegExp {
  const literal = (text: string): string => text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
  let pattern = '';
  for (const char of secret) {
    const code = char.codePointAt(0)!;
    const json = JSON.stringify(char); // `"\n"`, `"\""`: a short escape is 4 characters long
    let units = '';
    for (let i = 0; i < char.length; i++) units += `\\\\+u0*${hex(char.charCodeAt(i))}`;
    let bytes = '';
    for (const byte of new TextEncoder().encode(char)) bytes += `%0*${hex(byte)}`;
    pattern += `(?:${literal(char)}|${bytes}|${units}|\\\\+${literal(json.length === 4 ? json[2]! : char)}|&(?:amp;)*(?:#0*${code}|#x0*${hex(code)}|${ENTITIES[char] ?? '_'});${char === ' ' ? '|\\+' : ''})`;
  }
  return new RegExp(pattern, 'gi');
}

/**
 * Replaces every occurrence of the given secrets with `[redacted]`, in every spelling the library sends
 * a secret in and the ones an upstream may echo it back in (see `spellingPattern`). Callers add encoded
 * credentials, such as a Basic header's base64, to the list themselves.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.replace(spellingPattern(secret), '[redacted]'); // shorter ones cannot be told apart from ordinary words
  }
  return out;
}

/**
 * `error` as a `cause`: kept as it is, unless some text in it (any own field, the cause chain included)
 * quotes a secret — a runtime's fetch may quote a header value it refused — then an `Error` of the same
 * name with its message redacted stands in for it.
 */
export function safeCause(error: unknown, secrets: readonly string[] = []): unknown {
  let leaks = false;
  const seen = new Set<unknown>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') leaks ||= redact(value, secrets) !== value;
    else if (typeof value === 'object' && value !== null && !seen.has(value)) {
      seen.add(value);
      for (const key of Object.getOwnPropertyNames(value)) {
        try {
          walk((value as Record<string, unknown>)[key]);
        } catch {
          // a throwing getter holds nothing to leak
        }
      }
    }
  };
  walk(error);
  if (!leaks) return error;
  const { name = 'Error', message = error } = error instanceof Error ? error : {};
  return Object.assign(new Error(redact(String(message), secrets)), { name });
}
