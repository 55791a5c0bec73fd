// The emulators' API surface: `<prefix>/echo` for every provider (a live token of that provider or
// 401; what arrived is reported, the token is not), and PayPal Orders v2 create/show in PayPal's shapes.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clientCredentials, createTokenStore, type TokenFlow } from '../../src/core/index.js';
import { OAUTH2_DEMO, createEmulator } from '../../src/emulator/index.js';
import { PROVIDER_DESCRIPTORS } from '../../src/providers/index.js';
import { NOW, demoFlow, useFakeClock } from '../providers/_helpers.js';

beforeEach(useFakeClock);
afterEach(() => void vi.useRealTimers());

type Emulator = ReturnType<typeof createEmulator>;

/** Every provider's server token flow against the emulator, with the demo credentials (from the lists), and the generic OAuth 2 server's. */
const FLOWS: Record<string, (emulator: Emulator) => TokenFlow> = {
  oauth2: (e) => clientCredentials({ ...OAUTH2_DEMO, tokenUrl: `${e.baseUrl('oauth2')}/token`, fetch: e.fetch }),
  ...Object.fromEntries(PROVIDER_DESCRIPTORS.map((descriptor) => [descriptor.emulatorPrefix, (e: Emulator) => demoFlow(e, descriptor)])),
};

describe('emulator API: /<prefix>/echo', () => {
  it.each(Object.keys(FLOWS))('%s: only a live token of this provider; reports what arrived, never the token', async (prefix) => {
    const emulator = createEmulator();
    const store = createTokenStore({ fetch: emulator.fetch, random: () => 0 });
    const source = store.source(FLOWS[prefix]!(emulator));
    const token = await source.get();
    const authorization = await source.authorization();
    const url = `${emulator.baseUrl(prefix)}/echo?x=1`;
    const ok = await emulator.fetch(url, { method: 'POST', headers: { authorization, 'content-type': 'application/json', 'paypal-request-id': 'r1' }, body: '{"a":1}' });
    expect(ok.status).toBe(200);
    const text = await ok.text();
    expect(JSON.parse(text)).toEqual({ provider: prefix, method: 'POST', path: `/${prefix}/echo`, query: '?x=1', headers: { 'content-type': 'application/json', 'paypal-request-id': 'r1' }, body: '{"a":1}', token: 'valid' });
    expect(text).not.toContain(token.accessToken);

    expect((await emulator.fetch(url)).status).toBe(401);
    expect((await emulator.fetch(url, { headers: { authorization: 'Bearer made-up' } })).status).toBe(401);
    // Another provider's live token is not this one's.
    const other = prefix === 'paypal' ? 'iatapay' : 'paypal';
    const otherAuth = await createTokenStore({ fetch: emulator.fetch }).source(FLOWS[other]!(emulator)).authorization();
    expect((await emulator.fetch(url, { headers: { authorization: otherAuth } })).status).toBe(401);
    // Expired: refused from its expiry on.
    vi.setSystemTime(token.expiresAt);
    expect((await emulator.fetch(url, { headers: { authorization } })).status).toBe(401);
    store.dispose();
  });
});

describe('emulator API: PayPal Orders v2', () => {
  async function paypalToken() {
    const emulator = createEmulator();
    const authorization = await createTokenStore({ fetch: emulator.fetch }).source(FLOWS.paypal!(emulator)).authorization();
    const call = (path: string, init: RequestInit = {}) => emulator.fetch(`${emulator.baseUrl('paypal')}${path}`, { ...init, headers: { authorization, ...(init.headers as Record<string, string>) } });
    return { emulator, authorization, call };
  }
  const ORDER = { intent: 'CAPTURE', purchase_units: [{ reference_id: 'r1', amount: { currency_code: 'USD', value: '100.00' } }] };
  const create = (body: unknown, headers: Record<string, string> = {}) => ({ method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('create: 201 { id, status CREATED, links }; show: 200 with the whole order', async () => {
    const { call } = await paypalToken();
    const created = await call('/v2/checkout/orders', create(ORDER));
    expect(created.status).toBe(201);
    const order = (await created.json()) as { id: string; status: string; links: { href: string; rel: string; method: string }[] };
    expect(Object.keys(order)).toEqual(['id', 'status', 'links']);
    expect(order.id).toMatch(/^[0-9A-Z]{17}$/);
    expect(order.links).toEqual([
      { href: `https://emulator.invalid/paypal/v2/checkout/orders/${order.id}`, rel: 'self', method: 'GET' },
      { href: `https://emulator.invalid/paypal/checkoutnow?token=${order.id}`, rel: 'approve', method: 'GET' },
      { href: `https://emulator.invalid/paypal/v2/checkout/orders/${order.id}`, rel: 'update', method: 'PATCH' },
      { href: `https://emulator.invalid/paypal/v2/checkout/orders/${order.id}/capture`, rel: 'capture', method: 'POST' },
    ]);
    const shown = await call(`/v2/checkout/orders/${order.id}`);
    expect(shown.status).toBe(200);
    expect(await shown.json()).toEqual({ id: order.id, intent: 'CAPTURE', status: 'CREATED', purchase_units: ORDER.purchase_units, create_time: new Date(NOW).toISOString().replace(/\.\d{3}Z$/, 'Z'), links: order.links });
  });

  it('Prefer: return=representation answers the whole order; PayPal-Request-Id makes a create idempotent', async () => {
    const { call } = await paypalToken();
    const full = (await (await call('/v2/checkout/orders', create(ORDER, { prefer: 'return=representation' }))).json()) as Record<string, unknown>;
    expect(full).toMatchObject({ intent: 'CAPTURE', status: 'CREATED', purchase_units: ORDER.purchase_units });
    const first = (await (await call('/v2/checkout/orders', create(ORDER, { 'paypal-request-id': 'k1' }))).json()) as { id: string };
    const again = (await (await call('/v2/checkout/orders', create(ORDER, { 'paypal-request-id': 'k1' }))).json()) as { id: string };
    const other = (await (await call('/v2/checkout/orders', create(ORDER, { 'paypal-request-id': 'k2' }))).json()) as { id: string };
    expect(again.id).toBe(first.id);
    expect(other.id).not.toBe(first.id);
  });

  it('errors in PayPal shapes: 401 without a live token, 400 INVALID_REQUEST with details, 415, 404 RESOURCE_NOT_FOUND', async () => {
    const { emulator, call } = await paypalToken();
    const anonymous = await emulator.fetch(`${emulator.baseUrl('paypal')}/v2/checkout/orders`, create(ORDER));
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ error: 'invalid_token', error_description: 'Token signature verification failed' });
    const missing = await call('/v2/checkout/orders', create({ purchase_units: ORDER.purchase_units }));
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ name: 'INVALID_REQUEST', debug_id: expect.any(String), details: [{ field: '/intent', location: 'body', issue: 'MISSING_REQUIRED_PARAMETER' }] });
    const amount = await call('/v2/checkout/orders', create({ intent: 'CAPTURE', purchase_units: [{ amount: { currency_code: 'USD', value: '1,00' } }] }));
    expect(await amount.json()).toMatchObject({ details: [{ field: '/purchase_units/0/amount/value', issue: 'INVALID_PARAMETER_SYNTAX' }] });
    expect((await call('/v2/checkout/orders', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' })).status).toBe(415);
    const unknown = await call('/v2/checkout/orders/0000000000000000X');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ name: 'RESOURCE_NOT_FOUND', details: [{ issue: 'INVALID_RESOURCE_ID' }] });
  });
});
