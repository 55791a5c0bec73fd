// The session signing key: a private EC P-256 JWK in a Worker secret (or `{ "keys": [...] }`, first
// one signing, the others only published so tokens signed before a rotation still verify). The
// public halves, with their `kid`, are the JWKS. Import errors never quote the secret.
import * as v from 'valibot';
import { base64url, digestText } from '../../core/kit.js';

const B64U = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]+$/));

// Extra JWK members (key_ops, ext, …) are allowed: what they mean is fixed by this code anyway.
const PublicJwkSchema = v.object({
  kty: v.literal('EC'),
  crv: v.literal('P-256'),
  x: B64U,
  y: B64U,
  kid: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(128))),
  alg: v.optional(v.literal('ES256')),
  use: v.optional(v.literal('sig')),
});
const PrivateJwkSchema = v.object({ ...PublicJwkSchema.entries, d: B64U });
const SecretSchema = v.union([PrivateJwkSchema, v.object({ keys: v.tupleWithRest([PrivateJwkSchema], PublicJwkSchema) })]);

/** A public key as published at `/.well-known/jwks.json`. */
export interface PublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
  alg: 'ES256';
  use: 'sig';
}

export interface SigningKeys {
  kid: string;
  privateKey: CryptoKey;
  jwks: { keys: PublicJwk[] };
}

/** Why a key secret was refused, in words that never include it. */
export class KeyError extends Error {
  override readonly name: string = 'KeyError';
}

const ES256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** RFC 7638 JWK thumbprint (SHA-256, base64url): the default `kid`. */
export async function jwkThumbprint(jwk: { crv: string; kty: string; x: string; y: string }): Promise<string> {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return base64url(await digestText('SHA-256', canonical));
}

async function publicJwk(jwk: v.InferOutput<typeof PublicJwkSchema>): Promise<PublicJwk> {
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, kid: jwk.kid ?? (await jwkThumbprint(jwk)), alg: 'ES256', use: 'sig' };
}

/** Imports the signing key and proves it matches its public half (a mismatch would publish a useless JWKS). */
export async function importSigningKeys(secret: string): Promise<SigningKeys> {
  let json: unknown;
  try {
    json = JSON.parse(secret);
  } catch {
    throw new KeyError('is not JSON (expected a private EC P-256 JWK)');
  }
  const parsed = v.safeParse(SecretSchema, json);
  if (!parsed.success) throw new KeyError('is not a private EC P-256 JWK (kty "EC", crv "P-256", x, y, d) nor {"keys": [that, ...public JWKs]}');
  const [signing, ...published] = 'keys' in parsed.output ? parsed.output.keys : [parsed.output];
  const { kty, crv, x, y, d } = signing;
  let privateKey: CryptoKey;
  let publicKey: CryptoKey;
  try {
    privateKey = await crypto.subtle.importKey('jwk', { kty, crv, x, y, d }, ES256, false, ['sign']);
    publicKey = await crypto.subtle.importKey('jwk', { kty, crv, x, y }, ES256, false, ['verify']);
  } catch {
    throw new KeyError('was refused by WebCrypto (not a valid P-256 key)');
  }
  const probe = new TextEncoder().encode('tokenmint key check');
  const signature = await crypto.subtle.sign(SIGN, privateKey, probe);
  if (!(await crypto.subtle.verify(SIGN, publicKey, signature, probe))) throw new KeyError('has a private part (d) that does not match its public part (x, y)');
  const keys = await Promise.all([signing, ...published].map(publicJwk));
  if (new Set(keys.map((key) => key.kid)).size !== keys.length) throw new KeyError('publishes two keys with the same kid');
  return { kid: keys[0]!.kid, privateKey, jwks: { keys } };
}

/** ES256 signature of `input` in JWS form (r ‖ s, which is what WebCrypto's ECDSA returns). */
export async function signEs256(key: CryptoKey, input: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.sign(SIGN, key, new TextEncoder().encode(input))));
}
