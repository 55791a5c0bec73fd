// What the JSON connectors do beyond the common table (connectors.test.ts): GlobalPay's nonce and
// SHA-512 secret, Airwallex's and Pine Labs' absolute expiry times (formats, clock skew), Volt's password
// grant and its two error shapes.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TokenStore } from '../../src/core/index.js';
import { AIRWALLEX_DEMO, GLOBALPAY_DEMO, PINELABS_DEMO, VOLT_DEMO, createEmulator, type Emulator } from '../../src/emulator/index.js';
import { GLOBALPAY_API_VERSION, airwallex, globalpay, pinelabs, sha512Hex, volt } from '../../src/providers/index.js';
import { NOW, exposed, setup, tokenError, useFakeClock } from './_helpers.js';

let emulator: Emulator;
let store: TokenStore;
beforeEach(() => {
  useFakeClock();
  ({ emulator, store } = setup());
});
afterEach(() => {
  store.dispose();
  vi.useRealTimers();
});

const body = (index = 0): Record<string, string> => JSON.parse(emulator.requests[index]!.body);
/** An emulator whose clock runs 10 minutes ahead of ours. */
const aheadBy10Minutes = (): Emulator => createEmulator({ clock: { now: () => Date.now() + 600_000 } });

describe('globalpay', () => {
  const flow = (extra: Partial<Parameters<typeof globalpay>[0]> = {}) => globalpay({ ...GLOBALPAY_DEMO, baseUrl: emulator.baseUrl('globalpay'), ...extra });

  it('secret = lowercase hex SHA-512(nonce + app key), a fresh nonce each time, the key never sent', async () => {
    const source = store.source(flow());
    await source.get();
    await source.refresh();
    const [first, second] = [body(0), body(1)];
    for (const sent of [first, second]) {
      expect(sent.secret).toBe(createHash('sha512').update(sent.nonce + GLOBALPAY_DEMO.appKey).digest('hex'));
    }
    expect(first.nonce).not.toBe(second.nonce);
    for (const request of emulator.requests) {
      expect(request.headers['x-gp-version']).toBe(GLOBALPAY_API_VERSION);
      expect(JSON.stringify(request)).not.toContain(GLOBALPAY_DEMO.appKey);
    }
  });

  it('sha512Hex is WebCrypto SHA-512 in lowercase hex', async () => {
    expect(await sha512Hex('abc')).toBe(createHash('sha512').update('abc').digest('hex'));
    expect(await sha512Hex('')).toMatch(/^cf83e135/);
  });

  it('reads { token, type, seconds_to_expire }', async () => {
    store.dispose();
    ({ emulator, store } = setup({ globalpay: { expiresIn: 600 } }));
    expect(await store.source(flow()).get()).toMatchObject({ tokenType: 'Bearer', expiresAt: NOW + 600_000 });
  });

  it('an unknown app id → 403 ACTION_NOT_AUTHORIZED → invalid_client', async () => {
    const error = await tokenError(store.source(flow({ appId: 'not-an-app' })).get());
    expect(error).toMatchObject({ code: 'invalid_client', status: 403 });
    expect(error.message).toContain('ACTION_NOT_AUTHORIZED: 40004: App credentials not recognized');
  });

  it('INVALID_REQUEST_DATA → invalid_request; a body without token → invalid_response naming the field', async () => {
    emulator.inject({ provider: 'globalpay', status: 400, body: { json: { error_code: 'INVALID_REQUEST_DATA', detailed_error_code: '40213', detailed_error_description: 'seconds_to_expire contains unexpected data' } }, times: 1 });
    expect(await tokenError(store.source(flow()).get())).toMatchObject({ code: 'invalid_request', status: 400 });
    emulator.inject({ provider: 'globalpay', body: { json: { type: 'Bearer', seconds_to_expire: 60 } }, times: 1 });
    const error = await tokenError(store.source(flow()).get());
    expect(error.code).toBe('invalid_response');
    expect(error.message).toContain('token');
  });
});

