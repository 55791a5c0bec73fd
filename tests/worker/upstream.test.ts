// Upstream mode: a fresh browser-safe provider token per request (PayPal client tokens on the emulator),
// upstream failures retried per the core policy, then a 502 with a code and nothing of the upstream's body.
import { describe, expect, it } from 'vitest';
import { NOW, ORIGIN, devGet, harness, problemOf, testConfig, tokenRequest } from './_mint-helpers.js';

const generateCalls = (h: Awaited<ReturnType<typeof harness>>): number => h.emulators[0]!.requests.filter((r) => r.path === '/paypal/v1/identity/generate-token').length;

describe('upstream mode', () => {
  it('returns a fresh PayPal client token per request, lifetime clamped to the profile maximum', async () => {
    const h = await harness();
    const first = await h.call(tokenRequest({ profile: 'widget' }));
    expect(first.status).toBe(200);
    expect(first.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const a = (await first.json()) as Record<string, unknown>;
    // The emulator's client tokens live 3600 s; the profile allows 900.
    expect(a).toEqual({ accessToken: expect.any(String), tokenType: 'ClientToken', expiresIn: 900, expiresAt: NOW + 900_000, scope: 'checkout' });
    expect(h.issued).toContain(a.accessToken);
    const b = (await (await h.call(tokenRequest({ profile: 'widget', expiresIn: 60 }))).json()) as Record<string, unknown>;
    expect(b.accessToken).not.toBe(a.accessToken);
    expect([b.expiresIn, b.expiresAt]).toEqual([60, NOW + 60_000]);
    expect(generateCalls(h)).toBe(2);
  });

  it("the flow's own server token is reused across client tokens and never returned", async () => {
    const h = await harness();
    const bodies = [];
    for (let i = 0; i < 3; i++) bodies.push(await (await h.call(tokenRequest({ profile: 'widget' }))).text());
    const paths = h.emulators[0]!.requests.map((r) => r.path);
    expect(paths.filter((p) => p === '/paypal/v1/oauth2/token')).toHaveLength(1);
    const serverToken = h.issued[0]!;
    for (const body of bodies) expect(body).not.toContain(serverToken);
  });

  it('a provider token shorter than asked is reported as it is', async () => {
    const h = await harness({ env: { TOKENMINT_CONFIG: testConfig((c) => void (c.devEmulator = { lifetimes: { paypalClientToken: 120 } })) } });
    expect(await (await h.call(tokenRequest({ profile: 'widget' }))).json()).toMatchObject({ expiresIn: 120, expiresAt: NOW + 120_000 });
  });

  it('a passing upstream failure is retried (core policy) and the page never notices', async () => {
    const h = await harness();
    await h.call(devGet('')); // creates the in-isolate emulator
    h.emulators[0]!.inject({ provider: 'paypal', status: 503, times: 2 });
    expect((await h.call(tokenRequest({ profile: 'widget' }))).status).toBe(200);
    expect(h.emulators[0]!.requests.map((r) => r.path.split('/').pop())).toEqual(['token', 'token', 'token', 'generate-token']);
  });

  it.each([
    ['5xx after every retry', { status: 503, body: { json: { name: 'INTERNAL_SERVICE_ERROR', message: 'UPSTREAM-BODY-MARKER' } } }, 'upstream_unavailable'],
    ['429 with a long Retry-After', { status: 429, retryAfter: 3600, body: { json: { message: 'UPSTREAM-BODY-MARKER' } } }, 'upstream_unavailable'],
    ['a malformed body', { status: 200, body: 'malformed-json' }, 'upstream_invalid_response'],
    ['an HTML error page', { status: 502, body: { text: '<h1>UPSTREAM-BODY-MARKER</h1>', contentType: 'text/html' } }, 'upstream_unavailable'],
    ['credentials refused', { status: 401, body: { json: { error: 'invalid_client', error_description: 'UPSTREAM-BODY-MARKER' } } }, 'upstream_rejected'],
  ] as const)('%s: 502 %s, nothing of the upstream body', async (_, fault, code) => {
    const h = await harness();
    await h.call(tokenRequest({ profile: 'widget' }, { ip: '192.0.2.1' })); // creates the emulator (and the held server token)
    h.emulators[0]!.inject({ provider: 'paypal', ...fault });
    const response = await h.call(tokenRequest({ profile: 'widget' }));
    expect(response.status).toBe(502);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ status: 502, code });
    expect(text).not.toContain('UPSTREAM-BODY-MARKER');
    expect(text).not.toContain('INTERNAL_SERVICE_ERROR');
    expect(h.logs.some((l) => l.message.startsWith('profile "widget": upstream'))).toBe(true);
  });

  it('wrong credentials from the secrets: 502 upstream_rejected, the operator told in the log without the values', async () => {
    const h = await harness({ env: { PAYPAL_CLIENT_SECRET: 'PLANTED-wrong-secret-0000' } });
    const response = await h.call(tokenRequest({ profile: 'widget' }));
    expect(await problemOf(response)).toMatchObject({ status: 502, code: 'upstream_rejected' });
    const log = h.logs.map((l) => l.message).join('\n');
    expect(log).toContain('invalid_client');
    expect(log).not.toContain('PLANTED');
  });

  it('a missing credential secret: 503 secret_missing naming nothing; the log names the secret, once', async () => {
    const h = await harness({ env: { PAYPAL_CLIENT_SECRET: undefined } });
    for (let i = 0; i < 2; i++) {
      const response = await h.call(tokenRequest({ profile: 'widget' }));
      const body = await problemOf(response);
      expect(body).toMatchObject({ status: 503, code: 'secret_missing' });
      expect(JSON.stringify(body)).not.toMatch(/PAYPAL|secret_put|CLIENT/);
    }
    const lines = h.logs.filter((l) => l.message.includes('PAYPAL_CLIENT_SECRET'));
    expect(lines).toEqual([{ level: 'error', message: expect.stringContaining('wrangler secret put PAYPAL_CLIENT_SECRET') }]);
    expect(h.emulators.flatMap((e) => e.requests)).toEqual([]);
  });

  it('a blank credential secret: 503 secret_invalid (the provider refuses it before any request)', async () => {
    const h = await harness({ env: { PAYPAL_CLIENT_ID: '   ' } });
    expect(await problemOf(await h.call(tokenRequest({ profile: 'widget' })))).toMatchObject({ status: 503, code: 'secret_invalid' });
    expect(h.logs[0]!.message).toMatch(/^secret_invalid: profile "widget": paypal: option "clientId" is required.*clientId from PAYPAL_CLIENT_ID/);
    expect(h.emulators.flatMap((e) => e.requests)).toEqual([]);
  });

  it('the provider-routed path: no emulator, the Worker fetch goes to the host of the environment named', async () => {
    const { createEmulator } = await import('../../src/emulator/index.js');
    const upstream = createEmulator({ paypal: { clients: { 'PLANTED-paypal-client-id-5a1e': 'PLANTED-paypal-secret-9f3c7d' } } });
    const urls: string[] = [];
    const routed: typeof fetch = (input, init) => {
      const url = new URL(String(input instanceof Request ? input.url : input));
      urls.push(url.href);
      return upstream.fetch(`${upstream.baseUrl('paypal')}${url.pathname}`, init);
    };
    const config = testConfig((c) => {
      delete c.devEmulator;
      for (const name of ['checkout', 'kite']) delete c.profiles[name];
      delete c.profiles.widget!.upstream;
      c.profiles.widget!.options = { environment: 'production' };
    });
    const h = await harness({ env: { TOKENMINT_CONFIG: config, TOKENMINT_DEV_EMULATOR: undefined }, worker: { fetch: routed } });
    expect((await h.call(tokenRequest({ profile: 'widget' }))).status).toBe(200);
    expect(urls).toEqual(['https://api-m.paypal.com/v1/oauth2/token', 'https://api-m.paypal.com/v1/identity/generate-token']);
  });
});
