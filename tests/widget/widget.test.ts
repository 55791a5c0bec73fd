// tokenmint/widget in Node on a fake clock: the page's `document` is a stub whose visibility we flip.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TokenError, createWidgetTokenClient, type AccessToken } from '../../src/widget/index.js';

class _Page extends EventTarget {
  hidden = false;
  set(hidden: boolean): void {
    this.hidden = hidden;
    this.dispatchEvent(new Event('visibilitychange'));
  }
}

type Reply = (body: { profile: string; scope?: string; expiresIn?: number }) => Response | Promise<Response>;

/** A stand-in for the mint Worker's POST /v1/tokens with a queue of scripted replies. */
function _mint(lifetimeMs = 600_000) {
  const requests: { url: string; body: Record<string, unknown>; headers: Headers; at: number }[] = [];
  const replies: Reply[] = [];
  let n = 0;
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const body = (await request.json()) as { profile: string };
    requests.push({ url: request.url, body, headers: request.headers, at: Date.now() });
    const reply = replies.shift();
    if (reply) return reply(body);
    n++;
    return Response.json({ accessToken: `wt-${n}`, tokenType: 'Bearer', expiresIn: lifetimeMs / 1000, expiresAt: Date.now() + lifetimeMs, scope: 'checkout' });
  }) as typeof globalThis.fetch;
  return { fetch, requests, replies };
}

const problem = (status: number, code: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ type: 'about:blank', title: `refused: ${code}`, status, code }), { status, headers: { 'content-type': 'application/problem+json', ...headers } });

let page: _Page;
beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
  page = new _Page();
  (globalThis as { document?: unknown }).document = page;
});
afterEach(() => {
  delete (globalThis as { document?: unknown }).document;
  vi.useRealTimers();
});

const _client = (mint: ReturnType<typeof _mint>, extra: Record<string, unknown> = {}) =>
  createWidgetTokenClient({ endpoint: 'https://mint.test/v1/tokens', profile: 'checkout', fetch: mint.fetch, ...extra });

