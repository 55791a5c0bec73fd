import { backoff, systemClock, type Clock } from '../clock.js';
import { TokenError, configError } from '../errors.js';
import { checkKeys, withDefaults, type Filled } from '../oauth/options.js';
import { onCloudflareWorkers } from '../runtime.js';
import type { AccessToken, FlowContext, HttpPolicy, TokenFlow } from '../types.js';
import type { TokenEvent, TokenEventListener } from './events.js';
import { MinHeap } from './heap.js';
import { REFRESH_DEFAULTS, RETRY_DEFAULTS, type RefreshPolicy, type RetryPolicy } from './policy.js';

export interface TokenStoreOptions {
  /** Time and timers. Default: the platform's (the background refresh timer unref'd). */
  clock?: Clock | undefined;
  /** The fetch every flow uses unless it was given its own. Default: `globalThis.fetch`. */
  fetch?: typeof fetch | undefined;
  refresh?: RefreshPolicy | undefined;
  retry?: RetryPolicy | undefined;
  /** Transport policy handed to flows (timeout, retries, size cap). */
  http?: HttpPolicy | undefined;
  /**
   * Run proactive refreshes from a timer. Default: true, except on Cloudflare Workers, where timers
   * do not run between requests; there refreshes start on access (pass `waitUntil`).
   */
  timers?: boolean | undefined;
  /** Keeps a background refresh alive past the response, e.g. `ctx.waitUntil.bind(ctx)`. */
  waitUntil?: ((promise: Promise<unknown>) => void) | undefined;
  onEvent?: TokenEventListener | undefined;
  /** Randomness for jitter. Default `Math.random`. */
  random?: (() => number) | undefined;
}

export interface GetOptions {
  /** For this call, overrides the store's `waitUntil` (Workers: `ctx.waitUntil.bind(ctx)`). */
  waitUntil?: ((promise: Promise<unknown>) => void) | undefined;
}

/** A cached, self-refreshing token for one flow. */
export interface TokenSource {
  readonly key: string;
  /** A valid token: from memory when there is one (never waiting on a refresh), else one shared fetch. */
  get(options?: GetOptions): Promise<AccessToken>;
  /** The cached token if it is still valid; never fetches. */
  peek(): AccessToken | undefined;
  /** The `Authorization` header value, e.g. `Bearer abc`. */
  authorization(options?: GetOptions): Promise<string>;
  /** Fetches a new token now (joining one already under way). */
  refresh(): Promise<AccessToken>;
  /** Forgets the cached token (e.g. after the API rejected it); the next `get()` fetches. */
  invalidate(): void;
}

export interface TokenStore extends Disposable, AsyncDisposable {
  /** The source for a flow; flows with the same `key` share one source. */
  source(flow: TokenFlow): TokenSource;
  /** Number of sources. */
  readonly size: number;
  /** Stops every timer and aborts every request; later calls reject with `aborted`. */
  dispose(): void;
}

const noop = (): void => {};

type Reason = 'initial' | 'refresh' | 'forced';

/** A nested policy: its keys checked against its defaults' (strict options), then merged over them. */
function checked<T extends object>(defaults: Filled<T>, given: T | undefined, prefix: string): Filled<T> {
  checkKeys('store', given ?? {}, Object.keys(defaults).join(' '), prefix);
  return withDefaults(defaults, given);
}

/**
 * Creates an in-memory token store: tokens are served from memory, refreshed before they expire by
 * one timer for the whole store, fetched once however many callers ask, and kept in service through
 * failed refreshes until they expire.
 * @example
 * const store = createTokenStore();
 * const source = store.source(clientCredentials({ tokenUrl, clientId, clientSecret }));
 * await fetch(api, { headers: { authorization: await source.authorization() } });
 */
