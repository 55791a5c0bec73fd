// Hardening of the proxy: path-traversal attempts in many encodings, header smuggling, and a scan of
// every proxy response and log line for secrets, server tokens, session tokens and request bodies.
import { describe, expect, it } from 'vitest';
import { PLANTED, ORIGIN } from './_mint-helpers.js';
import { apiCalls, craftedSession, ORDER, proxied, proxyHarness, session } from './_proxy-helpers.js';
import { proxy } from '../../src/worker/proxy/index.js';

/** The upstream paths the checkout allow-list permits (emulator prefix included). */
const ALLOWED_UPSTREAM = /^\/paypal\/(v2\/checkout\/orders(\/[A-Za-z0-9._~-]+)?|echo)$/;

describe('proxy hardening', () => {
  it('path traversal in every encoding: nothing outside the allow-list reaches the provider', async () => {
    const h = await proxyHarness({ config: (c) => void (c.profiles.checkout!.rateLimit = { burst: 1000, perMinute: 10_000, ceiling: { burst: 1000, perMinute: 10_000 } }) });
    const token = await session(h);
    const dots = ['..', '%2e%2e', '%2E%2E', '.%2e', '%2e.', '..%00', '%252e%252e', '..;', '.'];
    const slashes = ['/', '%2f', '%2F', '%5c', '%5C', '\\', '%252f', '//', '/./'];
    const targets = ['v1/oauth2/token', 'v1/identity/generate-token', 'v2/payments/captures/X/refund', 'https://evil.example/x', '%2F%2Fevil.example/x'];
    const methods = ['GET', 'POST'];
    let sent = 0;
    for (const dot of dots)
      for (const slash of slashes)
        for (const target of targets)
          for (const method of methods) {
            const path = `checkout/v2/checkout/orders/${dot}${slash}${dot}${slash}${dot}${slash}${target}`;
            const response = await h.call(proxied(path, { token, method, ...(method === 'POST' ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(ORDER) } : {}) }));
            sent++;
            // Either refused by the Worker, or (after the URL parser resolved it) a listed route.
            if (response.status === 403) expect((await response.json()) as { code: string }).toMatchObject({ code: 'route_not_allowed' });
            else await response.body?.cancel();
          }
    expect(sent).toBe(dots.length * slashes.length * targets.length * methods.length);
    const reached = apiCalls(h).map((call) => call.path);
    expect(reached.filter((path) => !ALLOWED_UPSTREAM.test(path))).toEqual([]);
    // The token endpoints were never called by the proxy: only the one server-token request.
    expect(h.emulators[0]!.requests.filter((r) => r.path === '/paypal/v1/oauth2/token')).toHaveLength(1);
  });

  it('header smuggling: duplicated credentials, Host and URL-override headers, framing headers and method overrides change nothing', async () => {
    const h = await proxyHarness();
    const token = await session(h);
    const other = await craftedSession(h, (c) => void (c.scope = 'refunds'));

    // Two Authorization values arrive joined ("Bearer a, Bearer b"): not a token.
    const doubled = new Headers({ origin: ORIGIN, 'cf-connecting-ip': '203.0.113.9' });
    doubled.append('authorization', `Bearer ${token}`);
    doubled.append('authorization', `Bearer ${other}`);
    expect((await h.call(new Request('https://mint.example/v1/proxy/checkout/echo', { headers: doubled }))).status).toBe(401);

    const response = await h.call(
      proxied('checkout/echo', {
        token,
        method: 'POST',
        body: '{"a":1}',
        headers: {
          'content-type': 'application/json',
          host: 'evil.example',
          'x-original-url': '/v1/oauth2/token',
          'x-rewrite-url': '/v1/oauth2/token',
          'x-forwarded-prefix': '/v1/oauth2',
          'x-http-method-override': 'DELETE',
          'x-method-override': 'DELETE',
          'transfer-encoding': 'chunked',
          'proxy-authorization': 'Basic PLANTED',
          'x-paypal-security-context': 'PLANTED-context',
          'paypal-auth-assertion': 'PLANTED-assertion',
          upgrade: 'websocket',
        },
      }),
    );
    expect(response.status).toBe(200);
    const [call] = apiCalls(h);
    expect(call).toMatchObject({ method: 'POST', path: '/paypal/echo', body: '{"a":1}' });
    expect(Object.keys(call!.headers).sort()).toEqual(['authorization', 'content-type']);
    expect(call!.headers.authorization).toBe(`Bearer ${h.issued[0]}`);
  });

  it('no secret, server token, session token, signing key or request body in any proxy response or log line', async () => {
    const h = await proxyHarness({ worker: { proxy: proxy({ guard: async (request) => !(await request.text()).includes('refuse-me') }) } });
    const token = await session(h);
    const marker = 'PLANTED-request-body-7f3e';
    const body = JSON.stringify({ ...ORDER, note: marker });
    const post = (path: string, extra: Record<string, unknown> = {}) => proxied(path, { token, method: 'POST', headers: { 'content-type': 'application/json' }, body, ...extra });
    await h.call(post('checkout/v2/checkout/orders')); // 201
    await h.call(post('checkout/echo')); // 200, echoes the body (the page's own)
    await h.call(post('checkout/v1/oauth2/token')); // 403
    await h.call(proxied('checkout/echo', { token: `${token}x` })); // 401
    await h.call(proxied('checkout/echo', { token, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ note: 'refuse-me' }) })); // guard
    await h.call(post('checkout/v2/checkout/orders', { body: 'x'.repeat(5000) })); // 413
    h.emulators[0]!.paypal.revokeAccessTokens();
    await h.call(post('checkout/v2/checkout/orders')); // 401 → retry → 201
    h.emulators[0]!.inject({ provider: 'paypal', status: 503, times: 1, body: { text: `upstream quoting ${marker}` } });
    await h.call(post('checkout/v2/checkout/orders')); // 502
    h.emulators[0]!.inject({ provider: 'paypal', status: 401, times: 3 });
    await h.call(post('checkout/v2/checkout/orders')); // 502

    const key = JSON.parse(h.env.TOKENMINT_SESSION_KEY as string) as { d: string };
    const forbidden = [...Object.values(PLANTED), ...h.issued, key.d];
    expect(h.issued.length).toBeGreaterThanOrEqual(2);
    for (const response of h.responses) {
      const text = `${[...response.headers].map(([n, v]) => `${n}: ${v}`).join('\n')}\n${await response.text()}`;
      for (const secret of forbidden) expect(text).not.toContain(secret);
      // The upstream's own failure text never reaches the page in a problem.
      if (response.headers.get('content-type') === 'application/problem+json') expect(text).not.toContain(marker);
    }
    const logs = h.logs.map((l) => l.message).join('\n');
    expect(logs).toContain('answered 502');
    // Logs may name a flow by its key (client id included, as the mint path's do); never a secret.
    const secrets = [PLANTED.PAYPAL_CLIENT_SECRET, PLANTED.KITEGATEWAY_SECRET_KEY, ...h.issued, key.d];
    for (const secret of [...secrets, token, marker, 'refuse-me']) expect(logs).not.toContain(secret);
    expect(logs).not.toMatch(/eyJ[\w-]{10,}/); // no JWT of any kind
  });
});
