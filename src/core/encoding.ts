/** Base64 of arbitrary bytes (btoa only takes Latin-1 strings). */
export function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Base64url without padding (RFC 4648 §5), as PKCE and JWTs use it. */
export function base64url(bytes: Uint8Array): string {
  return base64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * RFC 6749 §2.3.1: client_secret_basic form-urlencodes id and secret before joining them with ':'
 * and base64-encoding (so a ':' inside the id survives).
 */
export function basicAuth(id: string, secret: string): string {
  const encode = (value: string): string => new URLSearchParams({ v: value }).toString().slice(2);
  return `Basic ${base64(new TextEncoder().encode(`${encode(id)}:${encode(secret)}`))}`;
}
