// Refresh tokens at rest: AES-256-GCM under a key from a Worker secret, the key's id stored beside the
// ciphertext so the key can rotate (new key first in the secret, old ones after it, for reading).
// The additional data binds a ciphertext to the object that wrote it: it cannot be replayed elsewhere.
import { base64url, fromBase64url } from '../../core/kit.js';

/** The secret holding the vault keys: `kid:key[,kid:key…]`, each key 32 random bytes in base64url. */
export const VAULT_KEYS_SECRET = 'TOKENMINT_VAULT_KEYS';

/** What storage holds: never the plaintext. */
export interface Sealed {
  kid: string;
  iv: string;
  ct: string;
}

export interface VaultKeys {
  /** The key new ciphertexts are sealed with (the first one listed). */
  readonly current: string;
  readonly keys: ReadonlyMap<string, CryptoKey>;
}

/** A key list that cannot be used; the message names the secret's shape, never a value. */
export class VaultKeyError extends Error {
  override readonly name: string = 'VaultKeyError';
}

const KID = /^[A-Za-z0-9_-]{1,32}$/;

/** Parses and imports the key list. @throws VaultKeyError */
export async function importVaultKeys(raw: string): Promise<VaultKeys> {
  const keys = new Map<string, CryptoKey>();
  const entries = raw.split(',').map((part) => part.trim());
  for (const [index, entry] of entries.entries()) {
    const colon = entry.indexOf(':');
    const kid = entry.slice(0, colon);
    const bytes = colon > 0 ? fromBase64url(entry.slice(colon + 1)) : undefined;
    if (!KID.test(kid) || bytes?.length !== 32) {
      throw new VaultKeyError(`entry ${index + 1} is not "kid:key" (a kid of letters, digits, "-", "_"; a key of 32 random bytes in base64url)`);
    }
    if (keys.has(kid)) throw new VaultKeyError(`key id "${kid}" is listed twice`);
    keys.set(kid, await crypto.subtle.importKey('raw', bytes as Uint8Array<ArrayBuffer>, 'AES-GCM', false, ['encrypt', 'decrypt']));
  }
  return { current: entries[0]!.slice(0, entries[0]!.indexOf(':')), keys };
}

const encoder = new TextEncoder();

export async function seal(keys: VaultKeys, plaintext: string, context: string): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(context) }, keys.keys.get(keys.current)!, encoder.encode(plaintext));
  return { kid: keys.current, iv: base64url(iv), ct: base64url(new Uint8Array(ct)) };
}

/** The plaintext, or why not: the key id is not listed, or the listed key does not open it. */
export async function open(keys: VaultKeys, sealed: Sealed, context: string): Promise<string | { failed: 'unknown_kid' | 'wrong_key' }> {
  const key = keys.keys.get(sealed.kid);
  if (key === undefined) return { failed: 'unknown_kid' };
  const iv = fromBase64url(sealed.iv);
  const ct = fromBase64url(sealed.ct);
  if (iv === undefined || ct === undefined) return { failed: 'wrong_key' };
  try {
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: iv as Uint8Array<ArrayBuffer>, additionalData: encoder.encode(context) }, key, ct as Uint8Array<ArrayBuffer>);
    return new TextDecoder().decode(plain);
  } catch {
    return { failed: 'wrong_key' };
  }
}
