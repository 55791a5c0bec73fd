// One proxied call: the buffered request body, the server token from the store, the upstream's answer
// streamed back under the response cap. On a 401 the token is dropped and the call made once more
// with a fresh one (the store single-flights that refresh). Nothing of the upstream's body or words
// reaches a problem or a log: only its status.
//
// Not through the core's sendRequest: that helper buffers a token response and retries 5xx, while a
// proxied API call must stream and must not be repeated (a POST that creates an order is not
// idempotent unless the page sent an idempotency key).
import type { AccessToken, Clock, GetOptions, TokenSource } from '../../core/index.js';
import type { OnceLogger } from '../log.js';
import { problem } from '../http/problem.js';
import { returnedHeaders, upstreamHeaders } from './headers.js';

export interface ForwardInput {
  /** The upstream URL: the API base plus a checked path and the page's query. */
  url: string;
  method: string;
  request: Request;
  body: Uint8Array<ArrayBuffer> | undefined;
  source: TokenSource;
  /** The Authorization header value for a server token (the flow's own form, or `Bearer …`). */
  authorize: (token: AccessToken) => string;
  fetch: typeof fetch;
  clock: Clock;
  timeout: number;
  maxResponseBytes: number;
  log: OnceLogger;
  /** For logs: `profile "checkout": POST /v2/checkout/orders`. */
  label: string;
  get: GetOptions;
  /** Called with the server token the upstream refused, before the store drops it. */
  onRejected?: ((token: AccessToken) => void) | undefined;
}

/** The proxied response (status, allowed headers, capped streamed body) or a 502 problem. */
export async function forward(input: ForwardInput): Promise<{ status: number; headers: Headers; body: ReadableStream<Uint8Array> | null }> {
  let response: Response | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    const token = await input.source.get(input.get);
    response = await send(input, input.authorize(token));
    if (response.status !== 401) break;
    await response.body?.cancel();
    // Concurrent calls may have replaced the token already: only the refused one is dropped.
    if (input.source.peek()?.accessToken === token.accessToken) {
      input.onRejected?.(token);
      input.source.invalidate();
    }
    if (attempt === 1) {
      input.log.log('warn', `${input.label}: the upstream refused a freshly fetched server token (HTTP 401)`);
      throw problem('upstream_rejected', { detail: 'The operator should check the provider credentials and the proxy configuration.' });
    }
  }
  response = response!;
  const declared = Number(response.headers.get('content-length'));
  if (response.status >= 500 || (response.status >= 300 && response.status < 400) || response.type === 'opaqueredirect' || declared > input.maxResponseBytes) {
    await response.body?.cancel();
    input.log.log('warn', `${input.label}: upstream answered HTTP ${response.status}${declared > input.maxResponseBytes ? ' with a body over maxResponseBytes' : ''}; answered 502`);
    throw problem('upstream_api_unavailable');
  }
  return { status: response.status, headers: returnedHeaders(response), body: response.body === null ? null : capped(response.body, input.maxResponseBytes, input) };
}

async function send(input: ForwardInput, authorization: string): Promise<Response> {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(input.request.signal.reason);
  input.request.signal.addEventListener('abort', onAbort, { once: true });
  // The timeout covers the response headers; the body then streams as long as the page reads it.
  const timer = input.clock.setTimeout(() => controller.abort(new DOMException('upstream timeout', 'TimeoutError')), input.timeout);
  try {
    return await input.fetch(input.url, {
      method: input.method,
      headers: upstreamHeaders(input.request, authorization),
      ...(input.body === undefined ? {} : { body: input.body }),
      // A redirect would carry the server token to wherever it points.
      redirect: 'manual',
      signal: controller.signal,
    });
  } catch (error) {
    const why = controller.signal.aborted && !input.request.signal.aborted ? 'timed out' : `failed (${error instanceof Error ? error.name : typeof error})`;
    input.log.log('warn', `${input.label}: upstream call ${why}; answered 502`);
    throw problem('upstream_api_unavailable');
  } finally {
    input.clock.clearTimeout(timer);
    input.request.signal.removeEventListener('abort', onAbort);
  }
}

/** The body, ended with an error once it passes `max` bytes (the page sees a cut response, never more). */
function capped(body: ReadableStream<Uint8Array>, max: number, input: ForwardInput): ReadableStream<Uint8Array> {
  // A pulled stream over the upstream's reader: one read per chunk the page asks for, no pipe machinery.
  const reader = body.getReader();
  let seen = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      seen += value.byteLength;
      if (seen <= max) return controller.enqueue(value);
      input.log.log('warn', `${input.label}: upstream body passed maxResponseBytes; cut`);
      controller.error(new Error('response body over maxResponseBytes'));
      await reader.cancel();
    },
    cancel: (reason) => reader.cancel(reason),
  });
}
