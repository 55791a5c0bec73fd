// The proxy's authorisation: the allow-list of the token's scopes, matched after the URL parser's
// normalisation with every non-plain segment refused, so that no encoding, dot segment, double slash
// or absolute URL reaches another route or host. Then the body cap, the guard, the rate limit and
// preflights. Every refusal leaves the provider untouched.
import { describe, expect, it } from 'vitest';
import { problemOf } from './_mint-helpers.js';
import { ORDER, proxied, proxyHarness, session, upstreamCount } from './_proxy-helpers.js';
import { proxy } from '../../src/worker/proxy/index.js';

type H = Awaited<ReturnType<typeof proxyHarness>>;

async function refused(h: H, request: Request, status: number, code: string) {
  const before = upstreamCount(h);
  const response = await h.call(request);
  expect({ status: response.status, code: (await problemOf(response)).code }).toEqual({ status, code });
  expect(upstreamCount(h)).toBe(before);
  return response;
}

describe('proxy authorisation', () => {
  it('routes outside the allow-list, methods not listed, scopes not granted: 403 route_not_allowed', async () => {
    const h = await proxyHarness();
    const token = await session(h);
    await refused(h, proxied('checkout/v1/oauth2/token', { token, method: 'POST' }), 403, 'route_not_allowed');
    await refused(h, proxied('checkout/v2/checkout/orders', { token }), 403, 'route_not_allowed'); // GET not listed
    await refused(h, proxied('checkout/v2/checkout/orders/ABC', { token, method: 'DELETE' }), 403, 'route_not_allowed');
    await refused(h, proxied('checkout/v2/checkout/orders/ABC/capture', { token, method: 'POST' }), 403, 'route_not_allowed');
    await refused(h, proxied('checkout/v2/checkout/orders/', { token, method: 'POST' }), 403, 'route_not_allowed'); // trailing slash
    await refused(h, proxied('checkout', { token }), 403, 'route_not_allowed');
    // `refunds` routes need a token with that scope; this one has only `checkout`.
    await refused(h, proxied('checkout/v2/payments/captures/X1/refund', { token, method: 'POST' }), 403, 'route_not_allowed');
    const refunds = await session(h, { profile: 'checkout', scope: 'refunds' });
    await refused(h, proxied('checkout/v2/checkout/orders', { token: refunds, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ORDER) }), 403, 'route_not_allowed');
  });

  it('path traversal: dot segments resolve first; encoded slashes, backslashes, dots, double slashes and absolute URLs are refused', async () => {
    const h = await proxyHarness();
    const token = await session(h);
    const attempts = [
      'checkout/v2/checkout/orders/ABC/../../../../v1/oauth2/token', // resolves to /v1/oauth2/token: not listed
      'checkout/v2/checkout/orders/..%2F..%2F..%2Fv1%2Foauth2%2Ftoken',
      'checkout/v2/checkout/orders/%2e%2e%2f%2e%2e%2fidentity',
      'checkout/v2/checkout/orders/..%5C..%5Cv1%5Coauth2%5Ctoken',
      'checkout/v2/checkout/orders/%2E%2E',
      'checkout/v2/checkout/orders/ABC%2Fcapture',
      'checkout/v2/checkout/orders/ABC%00',
      'checkout/v2/checkout/orders/%41BC', // even a harmless encoding is not a plain segment
      'checkout//v2/checkout/orders/ABC',
      'checkout/v2//checkout/orders/ABC',
      'checkout/https://evil.example/v2/checkout/orders/ABC',
      'checkout/https:%2F%2Fevil.example%2Fv2%2Fcheckout%2Forders%2FABC',
      'checkout/@evil.example/v2/checkout/orders/ABC',
      'checkout/v2/checkout/orders/ABC;jsessionid=1',
    ];
    for (const path of attempts) await refused(h, proxied(path, { token }), 403, 'route_not_allowed');
    // A backslash is a slash to the URL parser: it resolves like one and is then matched as usual.
    await refused(h, new Request('https://mint.example/v1/proxy/checkout/v2\\checkout\\orders\\..\\..\\..\\v1\\oauth2\\token', { headers: proxied('x', { token }).headers }), 403, 'route_not_allowed');
    // What normalises onto a listed route is that route, on the configured host.
    const ok = await h.call(proxied('checkout/v2/checkout/orders/ABC/../XYZ', { token }));
    expect(ok.status).toBe(404); // the emulator's answer for an unknown order: it got there
  });

  it('a body over maxRequestBytes: 413, by Content-Length or by counting a stream, before anything goes upstream', async () => {
    const h = await proxyHarness();
    const token = await session(h);
    const big = JSON.stringify({ ...ORDER, note: 'x'.repeat(2000) });
    await refused(h, proxied('checkout/v2/checkout/orders', { token, method: 'POST', headers: { 'content-type': 'application/json' }, body: big }), 413, 'payload_too_large');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode('y'.repeat(400)));
        controller.close();
      },
    });
    await refused(h, proxied('checkout/v2/checkout/orders', { token, method: 'POST', headers: { 'content-type': 'application/json' }, body: stream }), 413, 'payload_too_large');
    // A Content-Length that understates the body (only a caller inside the Worker can send one): still counted.
    const understated = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode('z'.repeat(400)));
        controller.close();
      },
    });
    await refused(h, proxied('checkout/v2/checkout/orders', { token, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '10' }, body: understated }), 413, 'payload_too_large');
  });

  it('the guard sees the session and the body; false is 403 guard_refused with nothing sent upstream', async () => {
    const seen: { route: string; path: string; scope: string; amount: string }[] = [];
    const h = await proxyHarness({
      worker: {
        proxy: proxy({
          guard: async (request, session) => {
            const body = (await request.json()) as typeof ORDER;
            const amount = body.purchase_units[0]!.amount.value;
            seen.push({ route: session.route, path: session.path, scope: session.claims.scope, amount });
            return Number(amount) <= 100;
          },
        }),
      },
    });
    const token = await session(h);
    const order = (value: string) => proxied('checkout/v2/checkout/orders', { token, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...ORDER, purchase_units: [{ amount: { currency_code: 'EUR', value } }] }) });
    await refused(h, order('250.00'), 403, 'guard_refused');
    expect((await h.call(order('99.00'))).status).toBe(201);
    expect(seen).toEqual([
      { route: 'POST /v2/checkout/orders', path: '/v2/checkout/orders', scope: 'checkout', amount: '250.00' },
      { route: 'POST /v2/checkout/orders', path: '/v2/checkout/orders', scope: 'checkout', amount: '99.00' },
    ]);
  });

  it('rate limit: 429 with Retry-After past the burst, in a bucket apart from token minting', async () => {
    const h = await proxyHarness({ config: (c) => void (c.profiles.checkout!.rateLimit = { burst: 2, perMinute: 2 }) });
    const token = await session(h);
    expect((await h.call(proxied('checkout/echo', { token }))).status).toBe(200);
    expect((await h.call(proxied('checkout/echo', { token }))).status).toBe(200);
    const limited = await refused(h, proxied('checkout/echo', { token }), 429, 'rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await h.call(proxied('checkout/echo'))).status).toBe(429); // before the token: cheap to refuse
  });

  it('preflight: the allow-list methods and the forwarded headers; others refused', async () => {
    const h = await proxyHarness();
    const preflight = (method: string, headers: string) => proxied('checkout/v2/checkout/orders', { method: 'OPTIONS', headers: { 'access-control-request-method': method, 'access-control-request-headers': headers } });
    const ok = await h.call(preflight('POST', 'authorization, content-type, paypal-request-id'));
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(ok.headers.get('access-control-allow-methods')).toBe('POST, GET');
    expect(ok.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(ok.headers.get('access-control-allow-credentials')).toBeNull();
    expect((await problemOf(await h.call(preflight('DELETE', 'authorization')))).code).toBe('invalid_preflight');
    expect((await problemOf(await h.call(preflight('POST', 'authorization, cookie')))).code).toBe('invalid_preflight');
    expect((await problemOf(await h.call(preflight('POST', 'x-forwarded-host')))).code).toBe('invalid_preflight');
    expect(upstreamCount(h)).toBe(0);
  });
});
