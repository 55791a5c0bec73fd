// Prism's token RPC on the mint Worker: off unless configured, a strictly checked config section,
// credentials from Worker secrets by profile, and one provider request for a whole fleet through the
// token coordinator (the real TokenCoordinator class over in-memory storage).
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/worker/index.js';
import { prismService } from '../../src/worker/prism/index.js';
import { PLANTED } from './_mint-helpers.js';
import { fleet } from './_fleet-helpers.js';

const API_KEY = 'PLANTED-prism-caller-key-5c1f09';
const PRISM_PROFILES = {
  profiles: {
    paypal: { environment: 'sandbox', secrets: { client_id: 'PAYPAL_CLIENT_ID', client_secret: 'PAYPAL_CLIENT_SECRET' }, baseUrl: 'https://emulator.invalid/paypal' },
  },
};

const rpc = (body: unknown, headers: Record<string, string> = {}) =>
  new Request('https://mint.example/types.MerchantAuthenticationService/CreateServerAuthenticationToken', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}`, ...headers },
    body: JSON.stringify(body),
  });
const http = (body: unknown, headers: Record<string, string> = {}) =>
  new Request('https://mint.example/payments/server_authentication_token', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}`, 'x-connector': 'paypal', ...headers },
    body: JSON.stringify(body),
  });

async function prismFleet(section: Record<string, unknown> = PRISM_PROFILES, isolates = 4) {
  const f = await fleet({ isolates, config: (c) => void ((c as Record<string, unknown>).prismService = section) });
  f.env.TOKENMINT_PRISM_API_KEY = API_KEY;
  return f;
}

