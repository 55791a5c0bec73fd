// /v1/proxy/{profile}/{path…}: the token-mediating proxy. Every check runs, in this order, before
// anything reaches the provider: Origin (any profile's) → the profile has a proxy → Origin (this
// profile's) → [preflight answered here] → rate limit → session token (401) → path and method in the
// allow-list for the token's scopes (403) → request body ≤ cap (413) → guard (403). Then the call goes
// upstream with the server token, which never leaves the Worker.
import { readCapped } from '../../core/kit.js';
import type { HandlerContext } from '../http/context.js';
import { corsHeaders, requireOrigin } from '../http/cors.js';
import { upstreamProblem } from '../mint/modes.js';
import { problem } from '../http/problem.js';
import { clientNetwork, enforceRateLimit } from '../mint/rate-limit.js';
import { BASE_HEADERS, respond } from '../http/respond.js';
import { EXPOSED_HEADERS, PREFLIGHT_HEADERS } from './headers.js';
import { proxyFlow } from './flow.js';
import { forward } from './forward.js';
import { allowedRoute, pathSegments } from './routes.js';
import type { ProxyGuard } from './guard.js';
import { bearerToken, verifySession } from './session-token.js';

export const PROXY_PREFIX = '/v1/proxy/';

const MAX_AGE = '600';

export async function proxy(context: HandlerContext, guard: ProxyGuard | undefined): Promise<Response> {
  const { request, state, env, url } = context;
  const config = state.config.load(env);
  const origin = requireOrigin(request, config.origins);
  context.cors = { ...corsHeaders(origin), 'access-control-expose-headers': EXPOSED_HEADERS };
  const rest = url.pathname.slice(PROXY_PREFIX.length);
  const slash = rest.indexOf('/');
  const profile = config.profiles.get(slash === -1 ? rest : rest.slice(0, slash));
  const policy = profile?.proxyPolicy;
  if (profile === undefined || policy === undefined) throw problem('not_found');
  if (!profile.allowedOrigins.includes(origin)) {
    context.cors = {};
    throw problem('origin_not_allowed');
  }
  if (request.method === 'OPTIONS') return preflight(request, policy.methods, context.cors);

  await enforceRateLimit({ state, env, profile: `${profile.name} proxy`, client: clientNetwork(request), limit: profile.rateLimit });
  const keys = await state.keys.get(env, config.sessionKeySecret);
  const claims = await verifySession(bearerToken(request), keys, {
    issuer: config.issuer ?? url.origin,
    audience: profile.audience!,
    profile: profile.name,
    origin,
    scopes: profile.scopes,
    now: state.clock.now(),
  });
  const path = slash === -1 ? '' : rest.slice(slash);
  const segments = pathSegments(path);
  const route = segments === undefined ? undefined : allowedRoute(policy.routes, new Set(claims.scope.split(' ')), request.method, segments);
  if (route === undefined) throw problem('route_not_allowed');

  const body = await readBody(request, policy.maxRequestBytes);
  if (guard !== undefined) {
    const copy = new Request(request.url, { method: request.method, headers: request.headers, ...(body === undefined ? {} : { body }) });
    if (!(await guard(copy, { profile: profile.name, claims, route: route.pattern, path }))) throw problem('guard_refused');
  }

  const emulator = profile.upstream === 'emulator' ? state.emulator(config) : undefined;
  const base = emulator === undefined ? policy.apiBase! : emulator.baseUrl(profile.entry.emulatorPrefix);
  const label = `profile "${profile.name}": ${route.pattern}`;
  const flow = proxyFlow(state, config, env, profile);
  const source = state.store.source(flow);
  let result;
  try {
    result = await forward({
      url: `${base}${path}${url.search}`,
      method: request.method,
      request,
      body,
      source,
      authorize: (token) => flow.authorization?.(token) ?? `${token.tokenType} ${token.accessToken}`,
      // With a coordinator, the object is told which token was refused, so it does not hand it out again.
      onRejected: (token) => state.coordination.reject(source.key, token.accessToken),
      fetch: emulator === undefined ? state.fetch : emulator.fetch,
      clock: state.clock,
      timeout: policy.timeout,
      maxResponseBytes: policy.maxResponseBytes,
      log: state.log,
      label,
      get: context.ctx === undefined ? {} : { waitUntil: (promise) => context.ctx!.waitUntil(promise) },
    });
  } catch (error) {
    throw upstreamProblem(error, { state, profile });
  }
  const headers = new Headers(result.headers);
  for (const [name, value] of Object.entries({ ...BASE_HEADERS, ...context.cors })) headers.set(name, value);
  return new Response(result.body, { status: result.status, headers });
}

/** The body within `max` bytes (Content-Length is only a hint; the bytes are counted), or 413. */
async function readBody(request: Request, max: number): Promise<Uint8Array<ArrayBuffer> | undefined> {
  if (request.body === null) return undefined;
  const tooLarge = () => problem('payload_too_large', { detail: `At most ${max} bytes.` });
  if (Number(request.headers.get('content-length')) > max) throw tooLarge();
  const bytes = await readCapped(request.body, max);
  if (bytes === null) throw tooLarge();
  return bytes as Uint8Array<ArrayBuffer>;
}

/** A preflight of a proxied call: the allow-list's methods, Authorization and the forwarded headers. */
function preflight(request: Request, methods: string, cors: Record<string, string>): Response {
  const method = request.headers.get('access-control-request-method') ?? '';
  if (!methods.split(', ').includes(method)) throw problem('invalid_preflight', { detail: 'That method is not in the proxy allow-list.' });
  const requested = (request.headers.get('access-control-request-headers') ?? '').split(',').map((name) => name.trim().toLowerCase()).filter(Boolean);
  if (requested.some((name) => !PREFLIGHT_HEADERS.has(name))) throw problem('invalid_preflight', { detail: 'Only Authorization and the forwarded headers are allowed.' });
  return respond(204, null, {
    ...cors,
    'access-control-allow-methods': methods,
    'access-control-allow-headers': [...PREFLIGHT_HEADERS].join(', '),
    'access-control-max-age': MAX_AGE,
    vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
  });
}
