// Which headers cross the proxy. Both directions are allow-lists, so whatever a browser or a provider
// adds (Cookie, Authorization, X-Forwarded-*, hop-by-hop, Set-Cookie, WWW-Authenticate, the next header
// nobody thought of) stays on its side. The Worker sets Authorization upstream itself.

/** Request headers forwarded upstream: the body's type, content negotiation, idempotency keys. */
export const FORWARDED_REQUEST_HEADERS: readonly string[] = ['content-type', 'accept', 'accept-language', 'prefer', 'idempotency-key', 'paypal-request-id'];

/** Response headers passed back to the page: the body's description, retry hints, the provider's request id. */
export const RETURNED_RESPONSE_HEADERS: readonly string[] = ['content-type', 'content-language', 'etag', 'last-modified', 'retry-after', 'paypal-debug-id'];

/** Response headers a page may read through CORS (beyond the safelisted ones). */
export const EXPOSED_HEADERS = 'Retry-After, ETag, PayPal-Debug-Id';

/** Request headers a preflight may ask for: Authorization (the session token) plus the forwarded ones. */
export const PREFLIGHT_HEADERS: ReadonlySet<string> = new Set(['authorization', ...FORWARDED_REQUEST_HEADERS]);

function pick(from: Headers, names: readonly string[]): Headers {
  const picked = new Headers();
  for (const name of names) {
    const value = from.get(name);
    if (value !== null) picked.set(name, value);
  }
  return picked;
}

/** The upstream request's headers: the allowed ones of the page's request, then the server token. */
export function upstreamHeaders(request: Request, authorization: string): Headers {
  const headers = pick(request.headers, FORWARDED_REQUEST_HEADERS);
  headers.set('authorization', authorization);
  return headers;
}

/** The page's response headers: the allowed ones of the upstream's response. */
export function returnedHeaders(response: Response): Headers {
  return pick(response.headers, RETURNED_RESPONSE_HEADERS);
}
