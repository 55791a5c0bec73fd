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
  return new Store(options);
}

class Store implements TokenStore {
  readonly clock: Clock;
  readonly fetch: typeof fetch;
  readonly refreshPolicy: Filled<RefreshPolicy>;
  readonly retryPolicy: Filled<RetryPolicy>;
  readonly http: HttpPolicy | undefined;
  readonly timers: boolean;
  readonly waitUntil: ((promise: Promise<unknown>) => void) | undefined;
  readonly onEvent: TokenEventListener | undefined;
  readonly random: () => number;
  readonly controller: AbortController = new AbortController();
  readonly #sources = new Map<string, Source>();
  readonly #heap = new MinHeap<Source>();
  #timer: unknown;
  #timerAt = Infinity;

  constructor(options: TokenStoreOptions) {
    checkKeys('store', options, 'clock fetch refresh retry http timers waitUntil onEvent random');
    checkKeys('store', options.refresh ?? {}, 'ratio jitter margin leeway idleAfter maxLifetime', 'refresh.');
    checkKeys('store', options.retry ?? {}, 'base max min', 'retry.');
    checkKeys('store', options.http ?? {}, 'timeout retries backoffBase backoffMax maxBytes', 'http.');
    this.clock = options.clock ?? systemClock;
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.refreshPolicy = withDefaults(REFRESH_DEFAULTS, options.refresh);
    this.retryPolicy = withDefaults(RETRY_DEFAULTS, options.retry);
    this.http = options.http;
    this.timers = options.timers ?? !onCloudflareWorkers();
    this.waitUntil = options.waitUntil;
    this.onEvent = options.onEvent;
    this.random = options.random ?? Math.random;
    const { ratio, jitter } = this.refreshPolicy;
    if (!(ratio > 0 && ratio < 1 && jitter >= 0 && jitter < ratio)) throw configError('store', 'refresh.ratio', 'must be in (0, 1) and larger than refresh.jitter');
  }

  get disposed(): boolean {
    return this.controller.signal.aborted;
  }

  get size(): number {
    return this.#sources.size;
  }

  source(flow: TokenFlow): TokenSource {
    if (typeof flow?.key !== 'string' || flow.key === '' || typeof flow.fetchToken !== 'function') {
      throw configError('store', 'flow', 'must be a TokenFlow (a non-empty key and a fetchToken function)');
    }
    let source = this.#sources.get(flow.key);
    if (source === undefined) this.#sources.set(flow.key, (source = new Source(this, flow)));
    return source;
  }

  emit(event: TokenEvent): void {
    try {
      this.onEvent?.(event);
    } catch {
      // A listener's failure must not break token delivery.
    }
  }

