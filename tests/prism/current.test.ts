// The current SDK shape: { connectorConfig, options } and createServerAuthenticationToken, whose failures
// come back in-band as OperationStatus values — never thrown, never with a secret.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CYBERSOURCE_DEMO, KITEGATEWAY_DEMO, OPEN_BANKING_DEMO, createEmulator, type Emulator } from '../../src/emulator/index.js';
import { API_KEY_CONNECTORS, MerchantAuthenticationClient, OPERATION_STATUS, TOKEN_CONNECTORS, tokenConnector } from '../../src/prism/index.js';
import { PROVIDER_DESCRIPTORS, kitegateway, normaliseName } from '../../src/providers/index.js';
import { hostRouter, tokenError, useFakeClock } from '../providers/_helpers.js';

let emulator: Emulator;
const clients: MerchantAuthenticationClient[] = [];
beforeEach(() => {
  useFakeClock();
  emulator = createEmulator();
});
afterEach(() => {
  for (const client of clients.splice(0)) client.dispose();
  vi.useRealTimers();
});

const client = (connectorConfig: Record<string, object>, environment?: 'SANDBOX' | 'PRODUCTION', fetchFn: typeof fetch = emulator.fetch) => {
  const made = new MerchantAuthenticationClient({ connectorConfig, options: { fetch: fetchFn, ...(environment ? { environment } : {}) } });
  clients.push(made);
  return made;
};
const cybs = (extra: Record<string, unknown> = {}) =>
  client({ cybersource: { client_id: { value: CYBERSOURCE_DEMO.clientId }, client_secret: { value: CYBERSOURCE_DEMO.clientSecret }, code: emulator.cybersource.authorize(), baseUrl: emulator.baseUrl('cybersource'), ...extra } });

