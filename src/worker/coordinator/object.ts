// The token coordinator: a Durable Object class, one object per flow key, that owns the provider token
// for every isolate of the Worker. It runs the flow itself, reading the credentials from its own env —
// a Durable Object of the same script has the Worker's env — so no credential crosses the wire and
// none is stored; its alarm, which fires with no request to bring credentials along, can refresh.
import * as v from 'valibot';
import { type TokenFlow } from '../../core/index.js';
import { configError } from '../../core/kit.js';
import { TOKEN_PATH, TokenAskSchema } from './protocol.js';
import { TokenKeeper, type RunFlow } from './keeper.js';
import type { DurableObjectClass, DurableObjectLike, DurableObjectStateLike } from '../durable-object.js';
import { profileFlow } from '../mint/flows.js';
import { MintProblem } from '../http/problem.js';
import { json, respond } from '../http/respond.js';
import type { MintState } from '../state.js';
import type { MintEnv, MintWorker } from '../types.js';
import { sharedState } from '../worker.js';

/** A session profile's flow from the object's env, or the problem code that prevents it. */
function buildFlow(state: MintState, env: MintEnv, name: string): TokenFlow | string {
  try {
    const prism = state.features.prismService?.askFlow(state, env, name);
    if (prism !== undefined) return prism;
    const config = state.config.load(env);
    const profile = config.profiles.get(name);
    if (profile === undefined || profile.mode !== 'session') return 'unknown_profile';
    return profileFlow(state, config, env, profile);
  } catch (error) {
    // Config and secret problems are logged by name where they are found (once per isolate).
    return error instanceof MintProblem ? error.code : 'flow_failed';
  }
}

/**
 * The Durable Object class for `[[durable_objects.bindings]]` (binding `TOKENMINT_COORDINATOR`),
 * sharing `worker`'s clock, logger and dev emulator. Export it from the Worker's main module.
 * @example
 * const mint = createMintWorker();
 * export default mint;
 * export const TokenCoordinator = createTokenCoordinator(mint);
 */
export function createTokenCoordinator(worker: MintWorker): DurableObjectClass<MintEnv> {
  const found = sharedState(worker);
  if (found === undefined) throw configError('worker', 'createTokenCoordinator(worker)', 'must be given a Worker made by createMintWorker');
  const state: MintState = found;
  const run: RunFlow = (flow, signal) =>
    flow.fetchToken({ fetch: state.fetch, signal, clock: state.clock, random: state.random, ...(state.http === undefined ? {} : { http: state.http }) });

  return class TokenCoordinator implements DurableObjectLike {
    readonly #keeper: TokenKeeper;

    constructor(ctx: DurableObjectStateLike, env: MintEnv) {
      this.#keeper = new TokenKeeper({
        storage: ctx.storage,
        clock: state.clock,
        random: state.random,
        log: state.log.log,
        build: (profile) => buildFlow(state, env, profile),
        run,
      });
    }

    async fetch(request: Request): Promise<Response> {
      const route = `${request.method} ${new URL(request.url).pathname}`;
      if (route === `POST ${TOKEN_PATH}`) {
        const ask = v.safeParse(TokenAskSchema, await request.json().catch(() => undefined));
        if (!ask.success) return json(400, { ok: false, unavailable: 'bad_request' });
        return json(200, await this.#keeper.ask(ask.output));
      }
      return respond(404, null);
    }

    alarm(): Promise<void> {
      return this.#keeper.alarm();
    }
  };
}
