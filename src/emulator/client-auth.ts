// Building blocks of an emulated OAuth 2 token endpoint: client authentication and single-use codes.
// Open Banking and CyberSource use them; a generic OAuth 2 endpoint or the next connectors can too.
import type { ClientAuthMethod } from '../core/index.js';
import { hasMediaType, randomToken } from './respond.js';
import type { RecordedRequest } from './types.js';

/**
 * The authenticated client id, or undefined when the credentials are missing, wrong, or sent by a
 * method the endpoint does not take. Basic credentials are form-decoded (RFC 6749 §2.3.1).
 */
export function authenticateClient(
  request: RecordedRequest,
  form: URLSearchParams,
  clients: Readonly<Record<string, string>>,
  methods: readonly ClientAuthMethod[],
): string | undefined {
  const header = request.headers.authorization;
  let id: string | undefined;
  let secret: string | undefined;
  if (header !== undefined && /^basic /i.test(header)) {
    if (!methods.includes('client_secret_basic')) return undefined;
    try {
      const [rawId = '', rawSecret = ''] = atob(header.slice(6).trim()).split(':');
      const decode = (value: string): string => decodeURIComponent(value.replace(/\+/g, ' '));
      id = decode(rawId);
      secret = decode(rawSecret);
    } catch {
      return undefined;
    }
  } else if (form.has('client_secret')) {
    if (!methods.includes('client_secret_post')) return undefined;
    id = form.get('client_id') ?? undefined;
    secret = form.get('client_secret') ?? undefined;
  }
  return id !== undefined && Object.hasOwn(clients, id) && clients[id] === secret ? id : undefined;
}

/** Why a code was refused, as the `error_description` says it. */
export type CodeRefusal = 'unknown' | 'used' | 'expired';

/** Authorization codes: single use, valid `lifetime` ms from issue, each bound to what it authorised. */
export class CodeBook<Binding> {
  readonly #codes = new Map<string, { binding: Binding; expiresAt: number; used: boolean }>();
  readonly #lifetime: number;

  constructor(lifetime: number) {
    this.#lifetime = lifetime;
  }

  issue(binding: Binding, now: number): string {
    const code = randomToken('code');
    this.#codes.set(code, { binding, expiresAt: now + this.#lifetime, used: false });
    return code;
  }

  /** Spends the code (even when refused as expired: a code is never tried twice). */
  redeem(code: string, now: number): { binding: Binding } | { refused: CodeRefusal } {
    const entry = this.#codes.get(code);
    if (entry === undefined) return { refused: 'unknown' };
    if (entry.used) return { refused: 'used' };
    entry.used = true;
    return now >= entry.expiresAt ? { refused: 'expired' } : { binding: entry.binding };
  }

  clear(): void {
    this.#codes.clear();
  }
}

export const CODE_REFUSALS: Readonly<Record<CodeRefusal, string>> = {
  unknown: 'authorization code is invalid',
  used: 'authorization code has already been used',
  expired: 'authorization code has expired',
};

/** Why a client credentials request was refused by the checks every such endpoint makes. */
export type ClientCredentialsRefusal = 'method' | 'content_type' | 'client' | 'grant_type';

/**
 * The checks every emulated client credentials endpoint makes, in the order servers make them: POST,
 * a form body, an authenticated client (by the given methods), `grant_type=client_credentials`. Each
 * emulator answers a refusal in its provider's own error shape, and checks the rest (scope…) itself.
 */
export function checkClientCredentials(
  request: RecordedRequest,
  clients: Readonly<Record<string, string>>,
  methods: readonly ClientAuthMethod[],
): { clientId: string; form: URLSearchParams } | { refused: ClientCredentialsRefusal } {
  if (request.method !== 'POST') return { refused: 'method' };
  if (!hasMediaType(request.headers['content-type'], 'application/x-www-form-urlencoded')) return { refused: 'content_type' };
  const form = new URLSearchParams(request.body);
  const clientId = authenticateClient(request, form, clients, methods);
  if (clientId === undefined) return { refused: 'client' };
  if (form.get('grant_type') !== 'client_credentials') return { refused: 'grant_type' };
  return { clientId, form };
}