describe('current shape: createServerAuthenticationToken', () => {
  it('SUCCESS with expiresInSeconds as a plain number and the id echoed', async () => {
    const response = await cybs().createServerAuthenticationToken({ merchantAccessTokenId: 'mat_123' });
    expect(response).toEqual({ status: 'SUCCESS', statusCode: 200, accessToken: expect.any(String), tokenType: 'Bearer', expiresInSeconds: 900, merchantAccessTokenId: 'mat_123' });
    expect(Object.fromEntries(new URLSearchParams(emulator.requests[0]!.body))).toMatchObject({ grant_type: 'authorization_code', client_id: CYBERSOURCE_DEMO.clientId });
  });

  it('caches, and rotates the refresh token through the hook given in the credentials', async () => {
    const onRefreshToken = vi.fn();
    const prism = cybs({ onRefreshToken });
    const first = await prism.createServerAuthenticationToken();
    await vi.advanceTimersByTimeAsync(60_000);
    const cached = await prism.createServerAuthenticationToken();
    expect(cached).toMatchObject({ status: 'SUCCESS', expiresInSeconds: 840 });
    expect(emulator.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(900_000);
    const renewed = await prism.createServerAuthenticationToken();
    expect(renewed.status === 'SUCCESS' && first.status === 'SUCCESS' && renewed.accessToken !== first.accessToken).toBe(true);
    expect(new URLSearchParams(emulator.requests[1]!.body).get('grant_type')).toBe('refresh_token');
    expect(onRefreshToken).toHaveBeenCalledTimes(2);
  });

  it('testMode picks sandbox or production hosts per call', async () => {
    const router = hostRouter(emulator);
    const prism = client({ kitegateway: { apiKey: KITEGATEWAY_DEMO.apiKey, secretKey: KITEGATEWAY_DEMO.secretKey } }, 'PRODUCTION', router.fetch);
    await prism.createServerAuthenticationToken();
    await prism.createServerAuthenticationToken({ testMode: true });
    await prism.createServerAuthenticationToken({ testMode: false });
    expect(router.urls).toEqual(['https://kitegateway.com/v1/auth/token', 'https://sandbox.kitegateway.com/v1/auth/token']);
  });
});

describe('current shape: failures in-band', () => {
  it('wrong credentials → AUTHENTICATION_FAILED 401, no secret anywhere', async () => {
    const secret = 'current-wrong-secret';
    const response = await client({ cybersource: { clientId: CYBERSOURCE_DEMO.clientId, clientSecret: { value: secret }, code: emulator.cybersource.authorize(), baseUrl: emulator.baseUrl('cybersource') } }).createServerAuthenticationToken({ merchantAccessTokenId: 'm1' });
    expect(response).toMatchObject({ status: 'AUTHENTICATION_FAILED', statusCode: 401, merchantAccessTokenId: 'm1', error: { code: 'invalid_client', retryable: false } });
    expect(JSON.stringify(response)).not.toContain(secret);
    expect('accessToken' in response).toBe(false);
  });

  it('429 → RATE_LIMITED with retryAfter; 503 → FAILURE; a garbled body → FAILURE', async () => {
    const prism = client({ kitegateway: { ...KITEGATEWAY_DEMO, baseUrl: emulator.baseUrl('kitegateway') } });
    emulator.inject({ retryAfter: 7, times: 1 });
    expect(await prism.createServerAuthenticationToken()).toMatchObject({ status: 'RATE_LIMITED', statusCode: 429, error: { code: 'rate_limited', retryable: true, retryAfter: 7 } });
    emulator.inject({ status: 503, retryAfter: 3600, times: 1 }); // a long Retry-After ends the in-line retries at once
    expect(await prism.createServerAuthenticationToken()).toMatchObject({ status: 'FAILURE', statusCode: 503, error: { code: 'upstream_error' } });
    emulator.inject({ body: 'html', times: 1 });
    expect(await prism.createServerAuthenticationToken()).toMatchObject({ status: 'FAILURE', statusCode: 200, error: { code: 'invalid_response' } });
  });

  it('a bad scope → INVALID_REQUEST without a request', async () => {
    const prism = client({ openbankingplatform: { clientId: OPEN_BANKING_DEMO.clientId, clientSecret: OPEN_BANKING_DEMO.clientSecret, baseUrl: emulator.baseUrl('openbanking') } });
    expect(await prism.createServerAuthenticationToken({ scope: 'accountinformation' })).toMatchObject({ status: 'INVALID_REQUEST', statusCode: 400, error: { code: 'invalid_scope' } });
    expect(await prism.createServerAuthenticationToken({ scope: 'accountinformation private' })).toMatchObject({ status: 'SUCCESS' });
    expect(emulator.requests).toHaveLength(1);
  });

  it('a spent code → AUTHENTICATION_FAILED telling the user to re-authorize', async () => {
    const code = emulator.cybersource.authorize();
    await cybs({ code }).createServerAuthenticationToken();
    const response = await cybs({ code }).createServerAuthenticationToken();
    expect(response).toMatchObject({ status: 'AUTHENTICATION_FAILED', error: { code: 'invalid_grant', message: expect.stringContaining('re-authorize') } });
    expect(JSON.stringify(response)).not.toContain(code);
  });

  it('an API-key connector → INVALID_REQUEST, the key never handed back', async () => {
    const apiKey = 'sk_live_current_api_key';
    for (const name of ['stripe', 'adyen', 'checkout', 'braintree']) {
      const response = await client({ [name]: { apiKey: { value: apiKey } } }).createServerAuthenticationToken({ merchantAccessTokenId: 'm2' });
      expect(response).toMatchObject({ status: 'INVALID_REQUEST', statusCode: 400, merchantAccessTokenId: 'm2', error: { code: 'config', message: expect.stringContaining('authenticates with an API key') } });
      expect(JSON.stringify(response)).not.toContain(apiKey);
    }
    expect(emulator.requests).toHaveLength(0);
  });

  it('configuration errors throw at construction', async () => {
    expect((await tokenError(() => client({ acmepay: { clientId: 'a', clientSecret: 'b' } }))).message).toMatch(/"acmepay" is not supported/);
    expect((await tokenError(() => client({ kitegateway: KITEGATEWAY_DEMO, cybersource: CYBERSOURCE_DEMO }))).message).toMatch(/exactly one connector/);
    expect((await tokenError(() => client({ kitegateway: { apiKey: 'k' } }))).code).toBe('config');
  });
});

describe('connector registry', () => {
  it('lists token connectors and API-key connectors apart, with OperationStatus numbers', () => {
    // One per descriptor, under Prism's spelling (tests/providers/descriptors.test.ts checks the order).
    expect(Object.keys(TOKEN_CONNECTORS).sort()).toEqual(PROVIDER_DESCRIPTORS.map((descriptor) => normaliseName(descriptor.prism ?? descriptor.name)).sort());
    expect(Object.keys(TOKEN_CONNECTORS)).toEqual(expect.arrayContaining(['openbankingplatform', 'pinelabsonline']));
    expect(API_KEY_CONNECTORS).toEqual(expect.arrayContaining(['stripe', 'adyen', 'checkout', 'braintree']));
    expect(API_KEY_CONNECTORS.filter((name) => name in TOKEN_CONNECTORS)).toEqual([]);
    expect(OPERATION_STATUS).toMatchObject({ SUCCESS: 1, AUTHENTICATION_FAILED: 4, RATE_LIMITED: 5, INVALID_REQUEST: 6 });
  });

  it('tokenConnector() moves credentials, environment, baseUrl, fetch and request parameters into the factory', async () => {
    const connector = tokenConnector(kitegateway, { fields: ['apiKey', 'secretKey'], expiresIn: 'expiresIn' });
    expect(connector).toMatchObject({ fields: ['apiKey', 'secretKey'], takesScope: false, takesExpiresIn: true });
    const flow = connector.flow({ credentials: { ...KITEGATEWAY_DEMO, ignored: 'x' }, environment: 'sandbox', baseUrl: emulator.baseUrl('kitegateway'), fetch: emulator.fetch, expiresIn: 42 });
    const token = await flow.fetchToken({ fetch: () => Promise.reject(new Error('the flow must use its own fetch')), signal: new AbortController().signal });
    expect(token.tokenType).toBe('JWT');
    expect(JSON.parse(emulator.requests[0]!.body)).toEqual({ api_key: KITEGATEWAY_DEMO.apiKey, expires_in: 42 });
  });
});
