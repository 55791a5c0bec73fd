// WebCrypto's digest of text, for callers that can wait on it (PKCE challenges, JWK thumbprints,
// GlobalPay's signed nonce, the Worker's cache of verified tokens); each encodes the bytes its own way.
// `sha256Hex` (sha256.ts) is the synchronous one, for flow keys, which cannot wait.

/** The digest of the UTF-8 bytes of `text`. */
export async function digestText(algorithm: 'SHA-256' | 'SHA-512', text: string): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.digest(algorithm, new TextEncoder().encode(text)));
}
