// The two ways a profile answers a token request. `upstream`: a fresh provider token, for flows the
// provider made for browsers. `session`: a JWT the Worker signs, while the provider's server token
// stays in the Worker's store (refreshed on access, inside waitUntil), obtained through the flow key's
// Durable Object when the profile coordinates (docs/scaling.md).
import { TokenError, type TokenFlow } from '../../core/index.js';
import type { MintConfig, Profile } from '../config/parse.js';
import { COORDINATOR_BINDING } from '../coordinator/protocol.js';
import type { DurableObjectNamespaceLike } from '../durable-object.js';
import { profileFlow } from './flows.js';
import { isSubScope } from './policy.js';
import { MintProblem, problem } from '../http/problem.js';
import { sessionClaims, signSession } from './session.js';
import type { MintState } from '../state.js';
import type { MintedToken } from './token-answer.js';
import type { MintEnv, WaitUntilContext } from '../types.js';


export interface MintInput {
  state: MintState;
  config: MintConfig;
  env: MintEnv;
  profile: Profile;
  origin: string;
  scope: string;
  expiresIn: number;
  signal: AbortSignal;
  ctx: WaitUntilContext | undefined;
}

export async function mintUpstream(input: MintInput): Promise<MintedToken> {
  const { state, profile } = input;
  const flow = profileFlow(state, input.config, input.env, profile, { scope: input.scope, expiresIn: input.expiresIn });
  if (!flow.browserSafe) {
    // Checked at start-up too; kept here so no code path can hand a server token to a page.
    state.log.once('error', `config_invalid: profile "${profile.name}": mode "upstream" with a server-only flow`);
    throw problem('config_invalid');
  }
  let token;
  try {
    token = await flow.fetchToken({
      fetch: state.fetch,
      signal: input.signal,
      clock: state.clock,
      random: state.random,
      ...(state.http === undefined ? {} : { http: state.http }),
    });
  } catch (error) {
    throw upstreamProblem(error, input);
  }
  const now = state.clock.now();
  // Advice to the page (replace it by then): the token itself lives as long as the provider issued it for.
  const expiresAt = Math.min(token.expiresAt, now + input.expiresIn * 1000);
  const scope = token.scope ?? input.scope;
  if (!isSubScope(scope, input.scope) || expiresAt - now < 1000) {
    state.log.log('warn', `profile "${profile.name}": the provider's token ${expiresAt - now < 1000 ? 'had expired' : 'is broader than the scope granted'}; not handed out`);
    throw problem('upstream_invalid_response');
  }
  return { accessToken: token.accessToken, tokenType: token.tokenType, expiresIn: Math.floor((expiresAt - now) / 1000), expiresAt, scope };
}

export async function mintSession(input: MintInput): Promise<MintedToken> {
  const { state, config, profile } = input;
  const keys = await state.keys.get(input.env, config.sessionKeySecret);
  const flow = serverFlow(input);
  const waitUntil = input.ctx === undefined ? {} : { waitUntil: (promise: Promise<unknown>) => input.ctx!.waitUntil(promise) };
  try {
    // The Worker's own token: proves the provider accepts this Worker and keeps it warm; never returned.
    await state.store.source(flow).get(waitUntil);
  } catch (error) {
    throw upstreamProblem(error, input);
  }
  const claims = sessionClaims({
    issuer: config.issuer!, // required in session mode (config.ts)
    audience: profile.audience!,
    profile: profile.name,
    scope: input.scope,
    origin: input.origin,
    now: state.clock.now(),
    expiresIn: input.expiresIn,
  });
  return { accessToken: await signSession(keys, claims), tokenType: 'Bearer', expiresIn: input.expiresIn, expiresAt: claims.exp * 1000, scope: input.scope };
}

/** What the server token's flow depends on (the proxy builds it from the same). */
export type ServerFlowInput = Pick<MintInput, 'state' | 'config' | 'env' | 'profile'>;

/** The profile's flow for the store: as it is, or through the flow key's Durable Object. */
export function serverFlow(input: ServerFlowInput): TokenFlow {
  const { state, profile } = input;
  // Refresh tokens that rotate live in the profile's vault object, which alone may spend them.
  // The config check refuses vault profiles on a Worker built without the vault.
  if (profile.entry.vault !== undefined) return state.features.vault!.flow(state, input.env, profile);
  const flow = profileFlow(state, input.config, input.env, profile);
  if (profile.coordination === 'isolate') return flow;
  const ask = { profile: profile.name, ...(profile.upstream === 'emulator' ? { epoch: state.emulatorEpoch } : {}) };
  // The config check (re-run when the binding appears or goes) makes sure it is bound.
  return state.coordination.flow(flow, ask, input.env[COORDINATOR_BINDING] as DurableObjectNamespaceLike);
}

const REJECTED: ReadonlySet<string> = new Set(['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope']);

/** A 502 with a code; the upstream's words go to the log (the core scrubs secrets from them), never to the page. */
export function upstreamProblem(error: unknown, input: Pick<MintInput, 'state' | 'profile'>): MintProblem {
  if (error instanceof MintProblem) return error;
  // A flow's own problem (the vault's), wrapped by the store.
  if (error instanceof TokenError && error.cause instanceof MintProblem) return error.cause;
  const at = `profile "${input.profile.name}"`;
  if (!(error instanceof TokenError)) {
    input.state.log.log('error', `${at}: upstream call failed (${error instanceof Error ? error.name : typeof error})`);
    return problem('upstream_unavailable');
  }
  input.state.log.log('warn', `${at}: upstream ${error.code}${error.status === undefined ? '' : ` (HTTP ${error.status})`}: ${error.message}`);
  if (REJECTED.has(error.code)) return problem('upstream_rejected', { detail: 'The operator should check the provider credentials and options.' });
  if (error.code === 'invalid_response') return problem('upstream_invalid_response');
  return problem('upstream_unavailable');
}
