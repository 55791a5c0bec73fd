import { readCapped } from './body.js';
import { backoff, sleep, systemClock } from './clock.js';
import { TokenError, safeCause, type TokenErrorCode, type TokenErrorOptions } from './errors.js';
import { withDefaults, type Filled } from './oauth/options.js';
import { onCloudflareWorkers } from './runtime.js';
import type { FlowContext, HttpPolicy } from './types.js';

/** One upstream token request, as built by a flow. */
export interface HttpRequest {
  /** Provider name for errors (`oauth2`, `paypal`, …). */
  provider: string;
  url: string;
  method?: 'POST' | 'GET';
  headers: Record<string, string>;
  body?: string;
  /** Values to scrub from anything derived from the response (secrets, codes, refresh tokens). */
  secrets?: readonly string[];
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
}

const DEFAULTS: Filled<HttpPolicy> = { timeout: 10_000, retries: 2, backoffBase: 250, backoffMax: 5_000, maxBytes: 65_536 };

/** `POST https://host/path` — the query string is dropped, it may carry credentials. */
export function describeRequest(request: HttpRequest): string {
  const url = new URL(request.url);
  return `${request.provider}: ${request.method ?? 'POST'} ${url.origin}${url.pathname}`;
}

/** `Retry-After` as seconds (delta-seconds or HTTP-date), or undefined when absent/unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  if (!/[a-z]{3}/i.test(value)) return undefined; // '-1', '1.5' would otherwise parse as dates
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

const isRetryableStatus = (status: number): boolean => status === 408 || status === 429 || status >= 500;

const noop = (): void => {};
const cancel = (response: Response): Promise<void> | undefined => response.body?.cancel().catch(noop);

/**
 * Sends a token request: every upstream call goes through here. Per attempt a timeout (the caller's
 * signal is honoured too); retries on network errors, 408, 429 and 5xx with exponential backoff and
 * full jitter, honouring `Retry-After` up to `backoffMax` (a longer one is left to the caller); no
 * redirects, so credentials never reach another URL; bodies over `maxBytes` are refused.
 * Returns the last response, whatever its status: judging it is the flow's job.
 */
export async function sendRequest(ctx: FlowContext, request: HttpRequest): Promise<HttpResponse> {
  const { timeout, retries, backoffBase, backoffMax, maxBytes } = withDefaults(DEFAULTS, ctx.http);
  const { signal, clock = systemClock, random = Math.random } = ctx;
  const { provider } = request;
  const label = describeRequest(request);
  const fail = (code: TokenErrorCode, what: string, options?: TokenErrorOptions): TokenError => new TokenError(code, `${label}: ${what}`, { provider, ...options });
  const aborted = (): TokenError => fail('aborted', 'aborted', { cause: signal.reason });
  const wait = (ms: number): Promise<void> =>
    sleep(clock, ms, signal).catch(() => {
      throw aborted();
    });

  /** One attempt, raced against its timeout and the caller's signal. */
  const attempt = async (): Promise<HttpResponse> => {
    if (signal.aborted) throw aborted();
    const controller = new AbortController();
    let timedOut = false;
    const onAbort = (): void => controller.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    const timer = clock.setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeout);
    try {
      // Raced against the abort, so a fetch (or body) that ignores its signal still cannot outlive the timeout.
      return await new Promise<HttpResponse>((resolve, reject) => {
        controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
        (async (): Promise<HttpResponse> => {
          const response = await ctx.fetch(request.url, {
            method: request.method ?? 'POST',
            headers: request.headers,
            body: request.body ?? null,
            redirect: 'manual',
            // No cookies or HTTP auth of the page: client auth is explicit. It also stops a browser from
            // holding a same-origin 401 with `WWW-Authenticate: Basic` for a login prompt. Older Workers
            // compatibility dates reject the field, and Workers have no ambient credentials anyway.
            ...(onCloudflareWorkers() ? {} : { credentials: 'omit' as const }),
            signal: controller.signal,
          });
          const { status, headers } = response;
          // A browser reports a refused redirect as an opaque response with status 0.
          if ((status >= 300 && status < 400) || response.type === 'opaqueredirect') {
            await cancel(response);
            throw fail('invalid_response', 'answered with a redirect, which is never followed', { status });
          }
          // Only a success body must be whole: an error answer is judged by its status, so an oversized
          // one (a CDN's 503 page, a WAF's 429) is dropped instead of hiding that status.
          const bytes = Number(headers.get('content-length')) > maxBytes ? (await cancel(response), null) : await readCapped(response.body, maxBytes);
          if (bytes === null && status >= 200 && status < 300) throw fail('invalid_response', `response body larger than ${maxBytes} bytes`, { status });
          return { status, headers, text: bytes === null ? '' : new TextDecoder().decode(bytes) };
        })().then(resolve, reject);
      });
    } catch (error) {
      if (signal.aborted) throw aborted();
      if (timedOut) throw fail('timeout', `no answer within ${timeout} ms`, { retryable: true });
      if (error instanceof TokenError) throw error;
      // The runtime's own message may quote the URL: the message names only the error, which is kept as
      // `cause` (scrubbed of the request's secrets and query) for whoever debugs the connection.
      throw fail('network', `network error (${error instanceof Error ? error.name : 'Error'})`, {
        retryable: true,
        cause: safeCause(error, [...(request.secrets ?? []), new URL(request.url).search]),
      });
    } finally {
      clock.clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      // Also after a complete answer: it releases a body nobody will read and, at once, the listeners
      // a runtime's fetch hangs on the signal (undici otherwise frees them later, via finalizers).
      controller.abort();
    }
  };

  for (let n = 0; ; n++) {
    const last = n >= retries;
    let response: HttpResponse;
    try {
      response = await attempt();
    } catch (error) {
      if (!(error instanceof TokenError) || !error.retryable || last) throw error;
      await wait(backoff(n, backoffBase, backoffMax, random));
      continue;
    }
    if (last || !isRetryableStatus(response.status)) return response;
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'), clock.now());
    if (retryAfter !== undefined && retryAfter * 1000 > backoffMax) return response;
    await wait(Math.max(backoff(n, backoffBase, backoffMax, random), (retryAfter ?? 0) * 1000));
  }
}
