import { ofetch, type $Fetch, type FetchContext, type FetchOptions } from 'ofetch';
import type { TokenSource } from '../core/index.js';
import { configError } from '../core/kit.js';

type Hook = (context: FetchContext) => void | Promise<void>;
const hooks = (value: Hook | Hook[] | undefined): Hook[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

export interface AuthorizedFetchOptions extends FetchOptions {
  /** The fetch that sends API requests. Default: `globalThis.fetch`. */
  fetch?: typeof fetch | undefined;
  /**
   * Origins besides `baseURL`'s that also get the token, e.g. `['https://files.example.com']`. A request
   * to any other origin is sent without `Authorization`, and its 401 is not retried.
   */
  authorizedOrigins?: readonly string[] | undefined;
}

// Marks a request that was already retried after a 401, so a second 401 is final.
const RETRIED = Symbol('tokenmint.retried');

/** `https://host:port` of a URL option, or a `config` error. */
function originOf(field: string, value: unknown): string {
  try {
    const url = new URL(value as string);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.origin;
  } catch {
    // refused below
  }
  throw configError('fetch', field, 'must be an absolute http(s) URL');
}

/**
 * An ofetch instance that sends `Authorization` from `source` and, when the API answers 401,
 * refreshes the token once (unless another caller already did) and retries the request once.
 * The token goes only to `baseURL`'s origin and to `authorizedOrigins`: a request to any other origin
 * (an absolute URL elsewhere) is sent as it is, without the token, and its 401 is not retried.
 * Request bodies must be re-sendable (strings, objects, URLSearchParams — not streams).
 * @see RFC 6750 §3.1 (401 `invalid_token`)
 * @example
 * const api = createAuthorizedFetch(source, { baseURL: 'https://api.example.com' });
 * const orders = await api('/v1/orders');
 */
export function createAuthorizedFetch(source: TokenSource, options: AuthorizedFetchOptions = {}): $Fetch {
  const { fetch, authorizedOrigins = [], ...fetchOptions } = options;
  if (options.baseURL === undefined && authorizedOrigins.length === 0) throw configError('fetch', 'baseURL', 'or authorizedOrigins is required: it says where the token may go');
  const base = options.baseURL === undefined ? undefined : originOf('baseURL', options.baseURL);
  const origins = new Set([...(base === undefined ? [] : [base]), ...authorizedOrigins.map((origin) => originOf('authorizedOrigins', origin))]);
  // Where the request goes: relative to baseURL (as ofetch resolves it), or its own absolute URL.
  const authorized = (request: FetchContext['request']): boolean => {
    try {
      return origins.has(new URL(typeof request === 'string' ? request : request.url, options.baseURL).origin);
    } catch {
      return false; // relative without a baseURL: not ours to authorise
    }
  };
  return ofetch.create({
    ...fetchOptions,
    onRequest: [
      async (context) => {
        if (!authorized(context.request)) return;
        const headers = new Headers(context.options.headers);
        headers.set('authorization', await source.authorization());
        context.options.headers = headers;
      },
      ...hooks(options.onRequest as Hook | Hook[] | undefined),
    ],
    onResponseError: [
      async (context) => {
        const state = context.options as { [RETRIED]?: boolean };
        if (context.response?.status !== 401 || state[RETRIED] || !authorized(context.request)) return;
        const used = new Headers(context.options.headers).get('authorization');
        // Only the first caller to see the rejected token refreshes; later ones reuse its result.
        if ((await source.authorization()) === used) await source.refresh();
        state[RETRIED] = true;
        context.options.retry = 1;
        context.options.retryStatusCodes = [401];
        context.options.retryDelay = 0;
      },
      ...hooks(options.onResponseError as Hook | Hook[] | undefined),
    ],
  }, fetch === undefined ? {} : { fetch });
}
