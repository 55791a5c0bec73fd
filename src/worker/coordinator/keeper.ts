// The token one coordinator object owns, over its storage: fetched once however many isolates ask
// (single-flight), refreshed by alarm before any isolate finds its copy due, kept in service through
// failed refreshes (retried by alarm with backoff), persisted so an evicted object does not refetch.
import { TokenError, type AccessToken, type Clock, type TokenFlow } from '../../core/index.js';
import { REFRESH_DEFAULTS, sha256Hex } from '../../core/kit.js';
import { toWireError, toWireToken, type TokenAsk, type TokenReply, type WireError, type WireToken } from './protocol.js';
import { objectRefreshAt, retryAt, usableUntil } from './schedule.js';
import type { DurableObjectStorageLike } from '../durable-object.js';
import type { Logger } from '../types.js';

const STATE_KEY = 'state';

/** What the object keeps in storage (one record). No credential: only the profile that names them. */
interface Stored {
  v: 1;
  key: string;
  /** The profile whose flow the alarm runs (the last one an isolate named). */
  profile: string;
  /** Dev emulator profiles: the emulator epoch the token was obtained under (TokenAsk.epoch). */
  epoch?: string;
  token?: WireToken;
  /** The token is handed out until then (the store's own leeway before expiry). */
  usableUntil: number;
  /** Next refresh, or next retry after a failure. */
  refreshAt: number;
  lifetime: number;
  failures: number;
  /** The last failure while no token was valid: answered until `refreshAt`, sparing the upstream. */
  error?: WireError;
  lastUsed: number;
}

/** The profile's flow, or why the object cannot build it (`unknown_profile`, `secret_missing`, …). */
export type BuildFlow = (profile: string) => TokenFlow | string;
/** Runs a flow once (the object's fetch, clock, HTTP policy). */
export type RunFlow = (flow: TokenFlow, signal: AbortSignal) => Promise<AccessToken>;

export interface KeeperOptions {
  storage: DurableObjectStorageLike;
  clock: Clock;
  random: () => number;
  log: Logger;
  build: BuildFlow;
  run: RunFlow;
}

export class TokenKeeper {
  readonly #o: KeeperOptions;
  #state: Stored | undefined;
  #loaded: Promise<void> | undefined;
  #inflight: Promise<void> | undefined;
  /** Aborted by `forget`, so a fetch under way cannot bring a forgotten token back. */
  #controller = new AbortController();

  constructor(options: KeeperOptions) {
    this.#o = options;
  }

  /** An isolate asks for the token of `ask.key`. */
  async ask(ask: TokenAsk): Promise<TokenReply> {
    await this.#load();
    const flow = this.#o.build(ask.profile);
    if (typeof flow === 'string') return { ok: false, unavailable: flow };
    // The object is named by the key its callers computed; an env that yields another key (a
    // secret rotated, a deployment half done) must not serve under the old name.
    if (flow.key !== ask.key) return { ok: false, unavailable: 'key_mismatch' };
    const now = this.#o.clock.now();
    if (this.#state?.key !== ask.key || this.#state.epoch !== ask.epoch) {
      this.#abortFetch(); // one under way belongs to the old epoch
      this.#state = { v: 1, key: ask.key, profile: ask.profile, usableUntil: 0, refreshAt: 0, lifetime: 0, failures: 0, lastUsed: now };
      if (ask.epoch !== undefined) this.#state.epoch = ask.epoch;
    }
    const state = this.#state;
    state.profile = ask.profile;
    state.lastUsed = now;
    // The provider refused the token this object hands out: fetch anew (later reports of the same token find a new one).
    if (ask.rejected !== undefined && state.token !== undefined && sha256Hex(state.token.accessToken) === ask.rejected) state.refreshAt = now;
    if (now >= state.refreshAt) await this.#refresh(flow);
    else await this.#save();
    return this.#reply();
  }

  /** The alarm: refresh (or retry) if due; stop when nobody asked for a whole lifetime plus `idleAfter`. */
  async alarm(): Promise<void> {
    await this.#load();
    const state = this.#state;
    if (state === undefined) return;
    const now = this.#o.clock.now();
    // Without a valid token there is nothing to keep fresh: the next ask fetches.
    if (state.token === undefined || now >= state.usableUntil) return;
    if (now - state.lastUsed > REFRESH_DEFAULTS.idleAfter + state.lifetime) {
      this.#o.log('info', `coordinator: no isolate asked for a while; refreshes stop until one does: ${state.key}`);
      return;
    }
    if (now < state.refreshAt) return this.#o.storage.setAlarm(state.refreshAt);
    const flow = this.#o.build(state.profile);
    if (typeof flow === 'string' || flow.key !== state.key) {
      // The profile is gone or now yields another key: this object is an orphan.
      this.#o.log('info', `coordinator: profile "${state.profile}" no longer yields this flow (${typeof flow === 'string' ? flow : 'key_mismatch'}); forgetting its token: ${state.key}`);
      return this.forget();
    }
    await this.#refresh(flow);
  }

