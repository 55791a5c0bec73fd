// The API surface every emulated provider shares: `<prefix>/echo`, which answers only a request
// carrying a token this emulator issued for that provider and that has not expired, and reports what
// it received (method, path, query, headers, body) so tests can see exactly what a proxy forwarded.
// The token itself is never echoed: a proxy would hand it to the page.
import { json } from './respond.js';
import type { RecordedRequest } from './types.js';

export const ECHO_PATH = '/echo';

// When a token response states no lifetime the emulator can read, it is honoured for an hour.
const DEFAULT_LIFETIME_MS = 3_600_000;

type Json = Record<string, unknown>;

const asObject = (value: unknown): Json | undefined => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined);

/** The `exp` of a JWT-shaped token, in epoch ms. */
function jwtExpiry(token: string): number | undefined {
  const payload = token.split(' ').at(-1)?.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const exp = asObject(JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))))?.exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** Token and expiry of a token endpoint's success body, in any of the shapes the emulated providers use. */
function issuedToken(body: Json, now: number): { token: string; expiresAt: number } | undefined {
  const data = asObject(body.data);
  const token = [body.access_token, body.token, data?.token].find((value): value is string => typeof value === 'string' && value !== '');
  if (token === undefined) return undefined;
  const seconds = [body.expires_in, body.seconds_to_expire].find((value): value is number => typeof value === 'number');
  const at = typeof body.expires_at === 'string' ? Date.parse(body.expires_at) : typeof data?.expires === 'number' ? data.expires * 1000 : Number.NaN;
  const expiresAt = seconds !== undefined ? now + seconds * 1000 : !Number.isNaN(at) ? at : (jwtExpiry(token) ?? now + DEFAULT_LIFETIME_MS);
  return { token, expiresAt };
}

/** Every token the emulator issued, per provider, with its expiry: what `/echo` accepts. */
export class IssuedTokens {
  readonly #tokens = new Map<string, { provider: string; expiresAt: number }>();
  /** Size after the last sweep: expired tokens are swept once the map has doubled since (amortised O(1)). */
  #swept = 0;

  /** Notes the token of a successful token response (other responses are ignored). */
  async note(provider: string, response: Response, now: number): Promise<void> {
    if (response.status !== 200 && response.status !== 201) return;
    if (!response.headers.get('content-type')?.includes('json')) return;
    const body = asObject(await response.clone().json().catch(() => undefined));
    const issued = body === undefined ? undefined : issuedToken(body, now);
    if (issued === undefined) return;
    this.#tokens.set(issued.token, { provider, expiresAt: issued.expiresAt });
    // An emulator serving a long soak issues tokens without end: keep only the live ones.
    if (this.#tokens.size > Math.max(64, 2 * this.#swept)) {
      for (const [token, entry] of this.#tokens) if (now >= entry.expiresAt) this.#tokens.delete(token);
      this.#swept = this.#tokens.size;
    }
  }

  /** Is `authorization` (`Bearer <token>`, or the provider's own scheme) a live token of `provider`? */
  accepts(provider: string, authorization: string | undefined, now: number): boolean {
    if (authorization === undefined) return false;
    const candidates = [authorization, authorization.slice(authorization.indexOf(' ') + 1)];
    return candidates.some((token) => {
      const entry = this.#tokens.get(token);
      return entry !== undefined && entry.provider === provider && now < entry.expiresAt;
    });
  }

  clear(): void {
    this.#tokens.clear();
  }
}

/** `<prefix>/echo`: 401 without a live token; otherwise what arrived, minus the token. */
export function echo(request: RecordedRequest, provider: string, tokens: IssuedTokens, now: number): Response {
  if (!tokens.accepts(provider, request.headers.authorization, now)) {
    return json(401, { error: 'invalid_token', error_description: 'a live access token of this provider is required' }, { 'www-authenticate': 'Bearer error="invalid_token"' });
  }
  const url = new URL(request.url);
  const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => name !== 'authorization'));
  return json(200, { provider, method: request.method, path: url.pathname, query: url.search, headers, body: request.body, token: 'valid' });
}
