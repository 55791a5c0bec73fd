/**
 * Registered token-endpoint error codes, kept as the provider sent them: RFC 6749 §5.2's six, then
 * `invalid_target` (RFC 8707 §2, RFC 8693 §2.2.2: a resource or audience refused),
 * `invalid_authorization_details` (RFC 9396 §5) and DPoP's `invalid_dpop_proof`, `use_dpop_nonce` (RFC 9449).
 */
export const OAUTH_ERROR_CODES = [
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
] as const;

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
  readonly code: TokenErrorCode;
  readonly status: number | undefined;
  readonly provider: string | undefined;
  readonly retryable: boolean;
  readonly retryAfter: number | undefined;
  /** The upstream's own error code (an RFC 6749 `error`, a provider's code, the mint Worker's problem code). */
  readonly upstreamCode: string | undefined;

  constructor(code: TokenErrorCode, message: string, options: TokenErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.provider = options.provider;
    this.retryable = options.retryable ?? false;
    this.retryAfter = options.retryAfter;
    this.upstreamCode = options.upstreamCode;
  }
}

/** A `config` error for one option: thrown at construction, before any request. */
export function configError(provider: string, field: string, problem: string): TokenError {
  return new TokenError('config', `${provider}: option "${field}" ${problem}`, { provider });
}

/**
 * Replaces every occurrence of the given secrets with `[redacted]`, also in the spellings they travel
 * in: percent-encoded and form-urlencoded (`+` for space). Callers add encoded credentials, such as a
 * Basic header's base64, to the list themselves.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue; // too short to be told apart from ordinary words
    const forms = [secret, encodeURIComponent(secret), new URLSearchParams({ v: secret }).toString().slice(2)];
    for (const form of forms) out = out.split(form).join('[redacted]');
  }
  return out;
}
