// A synchronous SHA-256 (FIPS 180-4), for cache keys (`TokenFlow.key` is a plain property, so it cannot
// wait on WebCrypto's async digest) and for comparing bearer credentials by digest. Secrets themselves
// are never sent anywhere by this code.
const K: number[] = [];
const H0: number[] = [];
// The constants are the fractional parts of the square and cube roots of the first primes.
for (let p = 2, n = 0; n < 64; p++) {
  let d = 2;
  while (p % d) d++;
  if (d < p) continue;
  if (n < 8) H0[n] = ((Math.sqrt(p) % 1) * 2 ** 32) | 0;
  K[n++] = ((Math.cbrt(p) % 1) * 2 ** 32) | 0;
}

const rotate = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

/** Lowercase hex SHA-256 of the UTF-8 bytes of `text`. */
export function sha256Hex(text: string): string {
  const data = new TextEncoder().encode(text);
  const bits = data.length * 8;
  // The message as big-endian words, then 0x80, zeros, and the length in bits as the last two words.
  const words: number[] = [];
  for (let i = 0; i <= data.length; i++) words[i >> 2]! |= (i < data.length ? data[i]! : 0x80) << (24 - (i % 4) * 8);
  const length = (((data.length + 8) >> 6) + 1) * 16;
  words[length - 2] = Math.floor(bits / 2 ** 32);
  words[length - 1] = bits | 0;
  const h = H0.slice();
  for (let offset = 0; offset < length; offset += 16) {
    const w: number[] = [];
    let [a, b, c, d, e, f, g, k] = h as [number, number, number, number, number, number, number, number];
    for (let i = 0; i < 64; i++) {
      const x = w[i - 15]!, y = w[i - 2]!;
      w[i] = i < 16 ? words[offset + i]! | 0 : (w[i - 16]! + (rotate(x, 7) ^ rotate(x, 18) ^ (x >>> 3)) + w[i - 7]! + (rotate(y, 17) ^ rotate(y, 19) ^ (y >>> 10))) | 0;
      const t1 = k + (rotate(e, 6) ^ rotate(e, 11) ^ rotate(e, 25)) + ((e & f) ^ (~e & g)) + K[i]! + w[i]!;
      const t2 = (rotate(a, 2) ^ rotate(a, 13) ^ rotate(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      k = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    [a, b, c, d, e, f, g, k].forEach((v, i) => (h[i] = (h[i]! + v) | 0));
  }
  return h.map((v) => (v >>> 0).toString(16).padStart(8, '0')).join('');
}

/**
 * Two SHA-256 hex digests compared in time that depends on neither: compare the digests of a presented
 * credential and the expected one, and the time says nothing about either (the bearer keys of the
 * Worker's admin routes and of the Prism service).
 */
export function sameDigest(a: string, b: string): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
