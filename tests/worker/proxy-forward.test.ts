// The proxy's forwarding: the server token from the store (never the browser's credentials), an
// allow-list of headers each way, the response streamed back under the cap, a single retry with a
// fresh token on 401, and a bodyless 502 for an upstream that fails.
import { describe, expect, it } from 'vitest';
import { PLANTED, problemOf } from './_mint-helpers.js';
import { apiCalls, ORDER, ORIGIN, proxied, proxyHarness, session } from './_proxy-helpers.js';

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('proxy forwarding (emulated PayPal)', () => {
  it('creates and reads an order with the server token; the page never sees it', async () => {
    const h = await proxyHarness();
    const token = await session(h);
    const created = await h.call(proxied('checkout/v2/checkout/orders', { token, ...json(ORDER), headers: { 'content-type': 'application/json', 'paypal-request-id': 'req-1' } }));
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    expect(created.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(created.headers.get('x-content-type-options')).toBe('nosniff');
    const order = (await created.json()) as { id: string; status: string; links: { rel: string; method: string }[] };
    expect(order).toMatchObject({ id: expect.stringMatching(/^[0-9A-Z]{17}$/), status: 'CREATED' });
    expect(order.links.map((l) => `${l.method} ${l.rel}`)).toEqual(['GET self', 'GET approve', 'PATCH update', 'POST capture']);

    const shown = await h.call(proxied(`checkout/v2/checkout/orders/${order.id}`, { token }));
    expect(shown.status).toBe(200);
    expect(await shown.json()).toMatchObject({ id: order.id, intent: 'CAPTURE', status: 'CREATED', purchase_units: ORDER.purchase_units });

    const [create, show] = apiCalls(h);
    expect(create).toMatchObject({ method: 'POST', path: '/paypal/v2/checkout/orders', body: JSON.stringify(ORDER) });
    expect(create!.headers.authorization).toBe(`Bearer ${h.issued[0]}`);
    expect(create!.headers['paypal-request-id']).toBe('req-1');
    expect(show).toMatchObject({ method: 'GET', path: `/paypal/v2/checkout/orders/${order.id}` });
    expect(h.issued).toHaveLength(1); // one server token for the mint and both calls
  });

  it("the browser's Authorization, Cookie, hop-by-hop and forwarding headers never go upstream", async () => {
    const h = await proxyHarness();
    const token = await session(h);
    const response = await h.call(
      proxied('checkout/echo?page=2', {
        token,
        method: 'POST',
        body: '{"a":1}',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          prefer: 'return=representation',
          'paypal-request-id': 'abc-123',
          cookie: 'session=PLANTED-cookie',
          connection: 'keep-alive, x-secret',
          'x-secret': 'PLANTED-hop',
          'keep-alive': 'timeout=5',
          te: 'trailers',
          'x-forwarded-host': 'evil.example',
          'x-forwarded-for': '10.0.0.1',
          forwarded: 'host=evil.example',
          'paypal-auth-assertion': 'PLANTED-assertion',
          'x-http-method-override': 'DELETE',
        },
      }),
    );
    expect(response.status).toBe(200);
    const echoed = (await response.json()) as { method: string; path: string; query: string; headers: Record<string, string>; body: string; token: string };
    expect(echoed).toMatchObject({ method: 'POST', path: '/paypal/echo', query: '?page=2', body: '{"a":1}', token: 'valid' });
    const sent = apiCalls(h)[0]!.headers;
    expect(Object.keys(sent).sort()).toEqual(['accept', 'authorization', 'content-type', 'paypal-request-id', 'prefer']);
    expect(sent.authorization).toBe(`Bearer ${h.issued[0]}`);
    expect(JSON.stringify(echoed)).not.toContain(h.issued[0]);
  });

  it('changed provider credentials take effect on the next proxied call (the old server token is not used with them)', async () => {
    const h = await proxyHarness();
    const token = await session(h);
    expect((await h.call(proxied('checkout/echo', { token }))).status).toBe(200);
    const secret = h.env.PAYPAL_CLIENT_SECRET;
    h.env.PAYPAL_CLIENT_SECRET = 'a-secret-the-provider-refuses';
    expect((await problemOf(await h.call(proxied('checkout/echo', { token })))).code).toBe('upstream_rejected');
    h.env.PAYPAL_CLIENT_SECRET = secret;
    expect((await h.call(proxied('checkout/echo', { token }))).status).toBe(200);
  });

  it('an upstream 401 drops the server token and retries once with a fresh one', async () => {
    const h = await proxyHarness();
    const token = await session(h);
    h.emulators[0]!.paypal.revokeAccessTokens();
    const response = await h.call(proxied('checkout/v2/checkout/orders', { token, ...json(ORDER) }));
    expect(response.status).toBe(201);
    expect(h.issued).toHaveLength(2);
    const calls = apiCalls(h);
    expect(calls.map((c) => c.headers.authorization)).toEqual([`Bearer ${h.issued[0]}`, `Bearer ${h.issued[1]}`]);
    expect(calls.map((c) => c.body)).toEqual([JSON.stringify(ORDER), JSON.stringify(ORDER)]); // the body is replayed
  });

  it('an upstream 5xx or unreachable provider: 502 upstream_api_unavailable without the upstream body; 4xx pass through', async () => {
    const h = await proxyHarness();
    const token = await session(h);
    h.emulators[0]!.inject({ provider: 'paypal', status: 503, times: 1, body: { json: { name: 'PLANTED-upstream-words', debug_id: 'PLANTED-debug' } } });
    const failed = await h.call(proxied('checkout/echo', { token }));
    const text = await failed.clone().text();
    expect(failed.status).toBe(502);
    expect((await problemOf(failed)).code).toBe('upstream_api_unavailable');
    expect(text).not.toContain('PLANTED');
    expect(apiCalls(h)).toHaveLength(1); // not retried: a POST is not idempotent

    const invalid = await h.call(proxied('checkout/v2/checkout/orders', { token, ...json({ intent: 'CAPTURE' }) }));
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ name: 'INVALID_REQUEST', details: [{ field: '/purchase_units', issue: 'MISSING_REQUIRED_PARAMETER' }] });
  });
});

