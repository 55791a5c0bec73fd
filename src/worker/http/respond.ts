// Response building: every answer of the Worker goes through `respond`, so none can miss the headers
// that keep tokens out of caches and MIME sniffing.

/** On every response: nothing cacheable, the answer depends on Origin, no sniffing. */
export const BASE_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  vary: 'Origin',
  'x-content-type-options': 'nosniff',
};

/** A response with the base headers, then `headers` (which may add to, not remove, them). */
export function respond(status: number, body: string | null, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { ...BASE_HEADERS, ...headers } });
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return respond(status, JSON.stringify(body), { 'content-type': 'application/json', ...headers });
}
