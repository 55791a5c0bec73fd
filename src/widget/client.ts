import { createTokenStore, TokenError, type AccessToken, type Clock, type HttpPolicy } from '../core/index.js';
import { configError, requireString } from '../core/kit.js';
import { visibilityClock } from './visibility-clock.js';
import { problemError, workerFlow } from './worker-flow.js';

export interface WidgetTokenClientOptions {
  /** The mint Worker's token endpoint, e.g. `https://mint.example.com/v1/tokens`. */
  endpoint: string;
  /** The Worker profile to ask for (`checkout`). */
  profile: string;
  scope?: string;
  /** Requested lifetime in seconds; the Worker clamps it to its profile's maximum. */
  expiresIn?: number;
  fetch?: typeof fetch;
  /** Time and timers (tests). Default: the page's. */
  clock?: Clock;
  /** Retries on network errors, 408, 429 and 5xx. Default: 3 retries, backoff up to 10 s. */
  http?: HttpPolicy;
}

/** `fetch` options for the proxy; headers as a plain object (the Worker forwards only a few). */
export interface ProxyInit extends Omit<RequestInit, 'headers'> {
  headers?: Record<string, string>;
}

export interface WidgetTokenClient extends Disposable {
  /** A valid token: from memory, refreshed before expiry, one request however many callers ask. */
  get(): Promise<AccessToken>;
  /** Called with each new token (first one and every refresh). Returns an unsubscribe function. */
  onToken(listener: (token: AccessToken) => void): () => void;
  /** Called with each failed token request; the client keeps serving a still-valid token. */
  onError(listener: (error: TokenError) => void): () => void;
  /**
   * Calls the provider's API through the Worker's proxy (`/v1/proxy/{profile}/{path}` next to the
   * endpoint) with the session token; on a 401 it gets a new token and tries once more. The provider's
   * own answers come back as they are; the Worker's refusals (problem+json: route_not_allowed,
   * upstream_api_unavailable, …) reject with a TokenError whose `upstreamCode` is the problem code.
   * Give a replayable body (a string, not a stream): the retry sends it again.
   */
  fetch(path: string, init?: ProxyInit): Promise<Response>;
  /** Stops every timer and request; later `get()` calls reject with `aborted`. */
  dispose(): void;
}

const OPTIONS = 'endpoint profile scope expiresIn fetch clock http'.split(' ');

const report = <T>(listeners: Set<(value: T) => void>, value: T): void => {
  for (const listener of listeners) {
    try {
      listener(value);
    } catch (error) {
      // Reported where the page sees its own bugs (window.onerror, the console); it must not stop the
      // other listeners or the refresh cycle.
      (globalThis.reportError ?? console.error)(error);
    }
  }
};

/**
 * The browser side of the mint Worker: asks it for a short-lived token, keeps it in memory only
 * (never in storage, cookies or URLs), refreshes it before it expires, pauses while the page is
 * hidden and catches up when it shows again.
 * @example
 * const tokens = createWidgetTokenClient({ endpoint: 'https://mint.example.com/v1/tokens', profile: 'checkout' });
 * tokens.onToken((token) => widget.setToken(token.accessToken));
 * await tokens.get();
 */
export function createWidgetTokenClient(options: WidgetTokenClientOptions): WidgetTokenClient {
  // In JavaScript a misspelt option would be silently ignored (`expiresin` meaning the profile's maximum).
  for (const key of Object.keys(options)) {
    if (OPTIONS.includes(key)) continue;
    // The near miss: an option with the same first three letters (`expiresin`, `fetc`,
    // `scopes`). A full edit distance would cost this bundle more than it buys.
    const near = OPTIONS.find((name) => name.startsWith(key.slice(0, 3)));
    throw configError('widget', key, `is unknown${near ? `; did you mean "${near}"?` : ''}`);
  }
  for (const key of ['endpoint', 'profile'] as const) requireString('widget', key, options[key]);
  const tokenListeners = new Set<(token: AccessToken) => void>();
  const errorListeners = new Set<(error: TokenError) => void>();
  const clock = visibilityClock(globalThis.document, options.clock);
  const store = createTokenStore({
    clock,
    http: options.http ?? { retries: 3, backoffMax: 10_000 },
    timers: true,
    onEvent: (event) => {
      const token = event.type === 'token' && source.peek();
      if (token) report(tokenListeners, token);
    },
  });
  const flow = workerFlow({ ...options, onError: (error) => report(errorListeners, error) });
  const source = store.source(flow);
  const subscribe = <T>(listeners: Set<T>, listener: T): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  // Profile names are letters, digits, "-" and "_" (the Worker's config allows nothing else).
  const proxy = `${flow.url.slice(0, -6)}proxy/${options.profile}/`;
  const call = async (path: string, init: ProxyInit = {}, retry?: boolean): Promise<Response> => {
    const url = proxy + path;
    const response = await (options.fetch ?? fetch)(url, { ...init, headers: { ...init.headers, authorization: `Bearer ${(await source.get()).accessToken}` } });
    if (response.status === 401 && !retry) {
      source.invalidate();
      return call(path, init, true);
    }
    // The Worker's own refusals are problem+json; the provider's answers (JSON, even for errors) pass.
    if (response.headers.get('content-type') !== 'application/problem+json') return response;
    throw problemError(url, { status: response.status, headers: response.headers, text: await response.text() });
  };
  const dispose = (): void => {
    store.dispose();
    clock.dispose();
    tokenListeners.clear();
    errorListeners.clear();
  };
  return {
    get: () => source.get(),
    onToken: (listener) => subscribe(tokenListeners, listener),
    onError: (listener) => subscribe(errorListeners, listener),
    fetch: call,
    dispose,
    [Symbol.dispose]: dispose,
  };
}
