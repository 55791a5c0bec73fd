// The vault: a Durable Object class, one object per (profile, grant), that owns the profile's refresh
// token for every isolate. The access token is kept by the coordinator's TokenKeeper (single flight,
// alarm refresh, failed refreshes ridden out on the current token); the flow it runs is the refresh
// chain, which stores each rotated refresh token before the access token is handed out.
import * as v from 'valibot';
import type { AccessToken, TokenFlow } from '../../core/index.js';
import { configError } from '../../core/kit.js';
import { TokenAskSchema } from '../coordinator/protocol.js';
import { TokenKeeper } from '../coordinator/keeper.js';
import type { DurableObjectClass, DurableObjectLike, DurableObjectStateLike, DurableObjectStorageLike } from '../durable-object.js';
import { MintProblem } from '../http/problem.js';
import { json, respond } from '../http/respond.js';
import { readCredentials } from '../config/secrets.js';
import type { MintState } from '../state.js';
import type { MintEnv, MintWorker } from '../types.js';
import { sharedState } from '../worker.js';
import { RefreshChain, VaultStop, type VaultStorage, type VaultTarget } from './chain.js';
import { Keyring } from './keyring.js';
import { BeginAsk, CompleteAsk, ProfileAsk, type VaultProblem, type VaultReply } from './protocol.js';

/** The access-token keeper's view of storage: its `forget` drops its own record, never the vault's. */
function keeperStorage(storage: VaultStorage): DurableObjectStorageLike {
  return {
    get: (key) => storage.get(key),
    put: (key, value) => storage.put(key, value),
    deleteAll: async () => void (await storage.delete('state')),
    getAlarm: () => storage.getAlarm(),
    setAlarm: (time) => storage.setAlarm(time),
    deleteAlarm: () => storage.deleteAlarm(),
  };
}

/** The key of the access token a vault profile's isolates and object agree on. */
export const vaultFlowKey = (profile: string): string => `vault ${profile}`;

/** A vault profile as this object's env defines it, or the problem (logged where found). */
function resolveTarget(state: MintState, env: MintEnv, name: string): VaultTarget | VaultProblem {
  try {
    const config = state.config.load(env);
    const profile = config.profiles.get(name);
    const grant = profile?.entry.vault;
    if (profile === undefined || grant === undefined || profile.mode !== 'session') return 'unknown_profile';
    const emulator = profile.upstream === 'emulator' ? state.emulator(config) : undefined;
    const options = profile.providerOptions as { seedSecret?: string; mtlsBinding?: string };
    const seedSecret = options.seedSecret ?? grant.seedSecret;
    const seed = env[seedSecret];
    const mtls = options.mtlsBinding === undefined ? undefined : (env[options.mtlsBinding] as { fetch?: typeof fetch } | undefined);
    if (options.mtlsBinding !== undefined && typeof mtls?.fetch !== 'function') {
      state.log.once('error', `config_invalid: profile "${name}": options.mtlsBinding "${options.mtlsBinding}" is not bound (add [[mtls_certificates]] binding = "${options.mtlsBinding}" to wrangler.toml)`);
      return 'config_invalid';
    }
    return {
      profile,
      grant,
      input: {
        credentials: readCredentials(env, profile, state.log),
        options: profile.providerOptions,
        ...(emulator === undefined ? {} : { baseUrl: emulator.baseUrl(profile.entry.emulatorPrefix), fetch: emulator.fetch }),
        // Production CyberSource: the token endpoint through the mTLS certificate binding.
        ...(mtls === undefined || emulator !== undefined ? {} : { fetch: (input: RequestInfo | URL, init?: RequestInit) => mtls.fetch!(input, init) }),
      },
      seed: typeof seed === 'string' && seed !== '' ? seed : undefined,
      seedSecret,
    };
  } catch (error) {
    if (error instanceof MintProblem && (error.code === 'config_invalid' || error.code === 'config_missing' || error.code === 'secret_missing' || error.code === 'secret_invalid')) return error.code;
    throw error;
  }
}

/**
 * The Durable Object class for `[[durable_objects.bindings]]` (binding `TOKENMINT_VAULT`), sharing
 * `worker`'s clock, logger and dev emulator. Export it from the Worker's main module.
 * @example
 * const mint = createMintWorker();
 * export default mint;
 * export const TokenVault = createTokenVault(mint);
 */
