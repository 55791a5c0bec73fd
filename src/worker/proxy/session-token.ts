// Verifying the Worker's own session tokens (session.ts signs them): ES256 over the JWKS the Worker
// publishes, then the claims that tie a token to this profile, this page and this moment. Any failure
// is the same 401 (RFC 6750 §3.1 `invalid_token`): the page learns nothing about which check failed.
// @see RFC 7519 §7.2, RFC 7515, RFC 6750
import { bearerCredential, digestText, fromBase64url } from '../../core/kit.js';
import type { SigningKeys } from '../mint/keys.js';
import { problem, type MintProblem } from '../http/problem.js';
import type { SessionClaims } from '../mint/session.js';

/** What a valid session token must say. */
export interface SessionExpectation {
  issuer: string;
  audience: string;
  profile: string;
  /** The request's Origin. */
  origin: string;
  /** Every scope the profile allows: a token carrying another was not minted for it. */
  scopes: readonly string[];
  /** Epoch ms. */
  now: number;
}

/** A verified session: what a `guard` sees. */
export type VerifiedSession = SessionClaims;

// Larger than any token the Worker signs (header + claims ≈ 600 characters), small enough to refuse junk cheaply.
const MAX_TOKEN_LENGTH = 4096;
// Tokens signed a moment ago by another isolate whose clock runs slightly ahead are still accepted.
const IAT_LEEWAY_SECONDS = 60;
const ES256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const VERIFY = { name: 'ECDSA', hash: 'SHA-256' } as const;

const verifyKeys = new WeakMap<SigningKeys, Map<string, Promise<CryptoKey>>>();

function publicKey(keys: SigningKeys, kid: string): Promise<CryptoKey> | undefined {
  let byKid = verifyKeys.get(keys);
  if (byKid === undefined) {
    byKid = new Map(keys.jwks.keys.map((jwk) => [jwk.kid, crypto.subtle.importKey('jwk', { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, ES256, false, ['verify'])]));
    verifyKeys.set(keys, byKid);
  }
  return byKid.get(kid);
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  const bytes = fromBase64url(part);
  if (bytes === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export const invalidToken = (): MintProblem =>
  problem('invalid_token', { headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });

/** The token of an `Authorization: Bearer …` header, or a 401 problem (its shape is the verifier's to check). */
export function bearerToken(request: Request): string {
  const token = bearerCredential(request.headers.get('authorization'), MAX_TOKEN_LENGTH);
  if (token === undefined) throw invalidToken();
  return token;
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isSeconds = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value);

// Verified tokens, so a page's next calls skip the signature check: per key set (a rotation starts
// afresh), keyed by the token's SHA-256 (the cache holds no token), each kept until its `exp`, at most
// MAX_VERIFIED. A hit only stands for the signature: every claim is checked again on every call.
const MAX_VERIFIED = 1000;
const verified = new WeakMap<SigningKeys, Map<string, Record<string, unknown>>>();

/** The token's SHA-256 as a 32-character string (one character per byte: a Map key, never shown). */
async function tokenDigest(token: string): Promise<string> {
  return String.fromCharCode(...(await digestText('SHA-256', token)));
}

function remember(cache: Map<string, Record<string, unknown>>, digest: string, claims: Record<string, unknown>, now: number): void {
  if (cache.size >= MAX_VERIFIED) {
    for (const [key, entry] of cache) if ((entry.exp as number) <= now) cache.delete(key);
    // Still full: the oldest go (Map order is insertion order).
    for (const key of cache.keys()) {
      if (cache.size < MAX_VERIFIED) break;
      cache.delete(key);
    }
  }
  cache.set(digest, Object.freeze(claims));
}

/** The claims of a token whose ES256 signature is one of `keys`'; undefined if it is not. */
async function signedClaims(token: string, keys: SigningKeys): Promise<Record<string, unknown> | undefined> {
  const [headerPart = '', payloadPart = '', signaturePart = '', extra] = token.split('.');
  if (extra !== undefined) return undefined;
  const header = decodeJson(headerPart);
  const signature = fromBase64url(signaturePart);
  if (header?.alg !== 'ES256' || !isString(header.kid) || signature === undefined || signature.byteLength !== 64) return undefined;
  const key = publicKey(keys, header.kid);
  if (key === undefined) return undefined;
  const valid = await crypto.subtle.verify(VERIFY, await key, signature, new TextEncoder().encode(`${headerPart}.${payloadPart}`));
  return valid ? decodeJson(payloadPart) : undefined;
}

/** The token's claims once signature and claims check out; otherwise a 401 problem. */
export async function verifySession(token: string, keys: SigningKeys, expect: SessionExpectation): Promise<VerifiedSession> {
  const now = Math.floor(expect.now / 1000);
  let cache = verified.get(keys);
  if (cache === undefined) verified.set(keys, (cache = new Map()));
  const digest = await tokenDigest(token);
  let claims = cache.get(digest);
  const known = claims !== undefined;
  claims ??= await signedClaims(token, keys);
  if (claims === undefined) throw invalidToken();
  const ok =
    claims.iss === expect.issuer &&
    claims.aud === expect.audience &&
    claims.profile === expect.profile &&
    claims.origin === expect.origin &&
    isSeconds(claims.exp) && now < claims.exp &&
    isSeconds(claims.iat) && claims.iat <= now + IAT_LEEWAY_SECONDS &&
    isString(claims.scope) && claims.scope.split(' ').every((scope) => expect.scopes.includes(scope)) &&
    isString(claims.sub) && isString(claims.jti);
  if (!ok) {
    if (known && isSeconds(claims.exp) && now >= claims.exp) cache.delete(digest);
    throw invalidToken();
  }
  if (!known) remember(cache, digest, claims, now); // frozen: a guard cannot change what later calls see
  return claims as unknown as VerifiedSession;
}