describe('Prism token RPC on the mint Worker', () => {
  it('is off unless configured: its paths are 404', async () => {
    const f = await fleet();
    f.env.TOKENMINT_PRISM_API_KEY = API_KEY;
    expect((await f.call(0, http({}))).status).toBe(404);
    expect((await f.call(0, rpc({ connector: 'PAYPAL' }))).status).toBe(404);
    expect(f.upstream()).toBe(0);
  });

  it('answers from a profile whose credentials are Worker secrets; no credential or key in any answer', async () => {
    const f = await prismFleet();
    const answer = await f.call(0, http({ merchant_access_token_id: 'mat_w' }));
    const text = await answer.text();
    expect(answer.status).toBe(200);
    // The token's time left: the emulator's 1000 s lifetime, on a clock that does not move.
    expect(JSON.parse(text)).toMatchObject({ status: 'OPERATION_STATUS_SUCCESS', token_type: 'Bearer', merchant_access_token_id: 'mat_w', expires_in_seconds: 1000 });
    const connect = (await (await f.call(1, rpc({ connector: 'PAYPAL' }))).json()) as Record<string, unknown>;
    expect(connect).toMatchObject({ status: 'OPERATION_STATUS_SUCCESS', accessToken: { value: JSON.parse(text).access_token } });
    expect(text + JSON.stringify(connect)).not.toMatch(/PLANTED/);
    expect(JSON.stringify(f.logs)).not.toMatch(/PLANTED/);
  });

  it('1,000 concurrent calls over 4 isolates: one provider request, one coordinator object', async () => {
    const f = await prismFleet();
    const responses = await Promise.all(Array.from({ length: 1000 }, (_, i) => f.call(i % 4, i % 2 ? http({}) : rpc({ connector: 'PAYPAL' }))));
    const bodies = await Promise.all(responses.map((r) => r.json() as Promise<Record<string, unknown>>));
    expect(bodies.every((b) => b.status === 'OPERATION_STATUS_SUCCESS')).toBe(true);
    expect(f.upstream()).toBe(1);
    expect(f.namespace.names).toHaveLength(1);
    expect(f.namespace.names[0]).not.toContain(PLANTED.PAYPAL_CLIENT_ID);
    expect(f.namespace.totalAsks()).toBeLessThanOrEqual(4);
  }, 120_000); // a watchdog for a loaded machine, not a timing assertion

  it('"coordination": "isolate": each isolate fetches its own token', async () => {
    const f = await prismFleet({ ...PRISM_PROFILES, coordination: 'isolate' }, 2);
    await Promise.all(Array.from({ length: 50 }, (_, i) => f.call(i % 2, http({}))));
    expect([f.upstream(), f.namespace.calls]).toEqual([2, 0]);
  });

  it("a token due for refresh is answered at once, and its refresh is handed to the request's waitUntil", async () => {
    const f = await prismFleet({ ...PRISM_PROFILES, coordination: 'isolate' }, 1);
    const first = (await (await f.call(0, http({}))).json()) as Record<string, unknown>;
    f.clock.advance(850_000); // past the refresh point (80% of 1000 s), still valid
    const ctx = createExecutionContext();
    const handed: Promise<unknown>[] = [];
    const waitUntil = ctx.waitUntil.bind(ctx);
    ctx.waitUntil = (promise) => {
      handed.push(promise);
      waitUntil(promise);
    };
    const again = (await (await f.workers[0]!.fetch(http({}), f.env, ctx)).json()) as Record<string, unknown>;
    expect([again.access_token, again.expires_in_seconds]).toEqual([first.access_token, 150]);
    expect(handed.length).toBeGreaterThan(0);
    await waitOnExecutionContext(ctx);
    expect(f.upstream()).toBe(2);
  });

  it('the scheme in any case, followed by one or more spaces (RFC 7235 §2.1, RFC 6750 §2.1), as on the proxy and the admin routes', async () => {
    const f = await prismFleet();
    for (const authorization of [`bearer ${API_KEY}`, `BEARER ${API_KEY}`, `Bearer   ${API_KEY}`]) {
      expect((await f.call(0, http({}, { authorization }))).status, authorization.replace(API_KEY, '<key>')).toBe(200);
    }
    expect((await f.call(0, http({}, { authorization: `Bearer${API_KEY}` }))).status).toBe(401);
  });

  it('a missing or wrong key is a 401, with no provider request', async () => {
    const f = await prismFleet();
    expect((await f.call(0, http({}, { authorization: 'Bearer PLANTED-prism-caller-key-5c1f0X' }))).status).toBe(401);
    const missing = await f.call(0, rpc({ connector: 'PAYPAL' }, { authorization: '' }));
    expect([missing.status, ((await missing.json()) as { code: string }).code]).toEqual([401, 'unauthenticated']);
    expect(f.upstream()).toBe(0);
  });

  it('without its API key secret: 503 secret_missing, naming the secret in the log only', async () => {
    const f = await prismFleet();
    delete f.env.TOKENMINT_PRISM_API_KEY;
    const response = await f.call(0, http({}));
    expect([response.status, ((await response.json()) as { code: string }).code]).toEqual([503, 'secret_missing']);
    expect(f.logs.some((l) => l.message.includes('TOKENMINT_PRISM_API_KEY'))).toBe(true);
  });
});

describe('prismService config is strict', () => {
  const check = (section: unknown, extra: Record<string, unknown> = {}) =>
    parseConfig({ TOKENMINT_CONFIG: JSON.stringify({ profiles: {}, prismService: section }), ...extra }, { prismService: prismService() });

  it('a Prism-only Worker needs no mint profile', () => {
    expect(check(PRISM_PROFILES).ok).toBe(true);
  });

  it.each([
    [{ ...PRISM_PROFILES, cors: true }, 'prismService.cors: unknown field'],
    [{ profiles: { paypal: { environment: 'sandbox', secrets: {}, extra: 1 } } }, 'prismService.profiles.paypal.extra: unknown field'],
    [{ profiles: { paypal: { secrets: { client_id: 'A' } } } }, 'prismService.profiles.paypal.environment: is required'],
    [{ profiles: { paypal: { environment: 'sandbox', secrets: { client_id: 'lower' } } } }, 'UPPER_SNAKE_CASE'],
    [{ profiles: { stripe: { environment: 'sandbox', secrets: { api_key: 'STRIPE_KEY' } } } }, 'connector "stripe" has no access token'],
    [{ headerCredentials: { environment: 'sandbox' } }, 'headerCredentials is for development only'],
    [{ ...PRISM_PROFILES, coordination: 'durable-object' }, 'needs the Durable Object binding'],
    [{}, 'define at least one profile'],
  ])('%j → %s', (section, message) => {
    const result = check(section);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.join('\n')).toContain(message);
  });
});
