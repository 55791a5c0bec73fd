// The credential of an `Authorization: Bearer …` header, for every place that takes one: the Worker's
// proxy (session tokens) and admin routes, the Prism service (API keys). One parser, so a header one of
// them accepts is not refused by another.

/**
 * The credential of `Bearer <credential>`, or undefined when the header is absent, of another scheme,
 * or not one credential of at most `maxLength` characters. The scheme is case-insensitive and may be
 * followed by several spaces (RFC 7235 §2.1, RFC 6750 §2.1). The credential may be any visible ASCII,
 * wider than RFC 6750's b64token: API keys and admin secrets are opaque, and a session token's own
 * shape (base64url parts) is checked by its verifier.
 */
export function bearerCredential(authorization: string | null, maxLength: number = Infinity): string | undefined {
  const match = /^Bearer +([\x21-\x7E]+) *$/i.exec(authorization ?? '');
  return match === null || match[1]!.length > maxLength ? undefined : match[1];
}