  /** Puts a source on the schedule at `at`, replacing its previous entry. */
  schedule(source: Source, at: number): void {
    source.version++;
    if (!this.timers || this.disposed) return;
    this.#heap.push({ at, item: source, version: source.version });
    if (at < this.#timerAt) this.#arm();
  }

  #arm(): void {
    let top = this.#heap.peek();
    while (top !== undefined && top.version !== top.item.version) {
      this.#heap.pop();
      top = this.#heap.peek();
    }
    if (top?.at === this.#timerAt) return;
    if (this.#timer !== undefined) this.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = top?.at ?? Infinity;
    if (top !== undefined) this.#timer = this.clock.setTimeout(() => this.#fire(), top.at - this.clock.now(), true);
  }

  #fire(): void {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    const now = this.clock.now();
    for (let top = this.#heap.peek(); top !== undefined && top.at <= now; top = this.#heap.peek()) {
      this.#heap.pop();
      if (top.version === top.item.version) top.item.due(now);
    }
    this.#arm();
  }

  dispose(): void {
    if (this.disposed) return;
    this.controller.abort(new TokenError('aborted', 'token store disposed'));
    if (this.#timer !== undefined) this.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
    this.#heap.clear();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    const pending = [...this.#sources.values()].map((source) => source.inflight);
    this.dispose();
    await Promise.allSettled(pending);
  }
}

class Source implements TokenSource {
  readonly key: string;
  version = 0;
  inflight: Promise<AccessToken> | undefined;
  readonly #store: Store;
  readonly #flow: TokenFlow;
  #token: AccessToken | undefined;
  /** The same resolved promise for every cache hit: no allocation on the hot path. */
  #resolved: Promise<AccessToken> | undefined;
  /** The last token held, even expired: refresh-token grants continue from it. */
  #previous: AccessToken | undefined;
  #usableUntil = 0;
  #nextAttemptAt = Infinity;
  #lifetime = 0;
  #lastUsed = 0;
  #failures = 0;

  constructor(store: Store, flow: TokenFlow) {
    this.#store = store;
    this.#flow = flow;
    this.key = flow.key;
  }

  get(options?: GetOptions): Promise<AccessToken> {
    const store = this.#store;
    if (store.disposed) return Promise.reject(store.controller.signal.reason);
    const now = store.clock.now();
    this.#lastUsed = now;
    if (this.#resolved !== undefined && now < this.#usableUntil) {
      if (now >= this.#nextAttemptAt && this.inflight === undefined) {
        const refresh = this.#start('refresh');
        refresh.catch(noop); // reported through events; callers keep the valid token
        (options?.waitUntil ?? store.waitUntil)?.(refresh.catch(noop));
      }
      return this.#resolved;
    }
    return this.inflight ?? this.#start('initial');
  }

  peek(): AccessToken | undefined {
    return this.#resolved !== undefined && this.#store.clock.now() < this.#usableUntil ? this.#token : undefined;
  }

  authorization(options?: GetOptions): Promise<string> {
    return this.get(options).then((token) => this.#flow.authorization?.(token) ?? `${token.tokenType} ${token.accessToken}`);
  }

  refresh(): Promise<AccessToken> {
    if (this.#store.disposed) return Promise.reject(this.#store.controller.signal.reason);
    this.#lastUsed = this.#store.clock.now();
    return this.inflight ?? this.#start('forced');
  }

  invalidate(): void {
    this.#token = this.#resolved = undefined;
    this.#usableUntil = 0;
    this.#nextAttemptAt = Infinity;
    this.version++; // drops it from the schedule
    this.#store.emit({ type: 'invalidate', key: this.key, at: this.#store.clock.now() });
  }

  /** Called by the store's timer when this source's refresh or retry is due. */
  due(now: number): void {
    if (this.inflight !== undefined) return;
    if (now - this.#lastUsed > Math.max(this.#store.refreshPolicy.idleAfter, this.#lifetime)) {
      this.#store.emit({ type: 'idle', key: this.key, at: now });
      return;
    }
    this.#start('refresh').catch(noop);
  }

  #start(reason: 'initial' | 'refresh' | 'forced'): Promise<AccessToken> {
    const promise: Promise<AccessToken> = this.#run(reason).finally(() => {
      if (this.inflight === promise) this.inflight = undefined;
    });
    this.inflight = promise;
    return promise;
  }

  async #run(reason: 'initial' | 'refresh' | 'forced'): Promise<AccessToken> {
    const store = this.#store;
    const ctx: FlowContext = {
      fetch: store.fetch,
      signal: store.controller.signal,
      clock: store.clock,
      random: store.random,
      onHookError: () => store.emit({ type: 'hook-error', key: this.key, at: store.clock.now() }),
    };
    if (this.#previous !== undefined) ctx.previous = this.#previous;
    if (store.http !== undefined) ctx.http = store.http;
    let token: AccessToken;
    try {
      token = await this.#flow.fetchToken(ctx);
      if (typeof token?.accessToken !== 'string' || token.accessToken === '' || !Number.isFinite(token.expiresAt) || !(token.expiresAt > store.clock.now())) {
        throw new TokenError('invalid_response', `${this.#provider}: the flow returned no usable token`, { provider: this.#provider });
      }
    } catch (error) {
      throw this.#fail(this.#asTokenError(error));
    }
    this.#accept(token, reason);
    return token;
  }

  get #provider(): string {
    return this.#flow.provider ?? 'flow';
  }

  #asTokenError(error: unknown): TokenError {
    if (error instanceof TokenError) return error;
    if (this.#store.disposed) return this.#store.controller.signal.reason as TokenError;
    // A custom flow's own error: wrapped, its message not repeated (it may quote a secret).
    return new TokenError('upstream_error', `${this.#provider}: the flow failed (${error instanceof Error ? error.name : typeof error})`, {
      provider: this.#provider,
      cause: error,
    });
  }

  #accept(token: AccessToken, reason: 'initial' | 'refresh' | 'forced'): void {
    const store = this.#store;
    const policy = store.refreshPolicy;
    const now = store.clock.now();
    const expiry = Math.min(token.expiresAt, now + policy.maxLifetime);
    const lifetime = expiry - now;
    const early = now + lifetime * (policy.ratio - policy.jitter * store.random());
    const refreshAt = Math.max(Math.min(early, expiry - policy.margin), now + lifetime / 2);
    this.#token = this.#previous = token;
    this.#resolved = Promise.resolve(token);
    this.#usableUntil = expiry - Math.min(policy.leeway, lifetime * 0.1);
    this.#nextAttemptAt = refreshAt;
    this.#lifetime = lifetime;
    this.#failures = 0;
    store.schedule(this, refreshAt);
    store.emit({ type: 'token', key: this.key, at: now, reason, expiresAt: token.expiresAt, refreshAt });
  }

  /** Records a failure: with a valid token, schedules a retry with backoff; without one, the caller gets it. */
  #fail(error: TokenError): TokenError {
    const store = this.#store;
    const now = store.clock.now();
    if (store.disposed) return error;
    if (this.#resolved !== undefined && now < this.#usableUntil) {
      const { base, max, min } = store.retryPolicy;
      // Backoff, but never past half the valid time left, so an upstream that recovers before expiry
      // is seen before expiry; a Retry-After is obeyed even so.
      const step = Math.min(backoff(this.#failures++, base, max, store.random), (this.#usableUntil - now) / 2);
      const wait = Math.max(min, step, (error.retryAfter ?? 0) * 1000);
      this.#nextAttemptAt = now + wait;
      store.schedule(this, this.#nextAttemptAt);
      store.emit({ type: 'refresh-error', key: this.key, at: now, code: error.code, attempt: this.#failures, retryAt: this.#nextAttemptAt, expiresAt: this.#token!.expiresAt });
    } else {
      store.emit({ type: 'error', key: this.key, at: now, code: error.code });
    }
    return error;
  }
}
