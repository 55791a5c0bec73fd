import { digestText } from './digest.js';
import { base64url } from './encoding.js';

export interface Pkce {
  codeVerifier: string;
  codeChallenge: string;
  codeChallengeMethod: 'S256';
}

/**
 * A PKCE pair: a 43-character verifier from 32 random bytes and its S256 challenge (WebCrypto).
 * @see RFC 7636 §4.1–4.2
 */
export async function createPkce(): Promise<Pkce> {
  const codeVerifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  return { codeVerifier, codeChallenge: base64url(await digestText('SHA-256', codeVerifier)), codeChallengeMethod: 'S256' };
}
