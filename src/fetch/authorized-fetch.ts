import { ofetch, type $Fetch, type FetchContext, type FetchOptions } from 'ofetch';
import type { TokenSource } from '../core/index.js';

type Hook = (context: FetchContext) => void | Promise<void>;
const hooks = (value: Hook | Hook[] | undefined): Hook[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

export interface AuthorizedFetchOptions extends FetchOptions {
  /** The fetch that sends API requests. Default: `globalThis.fetch`. */
  fetch?: typeof fetch;
}

// Marks a request that was already retried after a 401, so a second 401 is final.
const RETRIED = Symbol('tokenmint.retried');

/**
 * An ofetch instance that sends `Authorization` from `source` and, when the API answers 401,
 * refreshes the token once (unless another caller already did) and retries the request once.
 * Request bodies must be re-sendable (strings, objects, URLSearchParams — not streams).
 * @see RFC 6750 §3.1 (401 `invalid_token`)
 * @example
 * const api = createAuthorizedFetch(source, { baseURL: 'https://api.example.com' });
 * const orders = await api('/v1/orders');
 */
export function createAuthorizedFetch(source: TokenSource, options: AuthorizedFetchOptions = {}): $Fetch {
  const { fetch, ...fetchOptions } = options;
  return ofetch.create({
    ...fetchOptions,
    onRequest: [
      async (context) => {
        const headers = new Headers(context.options.headers);
        headers.set('authorization', await source.authorization());
        context.options.headers = headers;
      },
      ...hooks(options.onRequest as Hook | Hook[] | undefined),
    ],
    onResponseError: [
      async (context) => {
        const state = context.options as { [RETRIED]?: boolean };
        if (context.response?.status !== 401 || state[RETRIED]) return;
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
