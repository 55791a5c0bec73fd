// Minimal mint Worker: only the health check for now (the token routes come later). It exists so the
// workerd test project has a real Worker entry and wrangler.toml something to point at.

const BASE_HEADERS = {
  'cache-control': 'no-store',
  vary: 'Origin',
  'x-content-type-options': 'nosniff',
} as const;

function json(status: number, body: unknown, contentType = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...BASE_HEADERS, 'content-type': contentType } });
}

/** RFC 9457 problem details with a stable `code`. */
function problem(status: number, code: string, title: string): Response {
  return json(status, { type: 'about:blank', title, status, code }, 'application/problem+json');
}

export function handleRequest(request: Request): Response {
  const { pathname } = new URL(request.url);
  if (pathname === '/healthz' && (request.method === 'GET' || request.method === 'HEAD')) return json(200, { ok: true });
  return problem(404, 'not_found', 'Not Found');
}

const worker: { fetch(request: Request): Response } = { fetch: handleRequest };
export default worker;