describe('airwallex', () => {
  const flow = (extra: Partial<Parameters<typeof airwallex>[0]> = {}) => airwallex({ ...AIRWALLEX_DEMO, baseUrl: emulator.baseUrl('airwallex'), ...extra });

  it('takes the 201 answer and its "+0000" expiry', async () => {
    const token = await store.source(flow()).get();
    expect(emulator.requests[0]!.body).toBe('{}');
    expect(token.expiresAt).toBe(NOW + 1_800_000);
  });

  it.each([
    ['an ISO time with Z and milliseconds', new Date(NOW + 900_000).toISOString()],
    ['an ISO time with a +02:00 offset', '2026-06-01T14:15:00+02:00'],
    ['Unix seconds', (NOW + 900_000) / 1000],
  ])('also reads %s (200)', async (_, expiresAt) => {
    emulator.inject({ provider: 'airwallex', body: { json: { token: 'awx-token', expires_at: expiresAt } }, times: 1 });
    expect((await store.source(flow()).get()).expiresAt).toBe(NOW + 900_000);
  });

  it('counts the lifetime from the server Date header when the clocks disagree', async () => {
    const ahead = aheadBy10Minutes();
    const token = await store.source(airwallex({ ...AIRWALLEX_DEMO, baseUrl: ahead.baseUrl('airwallex'), fetch: ahead.fetch })).get();
    expect(token.expiresAt).toBe(NOW + 1_800_000);
  });

  it.each([
    ['already expired', { token: 'x', expires_at: '2026-06-01T11:59:00+0000' }],
    ['a date without a zone', { token: 'x', expires_at: '2026-06-01T12:30:00' }],
    ['milliseconds', { token: 'x', expires_at: NOW + 900_000 }],
    ['no token', { expires_at: '2026-06-01T12:30:00+0000' }],
  ])('refuses an expiry that is %s', async (_, json) => {
    emulator.inject({ provider: 'airwallex', body: { json }, times: 1 });
    expect((await tokenError(store.source(flow()).get())).code).toBe('invalid_response');
  });

  it('missing headers (unauthorized) → invalid_client; validation_error (400) → invalid_request', async () => {
    const stripped: typeof fetch = (input, init) => {
      const request = new Request(input, init);
      request.headers.delete('x-api-key');
      return emulator.fetch(request);
    };
    expect(await tokenError(store.source(flow({ fetch: stripped })).get())).toMatchObject({ code: 'invalid_client', status: 401 });
    emulator.inject({ provider: 'airwallex', status: 400, times: 1 });
    const error = await tokenError(store.source(flow()).get());
    expect(error).toMatchObject({ code: 'invalid_request', status: 400 });
    expect(error.message).toContain('validation_error');
  });
});

describe('pinelabs', () => {
  const flow = (extra: Partial<Parameters<typeof pinelabs>[0]> = {}) => pinelabs({ ...PINELABS_DEMO, baseUrl: emulator.baseUrl('pinelabs'), ...extra });

  it('reads an expires_at with microseconds', async () => {
    emulator.inject({ provider: 'pinelabs', body: { json: { access_token: 'pl-token', expires_at: '2026-06-01T13:00:00.123456Z' } }, times: 1 });
    expect((await store.source(flow()).get()).expiresAt).toBe(NOW + 3_600_123);
  });

  it('counts the lifetime from the server Date header when the clocks disagree', async () => {
    const ahead = aheadBy10Minutes();
    const token = await store.source(pinelabs({ ...PINELABS_DEMO, baseUrl: ahead.baseUrl('pinelabs'), fetch: ahead.fetch })).get();
    expect(token.expiresAt).toBe(NOW + 3_600_000);
  });

  it('INVALID_REQUEST (400) → invalid_request with the provider message', async () => {
    emulator.inject({ provider: 'pinelabs', status: 400, body: { json: { code: 'INVALID_REQUEST', message: 'grant_type is invalid' } }, times: 1 });
    const error = await tokenError(store.source(flow()).get());
    expect(error).toMatchObject({ code: 'invalid_request', status: 400 });
    expect(error.message).toContain('INVALID_REQUEST: grant_type is invalid');
  });
});

describe('volt', () => {
  const flow = (extra: Partial<Parameters<typeof volt>[0]> = {}) => volt({ ...VOLT_DEMO, baseUrl: emulator.baseUrl('volt'), ...extra });

  it('drops the refresh token Volt returns (the flow signs in with the password grant again)', async () => {
    const source = store.source(flow());
    expect((await source.get()).refreshToken).toBeUndefined();
    await source.refresh();
    expect(body(1).grant_type).toBe('password');
  });

  it('a wrong password → invalid_client, password and secret nowhere in the error', async () => {
    const error = await tokenError(store.source(flow({ password: 'wrong-volt-password' })).get());
    expect(error).toMatchObject({ code: 'invalid_client', status: 401 });
    expect(error.message).toContain('401: Bad credentials.');
    expect(exposed(error)).not.toContain('wrong-volt-password');
    expect(exposed(error)).not.toContain(VOLT_DEMO.clientSecret);
  });

  it('{ code: 400, message } → invalid_request; an RFC 6749 body keeps its code', async () => {
    emulator.inject({ provider: 'volt', status: 400, times: 1 });
    expect(await tokenError(store.source(flow()).get())).toMatchObject({ code: 'invalid_request', status: 400 });
    emulator.inject({ provider: 'volt', status: 400, body: { json: { error: 'invalid_grant', error_description: 'Invalid username and password combination' } }, times: 1 });
    const error = await tokenError(store.source(flow()).get());
    expect(error.code).toBe('invalid_grant');
    expect(error.message).toContain('Invalid username and password combination');
  });
});
