// Method + path → handler (the opt-in parts' paths are theirs to match). A known path with another method is a 405 with `Allow`; anything else 404.
// Problems thrown by handlers are rendered here, with the CORS headers the handler settled on.
import type { Handler, HandlerContext } from './context.js';
import { EMULATOR_PATH, emulatorControl, healthz, jwks, tokensPreflight } from './endpoints.js';
import { mintToken } from '../mint/handler.js';
import { MintProblem, problem } from './problem.js';

const ROUTES: Readonly<Record<string, Readonly<Record<string, Handler>>>> = {
  '/healthz': { GET: healthz, HEAD: healthz },
  '/.well-known/jwks.json': { GET: jwks },
  '/v1/tokens': { POST: mintToken, OPTIONS: tokensPreflight },
};

function handlerFor(context: HandlerContext): Handler {
  const { pathname } = context.url;
  if (pathname === EMULATOR_PATH || pathname.startsWith(`${EMULATOR_PATH}/`)) return emulatorControl;
  // The opt-in parts (features.ts): a Worker built without one answers its paths 404.
  const { proxy, vault, prismService } = context.state.features;
  const part = proxy?.route(pathname) ?? vault?.route(pathname) ?? prismService?.route(pathname);
  if (part !== undefined) return part;
  const methods = Object.hasOwn(ROUTES, pathname) ? ROUTES[pathname] : undefined;
  if (methods === undefined) throw problem('not_found');
  const handler = Object.hasOwn(methods, context.request.method) ? methods[context.request.method] : undefined;
  if (handler === undefined) throw problem('method_not_allowed', { headers: { allow: Object.keys(methods).join(', ') } });
  return handler;
}

export async function route(context: HandlerContext): Promise<Response> {
  try {
    return await handlerFor(context)(context);
  } catch (error) {
    if (error instanceof MintProblem) {
      if (error.note !== undefined) context.state.log.log('info', `${error.code}: ${context.request.method} ${context.url.pathname}: ${error.note}`);
      return error.toResponse(context.cors);
    }
    // Unexpected: only the error's name is logged (a message could quote anything).
    context.state.log.log('error', `internal_error: ${context.request.method} ${context.url.pathname}: ${error instanceof Error ? error.name : typeof error}`);
    return problem('internal_error').toResponse(context.cors);
  }
}
