// What the form-encoded connectors do beyond the common table (connectors.test.ts): TrustPay's ResultInfo
// and its unverified expires_in, IATA Pay's bodies without token_type and Spring errors, the J.P. Morgan
// scope per environment, TrueLayer's body credentials, Getnet's (unverified) production host.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TokenStore } from '../../src/core/index.js';
import { GETNET_DEMO, IATAPAY_DEMO, JPMORGAN_DEMO, TRUELAYER_DEMO, TRUSTPAY_DEMO, type Emulator } from '../../src/emulator/index.js';
import { GETNET_HOSTS, JPMORGAN_SCOPES, TRUSTPAY_FALLBACK_LIFETIME, getnet, iatapay, jpmorgan, truelayer, trustpay } from '../../src/providers/index.js';
import { NOW, hostRouter, setup, tokenError, useFakeClock } from './_helpers.js';

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

const form = (index = 0): Record<string, string> => Object.fromEntries(new URLSearchParams(emulator.requests[index]!.body));

describe('trustpay', () => {
  const flow = () => trustpay({ ...TRUSTPAY_DEMO, baseUrl: emulator.baseUrl('trustpay') });

  it('reads expires_in; without it, assumes the short fallback lifetime (unverified field)', async () => {
    expect((await store.source(flow()).get()).expiresAt).toBe(NOW + 1_800_000);
    store.dispose();
    ({ emulator, store } = setup({ trustpay: { expiresIn: false } }));
    expect((await store.source(flow()).get()).expiresAt).toBe(NOW + TRUSTPAY_FALLBACK_LIFETIME * 1000);
  });

  it('an error carries ResultCode, AdditionalInfo and the correlation id', async () => {
    emulator.inject({ provider: 'trustpay', status: 400, body: { json: { ResultInfo: { ResultCode: 1001, AdditionalInfo: 'grant_type missing', CorrelationId: 'corr-9' } } }, times: 1 });
    const error = await tokenError(store.source(flow()).get());
    expect(error).toMatchObject({ code: 'invalid_request', status: 400 });
    expect(error.message).toContain('ResultCode 1001: grant_type missing: correlation corr-9');
  });

  it('a 200 without a token (ResultInfo only) → invalid_response', async () => {
    emulator.inject({ provider: 'trustpay', body: { json: { ResultInfo: { ResultCode: 1002 } } }, times: 1 });
    expect((await tokenError(store.source(flow()).get())).code).toBe('invalid_response');
  });
});

describe('iatapay', () => {
  const flow = () => iatapay({ ...IATAPAY_DEMO, baseUrl: emulator.baseUrl('iatapay') });

  it('accepts a body without token_type and records the payment scope', async () => {
    const token = await store.source(flow()).get();
    expect(token).toMatchObject({ tokenType: 'Bearer', scope: 'payment', expiresAt: NOW + 3_600_000 });
  });

  it('a Spring 401 → invalid_client; an RFC invalid_scope keeps its code', async () => {
    const error = await tokenError(store.source(iatapay({ ...IATAPAY_DEMO, clientSecret: 'wrong', baseUrl: emulator.baseUrl('iatapay') })).get());
    expect(error).toMatchObject({ code: 'invalid_client', status: 401 });
    emulator.inject({ provider: 'iatapay', status: 400, body: { json: { error: 'invalid_scope', error_description: 'scope must be "payment"' } }, times: 1 });
    expect(await tokenError(store.source(flow()).get())).toMatchObject({ code: 'invalid_scope', status: 400 });
  });

  it('refuses a token_type other than Bearer', async () => {
    emulator.inject({ provider: 'iatapay', body: { json: { access_token: 'x', expires_in: 60, token_type: 'mac' } }, times: 1 });
    expect((await tokenError(store.source(flow()).get())).code).toBe('invalid_response');
  });
});

describe('jpmorgan', () => {
  it('the scope follows the environment, also with a baseUrl', async () => {
    expect(JPMORGAN_SCOPES).toEqual({ sandbox: 'jpm:payments:sandbox', production: 'jpm:payments' });
    await store.source(jpmorgan({ ...JPMORGAN_DEMO, environment: 'production', baseUrl: emulator.baseUrl('jpmorgan') })).get();
    const token = await store.source(jpmorgan({ ...JPMORGAN_DEMO, baseUrl: emulator.baseUrl('jpmorgan') })).get();
    expect([form(0).scope, form(1).scope]).toEqual(['jpm:payments', 'jpm:payments:sandbox']);
    expect(token.scope).toBe('jpm:payments:sandbox');
  });

  it('sandbox and production are two sources (different scopes)', () => {
    const sandbox = jpmorgan({ ...JPMORGAN_DEMO });
    const production = jpmorgan({ ...JPMORGAN_DEMO, environment: 'production' });
    expect(sandbox.key).not.toBe(production.key);
  });

  it('a refused scope → invalid_scope', async () => {
    store.dispose();
    ({ emulator, store } = setup({ jpmorgan: { scopes: ['jpm:payments:sandbox'] } }));
    const error = await tokenError(store.source(jpmorgan({ ...JPMORGAN_DEMO, environment: 'production', baseUrl: emulator.baseUrl('jpmorgan') })).get());
    expect(error).toMatchObject({ code: 'invalid_scope', status: 400 });
  });
});

describe('truelayer', () => {
  it('sends id and secret in the body only, and records the granted scope', async () => {
    const token = await store.source(truelayer({ ...TRUELAYER_DEMO, baseUrl: emulator.baseUrl('truelayer') })).get();
    expect(emulator.requests[0]!.headers.authorization).toBeUndefined();
    expect(form()).toMatchObject({ client_id: TRUELAYER_DEMO.clientId, client_secret: TRUELAYER_DEMO.clientSecret });
    expect(token.scope).toBe('payments');
  });
});

describe('getnet', () => {
  it('production goes to the (unverified) host kept in GETNET_HOSTS; baseUrl replaces it', async () => {
    expect(GETNET_HOSTS.production).toBe('https://api.globalgetnet.com');
    const router = hostRouter(emulator);
    await store.source(getnet({ ...GETNET_DEMO, environment: 'production', fetch: router.fetch })).get();
    await store.source(getnet({ ...GETNET_DEMO, environment: 'production', baseUrl: emulator.baseUrl('getnet') })).get();
    expect(router.urls).toEqual(['https://api.globalgetnet.com/authentication/oauth2/access_token']);
    expect(emulator.requests.map((request) => request.url)).toEqual([
      'https://emulator.invalid/getnet/authentication/oauth2/access_token',
      'https://emulator.invalid/getnet/authentication/oauth2/access_token',
    ]);
  });
});