export function createTokenStore(options: TokenStoreOptions = {}): TokenStore {
  // The store's state lives in this closure and its sources are instances of a class declared in it:
  // a cache hit reads plain variables (no getter, no AbortSignal brand check), and minifiers shorten
  // every name, which keeps the browser bundle small.
  checkKeys('store', options, 'clock fetch refresh retry http timers waitUntil onEvent random');
  const policy = checked(REFRESH_DEFAULTS, options.refresh, 'refresh.');
  const retry = checked(RETRY_DEFAULTS, options.retry, 'retry.');
  checkKeys('store', options.http ?? {}, 'timeout retries backoffBase backoffMax maxBytes', 'http.');
  const { clock = systemClock, http, waitUntil, onEvent, random = Math.random } = options;
  const storeFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const timers = options.timers ?? !onCloudflareWorkers();
  const { ratio, jitter } = policy;
  if (!(ratio > 0 && ratio < 1 && jitter >= 0 && jitter < ratio)) throw configError('store', 'refresh.ratio', 'must be in (0, 1) and larger than refresh.jitter');
  const controller = new AbortController();
  const { signal } = controller;
  let disposed = false;
  const sources = new Map<string, Source>();
  const heap = new MinHeap<Source>();
  let timer: unknown;
  let timerAt = Infinity;
  // Every source's three times (usable until, due at, last used) in one array of doubles for the store:
  // stored unboxed, where three number fields of a source would each hold a 16-byte heap number.
  let times = new Float64Array(3 * 64);
  let slots = 0;
  const USABLE = 0; // until when the token may be served (0: there is none to serve)
  const DUE = 1;
  const USED = 2;

  const emit = (event: TokenEvent): void => {
    try {
      onEvent?.(event);
    } catch {
      // A listener's failure must not break token delivery.
    }
  };

  /** Puts a source on the schedule at `at`; an entry of it at another time is skipped when it comes up. */
  const schedule = (source: Source, at: number): void => {
    source.dueAt = at;
    if (!timers || disposed) return;
    heap.push(at, source);
    if (at < timerAt) arm();
  };

  const stop = (): void => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    timerAt = Infinity;
  };

  const arm = (): void => {
    while (heap.at.length > 0 && heap.at[0] !== heap.items[0]!.dueAt) heap.pop();
    const at = heap.at[0] ?? Infinity;
    if (at === timerAt) return;
    stop();
    if (at < Infinity) {
      timerAt = at;
      timer = clock.setTimeout(fire, at - clock.now(), true);
    }
  };

  const fire = (): void => {
    timer = undefined;
    timerAt = Infinity;
    const now = clock.now();
    while (heap.at.length > 0 && heap.at[0]! <= now) {
      const source = heap.items[0]!;
      const live = heap.at[0] === source.dueAt;
      heap.pop();
      if (live) source.due(now);
    }
    arm();
  };

  class Source implements TokenSource {
    inflight: Promise<AccessToken> | undefined;
    /** Where this source's times are in `times`. */
    readonly #slot: number;
    readonly #flow: TokenFlow;
    /** The last token held, even expired or invalidated: refresh-token grants continue from it. */
    #token: AccessToken | undefined;
    /** The same resolved promise for every cache hit: no allocation on the hot path. */
    #resolved: Promise<AccessToken> | undefined;
    #lifetime = 0;
    #failures = 0;

    constructor(flow: TokenFlow) {
      this.#flow = flow;
      if (3 * slots === times.length) {
        const grown = new Float64Array(2 * times.length);
        grown.set(times);
        times = grown;
      }
      this.#slot = 3 * slots++;
      this.dueAt = Infinity;
    }

    /** When the next refresh (or retry) is due; Infinity when none is. Schedule entries at other times are stale. */
    get dueAt(): number {
      return times[this.#slot + DUE]!;
    }

    set dueAt(at: number) {
      times[this.#slot + DUE] = at;
    }

    get key(): string {
      return this.#flow.key;
    }

    get(options?: GetOptions): Promise<AccessToken> {
      if (disposed) return Promise.reject(signal.reason);
      const now = clock.now();
      // One load of the array for the three reads of the hot path.
      const at = this.#slot;
      const t = times;
      t[at + USED] = now;
      if (now < t[at + USABLE]!) {
        if (now >= t[at + DUE]! && this.inflight === undefined) {
          const refresh = this.#start('refresh').catch(noop); // reported through events; callers keep the valid token
          (options?.waitUntil ?? waitUntil)?.(refresh);
        }
        return this.#resolved!;
      }
      return this.inflight ?? this.#start('initial');
    }

    peek(): AccessToken | undefined {
      return clock.now() < times[this.#slot + USABLE]! ? this.#token : undefined;
    }

    authorization(options?: GetOptions): Promise<string> {
      return this.get(options).then((token) => this.#flow.authorization?.(token) ?? `${token.tokenType} ${token.accessToken}`);
    }

    refresh(): Promise<AccessToken> {
      if (disposed) return Promise.reject(signal.reason);
      times[this.#slot + USED] = clock.now();
      return this.inflight ?? this.#start('forced');
    }

    invalidate(): void {
      this.#resolved = undefined;
      times[this.#slot + USABLE] = 0;
      this.dueAt = Infinity; // drops it from the schedule
      emit({ type: 'invalidate', key: this.key, at: clock.now() });
    }

    /** Called by the store's timer when this source's refresh or retry is due. */
    due(now: number): void {
      if (this.inflight !== undefined) return;
      if (now - times[this.#slot + USED]! > Math.max(policy.idleAfter, this.#lifetime)) emit({ type: 'idle', key: this.key, at: now });
      else this.#start('refresh').catch(noop);
    }

    #start(reason: Reason): Promise<AccessToken> {
      const promise: Promise<AccessToken> = this.#run(reason).finally(() => {
        if (this.inflight === promise) this.inflight = undefined;
      });
      return (this.inflight = promise);
    }

    async #run(reason: Reason): Promise<AccessToken> {
      const ctx: FlowContext = { fetch: storeFetch, signal, clock, random, onHookError: () => emit({ type: 'hook-error', key: this.key, at: clock.now() }) };
      if (this.#token !== undefined) ctx.previous = this.#token;
      if (http !== undefined) ctx.http = http;
      const provider = this.#flow.provider ?? 'flow';
      let token: AccessToken;
      try {
        token = await this.#flow.fetchToken(ctx);
        if (typeof token?.accessToken !== 'string' || token.accessToken === '' || !Number.isFinite(token.expiresAt) || !(token.expiresAt > clock.now())) {
          throw new TokenError('invalid_response', `${provider}: the flow returned no usable token`, { provider });
        }
      } catch (error) {
        throw this.#fail(
          error instanceof TokenError ? error
          : disposed ? (signal.reason as TokenError)
          // A custom flow's own error: wrapped, its message not repeated (it may quote a secret).
          : new TokenError('upstream_error', `${provider}: the flow failed (${error instanceof Error ? error.name : typeof error})`, { provider, cause: error }),
        );
      }
      this.#accept(token, reason);
      return token;
    }

    #accept(token: AccessToken, reason: Reason): void {
      const now = clock.now();
      const expiry = Math.min(token.expiresAt, now + policy.maxLifetime);
      const lifetime = expiry - now;
      const early = now + lifetime * (ratio - jitter * random());
      const refreshAt = Math.max(Math.min(early, expiry - policy.margin), now + lifetime / 2);
      this.#token = token;
      this.#resolved = Promise.resolve(token);
      times[this.#slot + USABLE] = expiry - Math.min(policy.leeway, lifetime * 0.1);
      this.#lifetime = Math.round(lifetime); // whole ms: kept as a small integer, not a boxed double
      this.#failures = 0;
      schedule(this, refreshAt);
      emit({ type: 'token', key: this.key, at: now, reason, expiresAt: token.expiresAt, refreshAt });
    }

    /** Records a failure: with a valid token, schedules a retry with backoff; without one, the caller gets it. */
    #fail(error: TokenError): TokenError {
      const now = clock.now();
      if (disposed) return error;
      if (now < times[this.#slot + USABLE]!) {
        // Backoff, but never past half the valid time left, so an upstream that recovers before expiry
        // is seen before expiry; a Retry-After is obeyed even so.
        const step = Math.min(backoff(this.#failures++, retry.base, retry.max, random), (times[this.#slot + USABLE]! - now) / 2);
        const retryAt = now + Math.max(retry.min, step, (error.retryAfter ?? 0) * 1000);
        schedule(this, retryAt);
        emit({ type: 'refresh-error', key: this.key, at: now, code: error.code, attempt: this.#failures, retryAt, expiresAt: this.#token!.expiresAt });
      } else {
        emit({ type: 'error', key: this.key, at: now, code: error.code });
      }
      return error;
    }
  }

  const dispose = (): void => {
    if (disposed) return;
    disposed = true;
    controller.abort(new TokenError('aborted', 'token store disposed'));
    stop();
    heap.clear();
  };

  return {
    source(flow: TokenFlow): TokenSource {
      if (typeof flow?.key !== 'string' || flow.key === '' || typeof flow.fetchToken !== 'function') {
        throw configError('store', 'flow', 'must be a TokenFlow (a non-empty key and a fetchToken function)');
      }
      let source = sources.get(flow.key);
      if (source === undefined) sources.set(flow.key, (source = new Source(flow)));
      return source;
    },
    get size() {
      return sources.size;
    },
    dispose,
    [Symbol.dispose]: dispose,
    async [Symbol.asyncDispose]() {
      const pending = [...sources.values()].map((source) => source.inflight);
      dispose();
      await Promise.allSettled(pending);
    },
  };
}