  /** Drops the token, its schedule and its storage (an orphaned object). */
  async forget(): Promise<void> {
    this.#abortFetch();
    this.#state = undefined;
    await this.#o.storage.deleteAlarm();
    await this.#o.storage.deleteAll();
  }

  #abortFetch(): void {
    this.#controller.abort(new TokenError('aborted', 'coordinator: token forgotten'));
    this.#controller = new AbortController();
    this.#inflight = undefined;
  }

  #load(): Promise<void> {
    this.#loaded ??= this.#o.storage.get(STATE_KEY).then((stored) => {
      if ((stored as Stored | undefined)?.v === 1) this.#state ??= stored as Stored;
    });
    return this.#loaded;
  }

  #save(): Promise<void> {
    return this.#state === undefined ? Promise.resolve() : this.#o.storage.put(STATE_KEY, this.#state);
  }

  #reply(): TokenReply {
    const state = this.#state;
    const now = this.#o.clock.now();
    if (state?.token !== undefined && now < state.usableUntil) return { ok: true, token: state.token };
    return { ok: false, error: state?.error ?? { code: 'upstream_error', message: 'coordinator: no token (dropped while fetching)' } };
  }

  /** One fetch at a time; callers that arrive meanwhile wait for the same one. Never rejects. */
  #refresh(flow: TokenFlow): Promise<void> {
    this.#inflight ??= this.#fetch(flow).finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  async #fetch(flow: TokenFlow): Promise<void> {
    const { signal } = this.#controller;
    let token: AccessToken | undefined;
    let error: TokenError | undefined;
    try {
      token = await this.#o.run(flow, signal);
      // As the store checks (an infinite expiry would not survive JSON to the isolates).
      if (!(typeof token?.accessToken === 'string' && token.accessToken !== '' && Number.isFinite(token.expiresAt) && token.expiresAt > this.#o.clock.now())) {
        throw new TokenError('invalid_response', `${flow.provider ?? 'flow'}: the flow returned no usable token`, { provider: flow.provider ?? 'flow' });
      }
    } catch (caught) {
      token = undefined;
      error = asTokenError(caught, flow);
    }
    const state = this.#state;
    if (signal.aborted || state === undefined) return;
    const now = this.#o.clock.now();
    if (token !== undefined) {
      state.token = toWireToken(token);
      state.usableUntil = usableUntil(now, token.expiresAt);
      state.refreshAt = objectRefreshAt(now, token.expiresAt);
      state.lifetime = token.expiresAt - now;
      state.failures = 0;
      delete state.error;
    } else {
      const failure = error!;
      state.failures++;
      const valid = state.token !== undefined && now < state.usableUntil;
      state.refreshAt = retryAt(now, state.failures, this.#o.random, failure.retryAfter, valid ? state.usableUntil : undefined);
      if (valid) {
        delete state.error;
        this.#o.log('warn', `coordinator: refresh failed (${failure.code}, attempt ${state.failures}); the current token serves until ${new Date(state.token!.expiresAt).toISOString()}, next try ${new Date(state.refreshAt).toISOString()}: ${state.key}`);
      } else {
        delete state.token;
        state.error = toWireError(failure);
        this.#o.log('warn', `coordinator: fetch failed (${failure.code}); callers get this error until ${new Date(state.refreshAt).toISOString()}: ${state.key}`);
      }
    }
    await this.#save();
    // The alarm is the refresh timer: set while a token is valid, so a retry or refresh runs without
    // any request; with no valid token the next ask fetches.
    if (state.token !== undefined) await this.#o.storage.setAlarm(state.refreshAt);
    else await this.#o.storage.deleteAlarm();
  }
}

function asTokenError(error: unknown, flow: TokenFlow): TokenError {
  if (error instanceof TokenError) return error;
  // A flow's own error: its message is not repeated (it may quote a secret), as the store does.
  const provider = flow.provider ?? 'flow';
  return new TokenError('upstream_error', `${provider}: the flow failed (${error instanceof Error ? error.name : typeof error})`, { provider });
}
