// What one Worker instance keeps for its isolate: the parsed config, the imported signing key, the
// rate-limit buckets, the store of the Worker's own server tokens (and the flows that coordinate them
// through a Durable Object) and, in development, the emulator.
import { createTokenStore, systemClock, type Clock, type HttpPolicy, type TokenFlow, type TokenStore } from '../core/index.js';
import type { MintConfig } from './config/parse.js';
import { ConfigCache } from './config/cache.js';
import { Coordination } from './coordinator/client.js';
import type { MintFeatures } from './features.js';
import { consoleLogger, createOnceLogger, type OnceLogger } from './log.js';
import { TokenBuckets } from './mint/rate-limit.js';
import { SigningKeyCache } from './config/secrets.js';
import type { DevEmulatorSurface, MintWorkerOptions } from './types.js';

// Flow keys differ only by profile, credentials and (upstream mode) scope: a handful in practice.
const MAX_FLOWS = 1000;

export class MintState {
  readonly clock: Clock;
  readonly random: () => number;
  readonly fetch: typeof fetch;
  readonly http: HttpPolicy | undefined;
  readonly log: OnceLogger;
  readonly config: ConfigCache;
  readonly keys: SigningKeyCache;
  /** Per profile and client network. */
  readonly buckets: TokenBuckets;
  /** Per profile (a few keys: kept apart so a flood of client buckets never evicts one). */
  readonly ceilings: TokenBuckets;
  readonly coordination: Coordination;
  /** The opt-in parts this Worker was built with. */
  readonly features: MintFeatures;
  readonly #options: MintWorkerOptions;
  #store: TokenStore;
  readonly #flows = new Map<string, TokenFlow>();
  #emulator: DevEmulatorSurface | undefined;
  // A new isolate has a new emulator (a restarted `npm start`), whose issued tokens the last one's are
  // not. Drawn on first use: workerd refuses random values at module scope, where the state is made.
  #isolateId: string | undefined;
  #epoch = 0;

  constructor(options: MintWorkerOptions) {
    this.#options = options;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.http = options.http;
    this.features = { proxy: options.proxy, vault: options.vault, prismService: options.prismService };
    this.log = createOnceLogger(options.log ?? consoleLogger);
    this.config = new ConfigCache(this.log, options.devEmulator !== undefined, this.features);
    this.keys = new SigningKeyCache(this.log);
    this.buckets = new TokenBuckets(this.clock);
    this.ceilings = new TokenBuckets(this.clock);
    this.coordination = new Coordination(this.log);
    this.#store = this.#createStore();
  }

  /** The Worker's own server tokens (session mode). Timers are off on Workers (the core detects it). */
  get store(): TokenStore {
    return this.#store;
  }

  #createStore(): TokenStore {
    const log = this.log.log;
    return createTokenStore({
      clock: this.clock,
      random: this.random,
      fetch: this.fetch,
      ...(this.http === undefined ? {} : { http: this.http }),
      // Events carry flow keys, codes and times only: safe to log as they are.
      onEvent: (event) => {
        if (event.type === 'refresh-error') log('warn', `server token refresh failed (${event.code}, attempt ${event.attempt}); the current one stays in use until ${new Date(event.expiresAt).toISOString()}: ${event.key}`);
        else if (event.type === 'error') log('warn', `server token fetch failed (${event.code}): ${event.key}`);
      },
    });
  }

  /**
   * One flow object per flow key for the isolate, so a flow that keeps state between fetches keeps it
   * (paypalClientToken holds the server token that authorises its client tokens).
   */
  canonicalFlow(flow: TokenFlow): TokenFlow {
    const known = this.#flows.get(flow.key);
    if (known !== undefined) return known;
    if (this.#flows.size >= MAX_FLOWS) this.#flows.delete(this.#flows.keys().next().value!);
    this.#flows.set(flow.key, flow);
    return flow;
  }

  /**
   * Drops every cached server token (dev emulator reset / lifetime change). Coordinators drop theirs
   * when next asked: asks from emulator profiles carry `emulatorEpoch`, which this changes.
   */
  forgetServerTokens(): void {
    this.#store.dispose();
    this.#store = this.#createStore();
    this.#flows.clear();
    this.coordination.clear();
    this.#epoch++;
  }

  /** Names this isolate's dev emulator as it is now: tokens a coordinator got before are stale. */
  get emulatorEpoch(): string {
    this.#isolateId ??= crypto.randomUUID();
    return `${this.#isolateId}.${this.#epoch}`;
  }

  /** The dev emulator, created on first use; undefined unless the config enables it (dev entry only). */
  emulator(config: MintConfig): DevEmulatorSurface | undefined {
    const create = this.#options.devEmulator;
    if (config.devEmulator === undefined || create === undefined) return undefined;
    this.#emulator ??= create(this.clock, config.devEmulator.lifetimes);
    return this.#emulator;
  }
}