describe('createWidgetTokenClient', () => {
  it('asks the Worker once, with the profile, scope and lifetime, and serves the token from memory', async () => {
    const mint = _mint();
    const client = _client(mint, { scope: 'checkout', expiresIn: 300 });
    const [a, b] = await Promise.all([client.get(), client.get()]);
    expect(a).toBe(b);
    expect(a).toMatchObject({ accessToken: 'wt-1', tokenType: 'Bearer', scope: 'checkout' });
    expect(mint.requests).toHaveLength(1);
    expect(mint.requests[0]!.body).toEqual({ profile: 'checkout', scope: 'checkout', expiresIn: 300 });
    expect(mint.requests[0]!.headers.get('content-type')).toBe('application/json');
    client.dispose();
  });

  it('refreshes before expiry without the widget seeing an error, and tells onToken each time', async () => {
    const mint = _mint();
    const client = _client(mint);
    const seen: string[] = [];
    client.onToken((token) => seen.push(token.accessToken));
    await client.get();
    await vi.advanceTimersByTimeAsync(600_000 * 0.8); // refresh at 75–80% of the lifetime
    expect(mint.requests).toHaveLength(2);
    expect(seen).toEqual(['wt-1', 'wt-2']);
    expect((await client.get()).accessToken).toBe('wt-2');
    client.dispose();
  });

  it('an upstream outage shorter than the lifetime is invisible to get()', async () => {
    const mint = _mint();
    const client = _client(mint, { http: { retries: 0 } });
    const errors: TokenError[] = [];
    client.onError((error) => errors.push(error));
    const first = await client.get();
    for (let i = 0; i < 6; i++) mint.replies.push(() => problem(502, 'upstream_failed'));
    for (let t = 0; t < 560_000; t += 20_000) {
      await vi.advanceTimersByTimeAsync(20_000);
      const token = await client.get();
      expect(token.expiresAt).toBeGreaterThan(Date.now()); // always a valid token
    }
    expect(errors.length).toBeGreaterThan(0); // the failures were reported, not thrown
    expect(errors[0]).toMatchObject({ code: 'upstream_error', status: 502 });
    expect((await client.get()).accessToken).not.toBe(first.accessToken); // recovered
    client.dispose();
  });

  it('pauses refreshing while the page is hidden and catches up when it shows again', async () => {
    const mint = _mint();
    const client = _client(mint);
    await client.get();
    page.set(true);
    await vi.advanceTimersByTimeAsync(700_000); // past the refresh point and past expiry
    expect(mint.requests).toHaveLength(1);
    page.set(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(mint.requests).toHaveLength(2);
    expect((await client.get()).accessToken).toBe('wt-2');
    client.dispose();
  });

  it('honours 429 Retry-After on a refresh', async () => {
    const mint = _mint();
    const client = _client(mint, { http: { retries: 0 } });
    await client.get();
    mint.replies.push(() => problem(429, 'rate_limited', { 'retry-after': '90' }));
    await vi.advanceTimersByTimeAsync(480_000);
    expect(mint.requests).toHaveLength(2); // the refresh, answered 429
    await vi.advanceTimersByTimeAsync(200_000);
    expect(mint.requests).toHaveLength(3);
    expect(mint.requests[2]!.at - mint.requests[1]!.at).toBe(90_000); // not a moment before Retry-After
    client.dispose();
  });

  it('an unreachable endpoint gives a typed error through get() and onError, no unhandled rejection', async () => {
    const client = createWidgetTokenClient({
      endpoint: 'https://mint.test/v1/tokens', profile: 'checkout', http: { retries: 1, backoffBase: 10 },
      fetch: (async () => { throw new TypeError('Failed to fetch'); }) as typeof fetch,
    });
    const errors: TokenError[] = [];
    client.onError((error) => errors.push(error));
    const result = client.get().catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1_000);
    const error = await result;
    expect(error).toBeInstanceOf(TokenError);
    expect(error).toMatchObject({ code: 'network', retryable: true });
    expect(errors).toHaveLength(1);
    client.dispose();
  });

  it('a non-JSON or malformed answer is invalid_response', async () => {
    const mint = _mint();
    mint.replies.push(() => new Response('<html>gateway</html>', { status: 200, headers: { 'content-type': 'text/html' } }));
    mint.replies.push(() => Response.json({ accessToken: 'x' }));
    const client = _client(mint);
    await expect(client.get()).rejects.toMatchObject({ code: 'invalid_response' });
    await expect(client.get()).rejects.toMatchObject({ code: 'invalid_response' });
    client.dispose();
  });

  it("a refusal keeps the Worker's problem code in the message", async () => {
    const mint = _mint();
    mint.replies.push(() => problem(403, 'origin_not_allowed'));
    const client = _client(mint);
    const error = (await client.get().catch((e: unknown) => e)) as TokenError;
    expect(error).toMatchObject({ code: 'invalid_client', status: 403, upstreamCode: 'origin_not_allowed' });
    expect(error.message).toContain('origin_not_allowed');
    client.dispose();
  });

  it('dispose() stops every timer and request; unsubscribe works', async () => {
    const mint = _mint();
    const client = _client(mint);
    const seen: AccessToken[] = [];
    const off = client.onToken((token) => seen.push(token));
    await client.get();
    off();
    client.dispose();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(mint.requests).toHaveLength(1);
    expect(seen).toHaveLength(1);
    await expect(client.get()).rejects.toMatchObject({ code: 'aborted' });
  });

  it('a throwing onToken/onError listener is reported, and the other listeners and the refresh cycle go on', async () => {
    const reported: unknown[] = [];
    const consoleError = vi.spyOn(console, 'error').mockImplementation((error: unknown) => void reported.push(error));
    const mint = _mint();
    const client = _client(mint, { http: { retries: 0 } });
    const boom = new Error('listener bug');
    const seen: string[] = [];
    const errors: string[] = [];
    client.onToken(() => {
      throw boom;
    });
    client.onToken((token) => seen.push(token.accessToken));
    client.onError(() => {
      throw boom;
    });
    client.onError((error) => errors.push(error.code));
    await client.get();
    mint.replies.push(() => problem(502, 'upstream_failed'));
    await vi.advanceTimersByTimeAsync(600_000 * 0.95); // the refresh fails once, then succeeds
    expect(seen).toEqual(['wt-1', 'wt-2']);
    expect(errors).toEqual(['upstream_error']);
    expect(reported).toEqual([boom, boom, boom]); // Node has no reportError: console.error
    // Where the page has reportError (browsers), that is used: the error reaches window.onerror.
    const viaReportError: unknown[] = [];
    (globalThis as { reportError?: (error: unknown) => void }).reportError = (error) => void viaReportError.push(error);
    try {
      await client.get(); // in use, so it keeps refreshing
      await vi.advanceTimersByTimeAsync(600_000);
      expect(viaReportError.length).toBeGreaterThan(0);
      expect(viaReportError.every((error) => error === boom)).toBe(true);
      expect(reported).toHaveLength(3);
    } finally {
      delete (globalThis as { reportError?: unknown }).reportError;
      consoleError.mockRestore();
      client.dispose();
    }
  });

  it('refuses an unknown option with a config error naming it, and the near miss when there is one', () => {
    const create = (extra: Record<string, unknown>) => () => createWidgetTokenClient({ endpoint: '/v1/tokens', profile: 'checkout', ...extra } as never);
    expect(create({ expiresin: 300 })).toThrowError(expect.objectContaining({ code: 'config', message: 'widget: option "expiresin" is unknown; did you mean "expiresIn"?' }));
    expect(create({ fetc: fetch })).toThrowError(expect.objectContaining({ code: 'config', message: 'widget: option "fetc" is unknown; did you mean "fetch"?' }));
    expect(create({ scopes: 'checkout' })).toThrowError(expect.objectContaining({ message: 'widget: option "scopes" is unknown; did you mean "scope"?' }));
    expect(create({ retries: 3 })).toThrowError(expect.objectContaining({ code: 'config', message: 'widget: option "retries" is unknown' }));
  });

  it('refuses a missing endpoint or profile with a config error', () => {
    expect(() => createWidgetTokenClient({ endpoint: '', profile: 'checkout' })).toThrowError(expect.objectContaining({ code: 'config' }));
    expect(() => createWidgetTokenClient({ endpoint: '/v1/tokens', profile: '' })).toThrowError(expect.objectContaining({ code: 'config' }));
  });
});
