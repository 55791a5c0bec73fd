// The vault's routes under /v1/vault/:
//   GET /v1/vault/{profile}/authorize   admin: redirects to the provider's authorize page (state, PKCE)
//   GET /v1/vault/{profile}/callback    the provider's redirect back: state checked, code exchanged
//   GET /v1/vault/status                admin: each vault profile's state, without values
// The callback is the one route without the admin credential: its single-use `state` is what binds it
// to an authorize request the admin made.
import type { HandlerContext } from '../http/context.js';
import type { Profile } from '../config/parse.js';
import { EMULATOR_PATH } from '../http/endpoints.js';
import { problem } from '../http/problem.js';
import { json, respond } from '../http/respond.js';
import { requireAdmin } from './admin.js';
import { askVault } from './client.js';

export const VAULT_PATH = '/v1/vault';

/** The callback URL of a profile: what the provider must have registered (or the `redirectUri` option). */
export const callbackPath = (profile: string): string => `${VAULT_PATH}/${profile}/callback`;

function vaultProfile(context: HandlerContext, name: string): Profile {
  const profile = context.state.config.load(context.env).profiles.get(name);
  if (profile?.entry.vault === undefined) throw problem('unknown_profile');
  return profile;
}

async function authorize(context: HandlerContext, name: string): Promise<Response> {
  await requireAdmin(context);
  const profile = vaultProfile(context, name);
  const self = context.url.origin;
  const options = profile.providerOptions as { redirectUri?: string };
  const redirectUri = options.redirectUri ?? `${self}${callbackPath(profile.name)}`;
  // Dev emulator profiles: the emulator's authorize page, reached by the browser through this Worker.
  const emulatorBase = profile.upstream === 'emulator' ? `${self}${EMULATOR_PATH}/${profile.entry.emulatorPrefix}` : undefined;
  const begun = await askVault(context.state, context.env, profile, '/begin', { redirectUri, ...(emulatorBase === undefined ? {} : { emulatorBase }) });
  if (typeof begun.location !== 'string') throw problem('vault_unavailable');
  return respond(302, null, { location: begun.location });
}

async function callback(context: HandlerContext, name: string): Promise<Response> {
  const profile = vaultProfile(context, name);
  const query = context.url.searchParams;
  const state = query.get('state');
  if (state === null || state === '') throw problem('onboarding_state_invalid');
  const code = query.get('code');
  const error = query.get('error');
  await askVault(context.state, context.env, profile, '/complete', { state, ...(code === null ? {} : { code }), ...(error === null ? {} : { error }) });
  return json(200, { profile: profile.name, state: 'ready' });
}

async function status(context: HandlerContext): Promise<Response> {
  await requireAdmin(context);
  const config = context.state.config.load(context.env);
  const profiles = [...config.profiles.values()].filter((profile) => profile.entry.vault !== undefined);
  const statuses = await Promise.all(
    profiles.map((profile) =>
      askVault(context.state, context.env, profile, '/status', {}).catch(() => ({ profile: profile.name, provider: profile.provider, state: 'unavailable' })),
    ),
  );
  const needsAttention = statuses.filter((entry) => entry.state !== 'ready').map((entry) => entry.profile);
  return json(200, { profiles: statuses, needsReauthorization: needsAttention });
}

/** Everything under /v1/vault/. */
export async function vaultRoutes(context: HandlerContext): Promise<Response> {
  const parts = context.url.pathname.slice(VAULT_PATH.length + 1).split('/');
  const route = parts.length === 1 ? parts[0] : parts[1];
  const known = parts.length === 1 ? route === 'status' : parts.length === 2 && (route === 'authorize' || route === 'callback');
  if (!known) throw problem('not_found');
  if (context.request.method !== 'GET') throw problem('method_not_allowed', { headers: { allow: 'GET' } });
  if (parts.length === 1) return status(context);
  return route === 'authorize' ? authorize(context, parts[0]!) : callback(context, parts[0]!);
}
