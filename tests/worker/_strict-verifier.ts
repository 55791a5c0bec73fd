// What a correct consumer of the Worker's session tokens does (docs/worker.md "Verifying a session
// token"), strictly: the algorithm pinned to ES256 before any key is touched, no key taken from the
// token itself, the key found by exact kid in the JWKS, a 64-byte r‖s signature verified with
// WebCrypto, then exp, iat, nbf, aud and iss. Each refusal says which check refused.
import { base64urlDecode } from './_mint-helpers.js';

export class Refused extends Error {
  constructor(readonly check: 'format' | 'alg' | 'header' | 'kid' | 'signature' | 'exp' | 'iat' | 'nbf' | 'aud' | 'iss') {
    super(`refused: ${check}`);
  }
}

type Json = Record<string, unknown>;

const decodeJson = (part: string, check: 'format'): Json => {
  try {
    const value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(base64urlDecode(part))) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
    return value as Json;
  } catch {
    throw new Refused(check);
  }
};

export async function strictVerify(token: string, jwks: { keys: JsonWebKey[] }, expected: { audience: string; issuer: string; now: number }): Promise<Json> {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]*$/.test(part))) throw new Refused('format');
  const [h, p, s] = parts as [string, string, string];
  const header = decodeJson(h, 'format');
  if (header.alg !== 'ES256') throw new Refused('alg');
  // Keys or key URLs carried by the token are never used (RFC 8725 §3.10); unknown critical extensions refuse.
  if (['jwk', 'jku', 'x5u', 'x5c', 'crit'].some((name) => name in header)) throw new Refused('header');
  const jwk = typeof header.kid === 'string' ? jwks.keys.find((key) => (key as { kid?: string }).kid === header.kid) : undefined;
  if (jwk === undefined || jwk.kty !== 'EC' || jwk.crv !== 'P-256' || (jwk.alg !== undefined && jwk.alg !== 'ES256')) throw new Refused('kid');
  const signature = base64urlDecode(s);
  if (signature.length !== 64) throw new Refused('signature');
  const key = await crypto.subtle.importKey('jwk', { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
  if (!(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, signature, new TextEncoder().encode(`${h}.${p}`)))) throw new Refused('signature');
  const claims = decodeJson(p, 'format');
  const now = Math.floor(expected.now / 1000);
  if (typeof claims.exp !== 'number' || claims.exp <= now) throw new Refused('exp');
  if (typeof claims.iat !== 'number' || claims.iat > now + 60) throw new Refused('iat');
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf > now + 60)) throw new Refused('nbf');
  if (Array.isArray(claims.aud) ? !claims.aud.includes(expected.audience) : claims.aud !== expected.audience) throw new Refused('aud');
  if (claims.iss !== expected.issuer) throw new Refused('iss');
  return claims;
}
