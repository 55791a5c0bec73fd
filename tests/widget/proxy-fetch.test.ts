// tokens.fetch: the widget's call through the Worker's proxy — the session token attached, one
// refresh and retry on a 401, the Worker's refusals as TokenErrors, the provider's answers as they are.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TokenError, createWidgetTokenClient } from '../../src/widget/index.js';

const problem = (status: number, code: string) => new Response(JSON.stringify({ type: 'about:blank', title: code, status, code }), { status, headers: { 'content-type': 'application/problem+json' } });

/** The Worker: /v1/tokens mints `st-N`; /v1/proxy/… answers from a script, after recording the call. */
function worker(answers: ((request: Request) => Response)[]) {
  const mints: number[] = [];
  const calls: { url: string; method: string; authorization: string | null; contentType: string | null; body: string }[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    if (request.url.endsWith('/v1/tokens')) {
      mints.push(Date.now());
      return Response.json({ accessToken: `st-${mints.length}`, tokenType: 'Bearer', expiresIn: 300, expiresAt: Date.now() + 300_000, scope: 'checkout' });
    }
    calls.push({ url: request.url, method: request.method, authorization: request.headers.get('authorization'), contentType: request.headers.get('content-type'), body: await request.text() });
    return (answers.shift() ?? (() => Response.json({ ok: true })))(request);
  }) as typeof globalThis.fetch;
  return { fetch, mints, calls };
}

beforeEach(() => void vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') }));
afterEach(() => void vi.useRealTimers());

describe('tokens.fetch', () => {
  it('calls /v1/proxy/{profile}/{path} next to the endpoint with the session token and the page headers', async () => {
    const w = worker([() => Response.json({ id: 'ORDER1', status: 'CREATED' }, { status: 201 })]);
    const tokens = createWidgetTokenClient({ endpoint: 'https://mint.test/v1/tokens', profile: 'checkout', fetch: w.fetch });
    const response = await tokens.fetch('v2/checkout/orders', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"intent":"CAPTURE"}' });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ id: 'ORDER1', status: 'CREATED' });
    expect(w.calls).toEqual([{ url: 'https://mint.test/v1/proxy/checkout/v2/checkout/orders', method: 'POST', authorization: 'Bearer st-1', contentType: 'application/json', body: '{"intent":"CAPTURE"}' }]);
    await tokens.fetch('v2/checkout/orders/ORDER1');
    expect(w.mints).toHaveLength(1); // the token is reused
    tokens.dispose();
  });

  it('a 401 gets a new session token and retries once, with the same body', async () => {
    const w = worker([() => problem(401, 'invalid_token')]);
    const tokens = createWidgetTokenClient({ endpoint: 'https://mint.test/v1/tokens', profile: 'checkout', fetch: w.fetch });
    const response = await tokens.fetch('v2/checkout/orders', { method: 'POST', body: '{"a":1}' });
    expect(response.status).toBe(200);
    expect(w.mints).toHaveLength(2);
    expect(w.calls.map((c) => [c.authorization, c.body])).toEqual([['Bearer st-1', '{"a":1}'], ['Bearer st-2', '{"a":1}']]);
    tokens.dispose();
  });

  it("the Worker's refusals reject with a TokenError carrying the problem code; a second 401 is not retried again", async () => {
    const w = worker([() => problem(403, 'route_not_allowed'), () => problem(502, 'upstream_api_unavailable'), () => problem(401, 'invalid_token'), () => problem(401, 'invalid_token')]);
    const tokens = createWidgetTokenClient({ endpoint: 'https://mint.test/v1/tokens', profile: 'checkout', fetch: w.fetch });
    const errors: TokenError[] = [];
    for (let i = 0; i < 3; i++) await tokens.fetch('v1/anything').catch((error: TokenError) => errors.push(error));
    expect(errors.every((error) => error instanceof TokenError)).toBe(true);
    expect(errors.map((e) => [e.status, e.upstreamCode, e.code])).toEqual([
      [403, 'route_not_allowed', 'invalid_client'],
      [502, 'upstream_api_unavailable', 'upstream_error'],
      [401, 'invalid_token', 'invalid_client'],
    ]);
    expect(w.calls).toHaveLength(4);
    tokens.dispose();
  });

  it("the provider's own error answers come back as responses (they are the API's, not the Worker's)", async () => {
    const w = worker([() => Response.json({ name: 'UNPROCESSABLE_ENTITY' }, { status: 422 })]);
    const tokens = createWidgetTokenClient({ endpoint: 'https://mint.test/v1/tokens', profile: 'checkout', fetch: w.fetch });
    const response = await tokens.fetch('v2/checkout/orders', { method: 'POST', body: '{}' });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ name: 'UNPROCESSABLE_ENTITY' });
    tokens.dispose();
  });
});
