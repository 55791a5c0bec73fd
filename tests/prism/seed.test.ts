// The seed SDK shape: new MerchantAuthenticationClient({ connector, apiKey | credentials, environment })
// .createAccessToken({ scope, expiresIn }), cached through a TokenStore; failures throw TokenErrors.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTokenStore } from '../../src/core/index.js';
import { CYBERSOURCE_DEMO, KITEGATEWAY_DEMO, OPEN_BANKING_DEMO, createEmulator, type Emulator } from '../../src/emulator/index.js';
import { MerchantAuthenticationClient } from '../../src/prism/index.js';
import { NOW, exposed, hostRouter, tokenError, useFakeClock } from '../providers/_helpers.js';

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

const client = (config: ConstructorParameters<typeof MerchantAuthenticationClient>[0]): MerchantAuthenticationClient => {
  const made = new MerchantAuthenticationClient(config);
  clients.push(made);
  return made;
};
const kitegatewayClient = () =>
  client({ connector: 'kitegateway', credentials: { apiKey: KITEGATEWAY_DEMO.apiKey, secretKey: { value: KITEGATEWAY_DEMO.secretKey } }, environment: 'SANDBOX', baseUrl: emulator.baseUrl('kitegateway'), fetch: emulator.fetch });

describe('seed shape: createAccessToken', () => {
  it('returns the Prism seed response, with SecretString credentials unwrapped', async () => {
    const response = await kitegatewayClient().createAccessToken({ expiresIn: 600 });
    expect(response).toEqual({
      accessToken: expect.stringMatching(/^JWT eyJ/),
      tokenType: 'JWT',
      expiresIn: 600,
      expiresAt: new Date(NOW + 600_000).toISOString(),
      statusCode: 200,
    });
    expect(emulator.requests[0]!.headers['secret-key']).toBe(KITEGATEWAY_DEMO.secretKey);
    expect(JSON.parse(emulator.requests[0]!.body)).toEqual({ api_key: KITEGATEWAY_DEMO.apiKey, expires_in: 600 });
  });

  it('asks for the seed default of 3600 s, and serves repeats from the cache', async () => {
    const prism = kitegatewayClient();
    const first = await prism.createAccessToken();
    await vi.advanceTimersByTimeAsync(100_000);
    const second = await prism.createAccessToken();
    expect(JSON.parse(emulator.requests[0]!.body).expires_in).toBe(3600);
    expect(emulator.requests).toHaveLength(1);
    expect(second.accessToken).toBe(first.accessToken);
    expect(second.expiresIn).toBe(3500);
    expect(second.expiresAt).toBe(first.expiresAt);
  });

  it('passes a per-call scope to a connector that takes one; refuses it for one that does not', async () => {
    const prism = client({ connector: 'open_banking_platform', credentials: { client_id: OPEN_BANKING_DEMO.clientId, client_secret: OPEN_BANKING_DEMO.clientSecret }, baseUrl: emulator.baseUrl('openbanking'), fetch: emulator.fetch });
    const response = await prism.createAccessToken({ scope: 'accountinformation corporate' });
    expect(response).toMatchObject({ tokenType: 'Bearer', expiresIn: 3600, statusCode: 200 });
    expect(new URLSearchParams(emulator.requests[0]!.body).get('scope')).toBe('accountinformation corporate');
    expect((await tokenError(prism.createAccessToken({ scope: 'corporate' }))).code).toBe('invalid_scope');
    expect((await tokenError(kitegatewayClient().createAccessToken({ scope: 'anything' }))).code).toBe('invalid_scope');
    expect(emulator.requests).toHaveLength(1);
  });

  it('PRODUCTION picks the production host', async () => {
    const router = hostRouter(emulator);
    const prism = client({ connector: 'KITEGATEWAY', credentials: KITEGATEWAY_DEMO, environment: 'PRODUCTION', fetch: router.fetch });
    await prism.createAccessToken();
    expect(router.urls).toEqual(['https://kitegateway.com/v1/auth/token']);
  });

  it('throws provider errors as TokenErrors without the secret', async () => {
    const prism = client({ connector: 'kitegateway', credentials: { apiKey: KITEGATEWAY_DEMO.apiKey, secretKey: 'seed-wrong-secret' }, baseUrl: emulator.baseUrl('kitegateway'), fetch: emulator.fetch });
    const error = await tokenError(prism.createAccessToken());
    expect(error.code).toBe('invalid_client');
    expect(exposed(error)).not.toContain('seed-wrong-secret');
  });

  it('uses a store passed in, shared between clients', async () => {
    const store = createTokenStore({ fetch: emulator.fetch });
    try {
      const config = { connector: 'cybersource', credentials: { ...CYBERSOURCE_DEMO, code: emulator.cybersource.authorize() }, baseUrl: emulator.baseUrl('cybersource'), store };
      const [a, b] = [client(config), client(config)];
      const [first, second] = await Promise.all([a.createAccessToken(), b.createAccessToken()]);
      expect(first.accessToken).toBe(second.accessToken);
      expect(emulator.requests).toHaveLength(1);
      a.dispose(); // not its store: nothing happens to it
      expect((await b.createAccessToken()).accessToken).toBe(first.accessToken);
    } finally {
      store.dispose();
    }
  });
});

describe('seed shape: connectors without a token, bad config', () => {
  it('an API-key connector → config error saying so, never the key', async () => {
    const apiKey = 'sk_test_51StripeKeyValue';
    const prism = client({ connector: 'stripe', apiKey, environment: 'SANDBOX', fetch: emulator.fetch });
    const error = await tokenError(prism.createAccessToken());
    expect(error.code).toBe('config');
    expect(error.message).toMatch(/stripe authenticates with an API key and has no access token/);
    expect(exposed(error)).not.toContain(apiKey);
    expect(emulator.requests).toHaveLength(0);
  });

  it('an unknown connector → config error listing the supported ones', async () => {
    const error = await tokenError(() => client({ connector: 'acmepay', apiKey: 'k' }));
    expect(error.code).toBe('config');
    expect(error.message).toContain('"acmepay" is not supported');
    expect(error.message).toContain('kitegateway, openbankingplatform, paypal');
  });

  it('missing credentials or a bad environment → config at construction', async () => {
    expect((await tokenError(() => client({ connector: 'kitegateway', apiKey: 'only-the-key' }))).message).toContain('secretKey');
    expect((await tokenError(() => client({ connector: 'kitegateway', credentials: KITEGATEWAY_DEMO, environment: 'LIVE' as 'PRODUCTION' }))).code).toBe('config');
    expect((await tokenError(() => client({ connector: 'cybersource', credentials: { ...CYBERSOURCE_DEMO } }))).message).toMatch(/code.*refreshToken/);
    expect((await tokenError(() => client({ connector: '' }))).code).toBe('config');
  });
});
