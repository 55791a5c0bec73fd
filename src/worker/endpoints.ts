// The small endpoints: health check, JWKS, CORS preflight, and the dev emulator's control surface.
import type { HandlerContext } from './context.js';
import { corsFor, preflight } from './cors.js';
import { problem } from './problem.js';
import { json } from './respond.js';

/** Liveness only: it reads no config, so it answers even while the config is broken. */
export function healthz(): Response {
  return json(200, { ok: true });
}

/** The public keys of session tokens; `{ keys: [] }` when no profile is in session mode. */
export async function jwks(context: HandlerContext): Promise<Response> {
  const config = context.state.config.load(context.env);
  context.cors = corsFor(context.request, config.origins);
  if (!config.hasSessionProfiles) return json(200, { keys: [] }, context.cors);
  const keys = await context.state.keys.get(context.env, config.sessionKeySecret);
  return json(200, keys.jwks, context.cors);
}

export function tokensPreflight(context: HandlerContext): Response {
  return preflight(context.request, context.state.config.load(context.env).origins);
}

/** Where the dev emulator's control surface is served (dev entry only). */
export const EMULATOR_PATH = '/__emulator';

/** `/__emulator/…`, or a plain 404 when the Worker or its config has no dev emulator. */
export async function emulatorControl(context: HandlerContext): Promise<Response> {
  const { state } = context;
  const emulator = state.emulator(state.config.load(context.env));
  if (emulator === undefined) throw problem('not_found');
  return emulator.control(context.request, context.url.pathname.slice(EMULATOR_PATH.length), () => state.forgetServerTokens());
}
