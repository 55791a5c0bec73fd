import { readCapped } from './body.js';
import { backoff, sleep, systemClock } from './clock.js';
import { TokenError, safeCause } from './errors.js';
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

/**
 * Sends a token request: every upstream call goes through here. Per attempt a timeout (the caller's
 * signal is honoured too); retries on network errors, 408, 429 and 5xx with exponential backoff and
 * full jitter, honouring `Retry-After` up to `backoffMax` (a longer one is left to the caller); no
 * redirects, so credentials never reach another URL; bodies over `maxBytes` are refused.
 * Returns the last response, whatever its status: judging it is the flow's job.
 */
export async function sendRequest(ctx: FlowContext, request: HttpRequest): Promise<HttpResponse> {
  const policy = withDefaults(DEFAULTS, ctx.http);
  const clock = ctx.clock ?? systemClock;
  const random = ctx.random ?? Math.random;
  const label = describeRequest(request);
  for (let attempt = 0; ; attempt++) {
    const last = attempt >= policy.retries;
    let response: HttpResponse;
    try {
      response = await attemptOnce(ctx, request, policy, label);
    } catch (error) {
      if (!(error instanceof TokenError) || !error.retryable || last) throw error;
      await sleep(clock, backoff(attempt, policy.backoffBase, policy.backoffMax, random), ctx.signal).catch(() => {
        throw aborted(label, ctx.signal, request.provider);
      });
      continue;
    }
    if (last || !isRetryableStatus(response.status)) return response;
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'), clock.now());
    if (retryAfter !== undefined && retryAfter * 1000 > policy.backoffMax) return response;
    const wait = Math.max(backoff(attempt, policy.backoffBase, policy.backoffMax, random), (retryAfter ?? 0) * 1000);
    await sleep(clock, wait, ctx.signal).catch(() => {
      throw aborted(label, ctx.signal, request.provider);
    });
  }
}

function aborted(label: string, signal: AbortSignal, provider: string): TokenError {
  return new TokenError('aborted', `${label}: aborted`, { provider, cause: signal.reason });
}

const noop = (): void => {};

async function attemptOnce(ctx: FlowContext, request: HttpRequest, policy: Filled<HttpPolicy>, label: string): Promise<HttpResponse> {
  const { provider } = request;
  if (ctx.signal.aborted) throw aborted(label, ctx.signal, provider);
  const clock = ctx.clock ?? systemClock;
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = (): void => controller.abort(ctx.signal.reason);
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const timer = clock.setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, policy.timeout);
  // Raced against the work, so a fetch (or body) that ignores its signal still cannot outlive the timeout.
  const abortion = new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true }));
  const work = (async (): Promise<HttpResponse> => {
    const response = await ctx.fetch(request.url, {
      method: request.method ?? 'POST',
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      redirect: 'manual',
      // No cookies or HTTP auth of the page: client auth is explicit. It also stops a browser from
      // holding a same-origin 401 with `WWW-Authenticate: Basic` for a login prompt. Older Workers
      // compatibility dates reject the field, and Workers have no ambient credentials anyway.
      ...(onCloudflareWorkers() ? {} : { credentials: 'omit' as const }),
      signal: controller.signal,
    });
    // A browser reports a refused redirect as an opaque response with status 0.
    if ((response.status >= 300 && response.status < 400) || response.type === 'opaqueredirect') {
      await response.body?.cancel().catch(noop);
      throw new TokenError('invalid_response', `${label}: answered with a redirect, which is never followed`, { status: response.status, provider });
    }
    const text = await readText(response, policy.maxBytes, label, provider);
    return { status: response.status, headers: response.headers, text };
  })();
  work.catch(noop); // it may settle after the race is lost
  abortion.catch(noop);
  try {
    return await Promise.race([work, abortion]);
  } catch (error) {
    if (ctx.signal.aborted) throw aborted(label, ctx.signal, provider);
    if (timedOut) throw new TokenError('timeout', `${label}: no answer within ${policy.timeout} ms`, { provider, retryable: true });
    if (error instanceof TokenError) throw error;
    // The runtime's own message may quote the URL: the message names only the error, which is kept as
    // `cause` (scrubbed of the request's secrets and query) for whoever debugs the connection.
    const name = error instanceof Error ? error.name : 'Error';
    throw new TokenError('network', `${label}: network error (${name})`, { provider, retryable: true, cause: safeCause(error, [...(request.secrets ?? []), new URL(request.url).search]) });
  } finally {
    clock.clearTimeout(timer);
    ctx.signal.removeEventListener('abort', onAbort);
    // Also after a complete answer: it releases a body nobody will read and, at once, the listeners
    // a runtime's fetch hangs on the signal (undici otherwise frees them later, via finalizers).
    controller.abort();
  }
}

/**
 * The body as text. Only a success body must be whole: an error answer is judged by its status, so
 * an oversized one (a CDN's 503 page, a WAF's 429) is dropped instead of hiding that status.
 */
async function readText(response: Response, maxBytes: number, label: string, provider: string): Promise<string> {
  const success = response.status >= 200 && response.status < 300;
  const declaredTooLarge = Number(response.headers.get('content-length')) > maxBytes;
  if (declaredTooLarge) await response.body?.cancel().catch(noop);
  const bytes = declaredTooLarge ? null : await readCapped(response.body, maxBytes);
  if (bytes !== null) return new TextDecoder().decode(bytes);
  if (!success) return '';
  throw new TokenError('invalid_response', `${label}: response body larger than ${maxBytes} bytes`, { status: response.status, provider });
}
