import type { HttpRequest, HttpResponse } from '../http.js';
import type { AccessToken } from '../types.js';
import { invalidResponse, oauthErrorFromResponse, parseJson } from './error-response.js';

/** Lifetimes longer than ten years are clamped to it, so `now + seconds × 1000` stays a finite epoch. */
export const MAX_LIFETIME_SECONDS = 315_360_000;

/** A token endpoint's success body after validation. */
export interface TokenResponse {
  access_token: string;
  token_type: string;
  /** RECOMMENDED, not required (RFC 6749 §5.1). */
  expires_in?: number | undefined;
  scope?: string | undefined;
  refresh_token?: string | undefined;
  refresh_token_expires_in?: number | undefined;
}

export interface ProcessOptions {
  /** Local receipt time (epoch ms): lifetimes count from here, not from the server's Date. */
  now: number;
  /** Accepted `token_type`s, case-insensitive. Default: `bearer`. */
  tokenTypes?: readonly string[] | undefined;
  /** Seconds a token lives when the answer has no `expires_in` and the token is no JWT. Default `DEFAULT_EXPIRES_IN`. */
  defaultExpiresIn?: number | undefined;
}

/**
 * The lifetime assumed, in seconds, for a token answered without `expires_in` whose own `exp` cannot be
 * read: short on purpose, so a guess errs towards an early refresh.
 */
export const DEFAULT_EXPIRES_IN = 300;

/** Seconds as a positive finite number (numeric strings too), at most `MAX_LIFETIME_SECONDS`; else undefined. */
const seconds = (value: unknown): number | undefined => {
  const number = typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && number > 0 && number < Infinity ? Math.min(number, MAX_LIFETIME_SECONDS) : undefined;
};

/**
 * The lifetime a JWT access token states (`exp − iat`, else `exp` − now), in seconds. Read for scheduling
 * only: the token is neither verified nor trusted for anything else.
 */
function jwtLifetime(token: string, now: number): number | undefined {
  try {
    const { exp, iat = now / 1000 } = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { exp: number; iat?: number };
    return typeof exp === 'number' ? seconds(exp - iat) : undefined;
  } catch {
    return undefined; // not a JWT
  }
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * RFC 6749 §5.1/§5.2: turns a token endpoint's answer into an `AccessToken` or a `TokenError`. Without
 * `expires_in` (RFC 6749 only RECOMMENDS it) the lifetime is the access token's own `exp` when it is a
 * JWT, else `defaultExpiresIn`.
 */
export function processTokenResponse(request: HttpRequest, response: HttpResponse, options: ProcessOptions): AccessToken {
  if (response.status !== 200) throw oauthErrorFromResponse(request, response, options.now);
  const body = parseJson(request, response);
  const fields = (typeof body === 'object' && body ? body : {}) as Record<string, unknown>;
  // Checked by hand, not with TokenResponseSchema: the core token path stays free of valibot's weight.
  const wrong: string[] = [];
  const read = <T>(name: string, parse: (value: unknown) => T | undefined, optional?: boolean): T | undefined => {
    const parsed = fields[name] === undefined ? undefined : parse(fields[name]);
    if (parsed === undefined && (fields[name] !== undefined || !optional)) wrong.push(name);
    return parsed;
  };
  const accessToken = read('access_token', text);
  const tokenType = read('token_type', text);
  const expiresIn = read('expires_in', seconds, true);
  const scope = read('scope', (value) => (typeof value === 'string' ? value : undefined), true);
  const refreshToken = read('refresh_token', text, true);
  const refreshExpiresIn = read('refresh_token_expires_in', seconds, true);
  if (wrong.length > 0) throw invalidResponse(request, response, `an invalid token response (fields: ${wrong.join(', ')})`);
  const accepted = options.tokenTypes ?? ['bearer'];
  if (!accepted.includes(tokenType!.toLowerCase())) {
    throw invalidResponse(request, response, `an unsupported token_type (expected ${accepted.join(' or ')})`);
  }
  const lifetime = expiresIn ?? jwtLifetime(accessToken!, options.now) ?? options.defaultExpiresIn ?? DEFAULT_EXPIRES_IN;
  const type = tokenType!.toLowerCase() === 'bearer' ? 'Bearer' : tokenType!;
  const expiresAt = options.now + lifetime * 1000;
  // One literal with the scope when there is one: an object that grows later keeps an extra array.
  const token: AccessToken = scope === undefined ? { accessToken: accessToken!, tokenType: type, expiresAt } : { accessToken: accessToken!, tokenType: type, expiresAt, scope };
  if (refreshToken !== undefined) token.refreshToken = refreshToken;
  if (refreshExpiresIn !== undefined) token.refreshTokenExpiresAt = options.now + refreshExpiresIn * 1000;
  return token;
}