describe('proxy forwarding (a provider-routed profile)', () => {
  type Answer = { status?: number; headers?: Record<string, string>; body?: BodyInit | null };
  async function live(answer: () => Answer | Promise<Answer>, proxy: Record<string, unknown> = {}, onToken: () => void = () => {}) {
    const calls: Request[] = [];
    const h = await proxyHarness({
      config: (c) => {
        c.profiles.live = {
          mode: 'session',
          provider: 'paypal',
          options: { environment: 'sandbox' },
          allowedOrigins: [ORIGIN],
          scopes: ['checkout'],
          defaultScope: 'checkout',
          maxExpiresIn: 300,
          audience: 'live-api',
          proxy: { allow: { checkout: ['GET /v1/thing', 'POST /v1/thing'] }, ...proxy },
        };
      },
      worker: {
        fetch: async (input, init) => {
          const request = new Request(input, init);
          if (request.url.endsWith('/v1/oauth2/token')) {
            onToken();
            return Response.json({ access_token: 'PLANTED-server-token', token_type: 'Bearer', expires_in: 3600 });
          }
          calls.push(request);
          const a = await answer();
          return new Response(a.body ?? null, { status: a.status ?? 200, headers: a.headers ?? {} });
        },
      },
    });
    const token = await session(h, { profile: 'live' });
    return { h, calls, token };
  }

  it("goes to PayPal's sandbox API base; Set-Cookie, hop-by-hop, auth and unknown headers never come back", async () => {
    const { h, calls, token } = await live(() => ({
      status: 200,
      headers: {
        'content-type': 'application/json',
        'set-cookie': 'tracking=PLANTED-cookie; Secure',
        'www-authenticate': 'Bearer realm="PLANTED"',
        'proxy-authenticate': 'Basic',
        authorization: 'Bearer PLANTED-echoed',
        connection: 'close',
        'keep-alive': 'timeout=5',
        'transfer-encoding': 'chunked',
        'x-internal-host': 'PLANTED-internal',
        'access-control-allow-origin': '*',
        'access-control-allow-credentials': 'true',
        'cache-control': 'public, max-age=3600',
        'paypal-debug-id': 'f00dcafe',
        etag: '"v1"',
      },
      body: '{"ok":true}',
    }));
    const response = await h.call(proxied('live/v1/thing?x=1', { token }));
    expect(calls.map((c) => c.url)).toEqual(['https://api-m.sandbox.paypal.com/v1/thing?x=1']);
    expect(calls[0]!.headers.get('authorization')).toBe('Bearer PLANTED-server-token');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"ok":true}');
    const names = [...response.headers.keys()].sort();
    expect(names).toEqual(['access-control-allow-origin', 'access-control-expose-headers', 'cache-control', 'content-type', 'etag', 'paypal-debug-id', 'vary', 'x-content-type-options']);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(JSON.stringify([...response.headers])).not.toContain('PLANTED');
  });

  it('a second 401 is not retried again: 502 upstream_rejected after two calls and two server tokens', async () => {
    let tokens = 0;
    const { h, calls, token } = await live(() => ({ status: 401, body: '{"error":"invalid_token"}' }), {}, () => ++tokens);
    const response = await h.call(proxied('live/v1/thing', { token }));
    expect((await problemOf(response)).code).toBe('upstream_rejected');
    expect(calls).toHaveLength(2);
    expect(tokens).toBe(2);
  });

  it('redirects are not followed (the server token would go along): 502', async () => {
    const { h, calls, token } = await live(() => ({ status: 302, headers: { location: 'https://evil.example/steal' } }));
    const response = await h.call(proxied('live/v1/thing', { token }));
    expect((await problemOf(response)).code).toBe('upstream_api_unavailable');
    expect(calls).toHaveLength(1);
  });

  it('a response over maxResponseBytes: 502 when declared, cut when streamed', async () => {
    const declared = await live(() => ({ headers: { 'content-length': '5000' }, body: 'z'.repeat(5000) }), { maxResponseBytes: 1000 });
    const response = await declared.h.call(proxied('live/v1/thing', { token: declared.token }));
    expect((await problemOf(response)).code).toBe('upstream_api_unavailable');

    const streamed = await live(
      () => ({
        body: new ReadableStream<Uint8Array>({
          start(controller) {
            for (let i = 0; i < 5; i++) controller.enqueue(new TextEncoder().encode('z'.repeat(400)));
            controller.close();
          },
        }),
      }),
      { maxResponseBytes: 1000 },
    );
    const cut = await streamed.h.call(proxied('live/v1/thing', { token: streamed.token }));
    expect(cut.status).toBe(200);
    await expect(cut.text()).rejects.toThrow();
  });

  it('a network failure: 502, logged without token or body', async () => {
    const { h, token } = await live(() => {
      throw new TypeError('PLANTED-network-detail');
    });
    const response = await h.call(proxied('live/v1/thing', { token, method: 'POST', body: 'PLANTED-body' }));
    expect((await problemOf(response)).code).toBe('upstream_api_unavailable');
    const log = JSON.stringify(h.logs);
    expect(log).toContain('upstream call failed (TypeError)');
    expect(log).not.toMatch(/PLANTED|eyJ/);
    expect(log).not.toContain(PLANTED.PAYPAL_CLIENT_SECRET);
  });
});