export function createTokenVault(worker: MintWorker): DurableObjectClass<MintEnv> {
  const found = sharedState(worker);
  if (found === undefined) throw configError('worker', 'createTokenVault(worker)', 'must be given a Worker made by createMintWorker');
  const state: MintState = found;
  const run = (flow: TokenFlow, signal?: AbortSignal): Promise<AccessToken> =>
    flow.fetchToken({ fetch: state.fetch, signal: signal ?? new AbortController().signal, clock: state.clock, random: state.random, ...(state.http === undefined ? {} : { http: state.http }) });

  return class TokenVault implements DurableObjectLike {
    readonly #env: MintEnv;
    readonly #chain: RefreshChain;
    readonly #keeper: TokenKeeper;
    /** Why the last refresh gave no token (cleared by a success or an onboarding). */
    #problem: VaultProblem | undefined;

    constructor(ctx: DurableObjectStateLike, env: MintEnv) {
      this.#env = env;
      const storage = ctx.storage as VaultStorage;
      const keyring = new Keyring(state.log);
      this.#chain = new RefreshChain({ storage, clock: state.clock, log: state.log, keys: () => keyring.get(env) });
      this.#keeper = new TokenKeeper({
        storage: keeperStorage(storage),
        clock: state.clock,
        random: state.random,
        log: state.log.log,
        // Always a flow (never a reason): the keeper forgets what it holds when it gets a reason, and
        // the vault's chain must outlive a broken config.
        build: (profile) => this.#flow(profile),
        run,
      });
    }

    #flow(name: string): TokenFlow {
      return {
        key: vaultFlowKey(name),
        browserSafe: false,
        fetchToken: async (ctx) => {
          try {
            const target = resolveTarget(state, this.#env, name);
            if (typeof target === 'string') throw new VaultStop(target);
            const token = await this.#chain.refresh(target, (flow) => flow.fetchToken(ctx));
            this.#problem = undefined;
            return token;
          } catch (error) {
            this.#problem = error instanceof VaultStop ? error.problem : undefined;
            throw error;
          }
        },
      };
    }

    async fetch(request: Request): Promise<Response> {
      const path = `${request.method} ${new URL(request.url).pathname}`;
      const body: unknown = await request.json().catch(() => undefined);
      const profile = v.safeParse(ProfileAsk, body);
      if (!profile.success) return json(400, { ok: false, unavailable: 'bad_request' });
      const target = resolveTarget(state, this.#env, profile.output.profile);
      if (typeof target === 'string') return json(200, { ok: false, problem: target } satisfies VaultReply);
      switch (path) {
        case 'POST /token': {
          const ask = v.safeParse(TokenAskSchema, body);
          if (!ask.success) return json(400, { ok: false, unavailable: 'bad_request' });
          const reply = await this.#keeper.ask(ask.output);
          if (reply.ok) return json(200, reply);
          // The keeper answers a cached failure until its retry time: the chain says whether it is one
          // that onboarding (or the key) must fix.
          const problem = this.#problem ?? (await this.#chain.problem(target));
          if (problem === undefined) return json(200, reply);
          // Not an upstream failure worth backing off from: the next ask looks again (locally, no
          // upstream call), so a fixed key or secret, or an onboarding, takes effect at once.
          await this.#keeper.forget();
          return json(200, { ok: false, problem } satisfies VaultReply);
        }
        case 'POST /begin': {
          const ask = v.safeParse(BeginAsk, body);
          if (!ask.success) return json(400, { ok: false, unavailable: 'bad_request' });
          const begun = await this.#chain.begin(target, ask.output.redirectUri, ask.output.emulatorBase);
          return json(200, typeof begun === 'string' ? { ok: false, problem: begun } : { ok: true, location: begun.location });
        }
        case 'POST /complete': {
          const ask = v.safeParse(CompleteAsk, body);
          if (!ask.success) return json(400, { ok: false, unavailable: 'bad_request' });
          const done = await this.#chain.complete(target, ask.output, (flow) => run(flow));
          if (done !== 'ok') return json(200, { ok: false, problem: done });
          // The keeper's cached failure (and schedule) belong to the old chain.
          await this.#keeper.forget();
          this.#problem = undefined;
          return json(200, { ok: true });
        }
        case 'POST /status':
          return json(200, await this.#chain.status(target));
        default:
          return respond(404, null);
      }
    }

    alarm(): Promise<void> {
      return this.#keeper.alarm();
    }
  };
}
