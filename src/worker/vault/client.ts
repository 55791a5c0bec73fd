// The isolate's side of the vault: a TokenFlow that asks the profile's vault object for the access
// token (the isolate's TokenStore keeps it, so the object sees one ask per isolate per token), and the
// call the onboarding and status routes make. There is no fallback: only the object may spend the
// refresh token, so an unreachable object is a 503, never a refresh from here.
import type { TokenFlow } from '../../core/index.js';
import type { Profile } from '../config/parse.js';
import { fromWireError, parseReply } from '../coordinator/protocol.js';
import { isNamespace } from '../durable-object.js';
import { PROBLEMS, problem, type ProblemCode } from '../http/problem.js';
import type { MintState } from '../state.js';
import type { MintEnv } from '../types.js';
import { vaultFlowKey } from './object.js';
import { VAULT_BINDING, VAULT_ORIGIN, vaultName } from './protocol.js';

/** POSTs `body` to the profile's vault object; its JSON answer, or a `vault_unavailable` problem. */
export async function askVault(state: MintState, env: MintEnv, profile: Profile, path: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const namespace = env[VAULT_BINDING];
  if (!isNamespace(namespace)) throw problem('vault_unavailable'); // the config check names the binding
  let answer: unknown;
  try {
    const stub = namespace.get(namespace.idFromName(vaultName(profile.name, profile.provider)) as never);
    const response = await stub.fetch(new Request(`${VAULT_ORIGIN}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ profile: profile.name, ...body }) }));
    answer = response.status === 200 ? await response.json() : undefined;
  } catch (error) {
    state.log.log('warn', `vault: profile "${profile.name}": the Durable Object ${VAULT_BINDING} did not answer (${error instanceof Error ? error.name : typeof error})`);
    throw problem('vault_unavailable');
  }
  if (typeof answer !== 'object' || answer === null) throw problem('vault_unavailable');
  const reply = answer as Record<string, unknown>;
  if (reply.ok === false && typeof reply.problem === 'string') throw problem(Object.hasOwn(PROBLEMS, reply.problem) ? (reply.problem as ProblemCode) : 'vault_unavailable');
  return reply;
}

/** The profile's server token, through its vault object. */
export function vaultFlow(state: MintState, env: MintEnv, profile: Profile): TokenFlow {
  const key = vaultFlowKey(profile.name);
  return state.canonicalFlow({
    key,
    browserSafe: false,
    provider: profile.provider,
    async fetchToken() {
      const reply = parseReply(await askVault(state, env, profile, '/token', { key }));
      if (reply === undefined || ('unavailable' in reply && !reply.ok)) throw problem('vault_unavailable');
      if (reply.ok) return { ...reply.token };
      throw fromWireError(reply.error);
    },
  });
}
