// Session tokens: ES256 JWTs the Worker signs itself. They carry what the page was granted (scope),
// where from (origin), for whom (aud) and until when (exp ≤ the profile's maximum); the provider's
// own token never leaves the Worker. @see RFC 7519, RFC 7515
import { base64url } from '../../core/kit.js';
import { signEs256, type SigningKeys } from './keys.js';

export interface SessionClaims {
  iss: string;
  aud: string;
  /** A random session id: nothing about the user or the merchant. */
  sub: string;
  scope: string;
  origin: string;
  /** The Worker profile that minted it: profiles sharing an audience are told apart by it. */
  profile: string;
  iat: number;
  exp: number;
  jti: string;
}

export interface SessionInput {
  issuer: string;
  audience: string;
  profile: string;
  scope: string;
  origin: string;
  /** Epoch ms. */
  now: number;
  /** Seconds. */
  expiresIn: number;
}

const encodeJson = (value: unknown): string => base64url(new TextEncoder().encode(JSON.stringify(value)));
const randomId = (): string => base64url(crypto.getRandomValues(new Uint8Array(16)));

export function sessionClaims(input: SessionInput): SessionClaims {
  const iat = Math.floor(input.now / 1000);
  return { iss: input.issuer, aud: input.audience, sub: randomId(), scope: input.scope, origin: input.origin, profile: input.profile, iat, exp: iat + input.expiresIn, jti: randomId() };
}

/** The compact JWS: header `{ alg: ES256, typ: JWT, kid }`. */
export async function signSession(keys: SigningKeys, claims: SessionClaims): Promise<string> {
  const input = `${encodeJson({ alg: 'ES256', typ: 'JWT', kid: keys.kid })}.${encodeJson(claims)}`;
  return `${input}.${await signEs256(keys.privateKey, input)}`;
}
