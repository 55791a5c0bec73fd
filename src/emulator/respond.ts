// Response builders and token material shared by the provider emulators.
import { base64url } from '../core/kit.js';
import type { TokenAnswer } from './types.js';

/** A JSON response; token endpoints never let their answers be cached. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', pragma: 'no-cache', ...headers },
  });
}

/** An RFC 6749 §5.2 error body. */
export function oauthError(status: number, error: string, description?: string, headers: Record<string, string> = {}): Response {
  return json(status, description === undefined ? { error } : { error, error_description: description }, headers);
}

/** A random opaque value (128 bits) with a readable prefix. */
export function randomToken(prefix: string): string {
  return `${prefix}_${base64url(crypto.getRandomValues(new Uint8Array(16)))}`;
}

/** A JWT-shaped token with a random signature: parseable by clients, verifiable by nobody. */
export function fakeJwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown): string => base64url(new TextEncoder().encode(JSON.stringify(value)));
  const signature = base64url(crypto.getRandomValues(new Uint8Array(32)));
  return `${encode({ alg: 'RS256', typ: 'JWT', kid: 'tokenmint-emulator' })}.${encode({ ...claims, jti: randomToken('jti') })}.${signature}`;
}

/** Does a media-type header name `type` (parameters such as charset ignored)? */
export function hasMediaType(header: string | undefined, type: string): boolean {
  return header?.split(';')[0]?.trim().toLowerCase() === type;
}

/** Does an Accept header allow `type` (absent or `*\/*` does)? */
export function accepts(header: string | undefined, type: string): boolean {
  if (header === undefined || header.trim() === '') return true;
  return header.split(',').some((item) => {
    const media = item.split(';')[0]?.trim().toLowerCase();
    return media === type || media === '*/*' || media === `${type.split('/')[0]}/*`;
  });
}

/** An RFC 6749 §5.1 success answer at `path`: `access_token`, `token_type`, `expires_in` (which may be left out). */
export function oauthTokenAnswer(path: string, flows: TokenAnswer['flows'] = ['server']): TokenAnswer {
  return { path, flows, token: ['access_token'], lifetime: { path: ['expires_in'], kind: 'seconds-optional' }, tokenType: ['token_type'] };
}
