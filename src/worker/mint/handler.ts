// POST /v1/tokens. Every policy check runs, in this order, before anything reaches a provider:
// Origin (any profile's) → JSON content type → body ≤ 2 KB → known fields → profile → Origin (this
// profile's) → rate limit (client, then profile ceiling) → scope ⊆ allowed → lifetime clamped. Then the profile's mode mints.
import type { HandlerContext } from '../http/context.js';
import { corsHeaders, requireOrigin } from '../http/cors.js';
import { mintSession, mintUpstream } from './modes.js';
import { grantExpiresIn, grantScope } from './policy.js';
import { problem } from '../http/problem.js';
import { clientNetwork, enforceRateLimit } from './rate-limit.js';
import { readTokenRequest } from '../http/request.js';
import { json } from '../http/respond.js';

export async function mintToken(context: HandlerContext): Promise<Response> {
  const { request, state, env } = context;
  const config = state.config.load(env);
  const origin = requireOrigin(request, config.origins);
  context.cors = corsHeaders(origin);
  const body = await readTokenRequest(request);
  const profile = config.profiles.get(body.profile);
  if (profile === undefined) throw problem('unknown_profile');
  if (!profile.allowedOrigins.includes(origin)) {
    context.cors = {}; // allowed for another profile, not this one: nothing to share with the page
    throw problem('origin_not_allowed');
  }
  await enforceRateLimit({ state, env, profile: profile.name, client: clientNetwork(request), limit: profile.rateLimit });
  const input = {
    state,
    config,
    env,
    profile,
    origin,
    scope: grantScope(body.scope, profile),
    expiresIn: grantExpiresIn(body.expiresIn, profile),
    signal: request.signal,
    ctx: context.ctx,
  };
  const token = profile.mode === 'upstream' ? await mintUpstream(input) : await mintSession(input);
  return json(200, token, context.cors);
}
