// Origin policy and CORS. `Origin` is required on preflights and token requests and must be exactly
// one of the allowed origins (`null`, which sandboxed frames and file: pages send, never is). CORS
// headers go only to allowed origins; there are no credentials (cookies) to allow.
import { problem } from './problem.js';
import { respond } from './respond.js';

/** The allowed origin that sent the request; otherwise a 403 problem (without CORS headers). */
export function requireOrigin(request: Request, allowed: ReadonlySet<string> | readonly string[]): string {
  const origin = request.headers.get('origin');
  if (origin === null || origin === '') throw problem('origin_missing', { detail: 'Send the request from a browser page of an allowed origin.' });
  const ok = origin !== 'null' && (allowed instanceof Set ? allowed.has(origin) : (allowed as readonly string[]).includes(origin));
  if (!ok) throw problem('origin_not_allowed');
  return origin;
}

/** CORS headers of an actual response to an allowed origin (the widget reads Retry-After on 429). */
export function corsHeaders(origin: string): Record<string, string> {
  return { 'access-control-allow-origin': origin, 'access-control-expose-headers': 'Retry-After' };
}

/** The CORS headers for `request` if its Origin is in `allowed`, else none. */
export function corsFor(request: Request, allowed: ReadonlySet<string> | undefined): Record<string, string> {
  const origin = request.headers.get('origin');
  return origin !== null && origin !== 'null' && allowed?.has(origin) ? corsHeaders(origin) : {};
}

// Only what the token request needs: a JSON POST. Anything else a page asks for is refused here,
// before the browser would refuse it anyway.
const ALLOWED_METHOD = 'POST';
const ALLOWED_HEADERS: ReadonlySet<string> = new Set(['content-type']);
const MAX_AGE = '600';

/** Answers a CORS preflight of `POST /v1/tokens` from one of `allowed`. */
export function preflight(request: Request, allowed: ReadonlySet<string>): Response {
  const origin = requireOrigin(request, allowed);
  if (request.headers.get('access-control-request-method') !== ALLOWED_METHOD) throw problem('invalid_preflight', { detail: 'Only POST is allowed.' });
  const requested = (request.headers.get('access-control-request-headers') ?? '').split(',').map((name) => name.trim().toLowerCase()).filter(Boolean);
  if (requested.some((name) => !ALLOWED_HEADERS.has(name))) throw problem('invalid_preflight', { detail: 'Only the Content-Type header is allowed.' });
  return respond(204, null, {
    ...corsHeaders(origin),
    'access-control-allow-methods': ALLOWED_METHOD,
    'access-control-allow-headers': 'Content-Type',
    'access-control-max-age': MAX_AGE,
    vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
  });
}
