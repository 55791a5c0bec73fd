// Prism's access-token connectors through MerchantAuthenticationClient, in both config shapes, with
// the connector and credential names of Prism's SDK (`connectorConfig: { pinelabsOnline: { clientId,
// clientSecret } }`, `globalpay: { appId, appKey }`…), SecretStrings or plain strings, camelCase or
// snake_case — so Prism code ports unchanged. Failures: in-band (current) or thrown (seed), never a secret.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AIRWALLEX_DEMO,
  GETNET_DEMO,
  GLOBALPAY_DEMO,
  IATAPAY_DEMO,
  JPMORGAN_DEMO,
  PAYPAL_DEMO,
  PINELABS_DEMO,
  TRUELAYER_DEMO,
  TRUSTPAY_DEMO,
  VOLT_DEMO,
  createEmulator,
  type Emulator,
} from '../../src/emulator/index.js';
import { MerchantAuthenticationClient, TOKEN_CONNECTORS } from '../../src/prism/index.js';
import { PROVIDER_DESCRIPTORS, normaliseName } from '../../src/providers/index.js';
import { NOW, exposed, hostRouter, tokenError, useFakeClock } from '../providers/_helpers.js';

interface PrismCase {
  /** The connector as Prism's SDK spells it. */
  connector: string;
  /** The emulator prefix and the provider name in errors. */
  prefix: string;
  /** The credentials of Prism's `<Connector>Config`, including fields a token does not need. */
  config: Record<string, string>;
  /** Fields whose values are secrets. */
  secrets: string[];
  lifetime: number;
  /** The production token URL. */
  production: string;
  /** Status of a wrong-secret answer. */
  wrongStatus: number;
}

const CASES: PrismCase[] = [
  { connector: 'paypal', prefix: 'paypal', config: { ...PAYPAL_DEMO, payerId: 'PAYER-1' }, secrets: ['clientSecret'], lifetime: 32_400, production: 'https://api-m.paypal.com/v1/oauth2/token', wrongStatus: 401 },
  { connector: 'airwallex', prefix: 'airwallex', config: { ...AIRWALLEX_DEMO }, secrets: ['apiKey'], lifetime: 1800, production: 'https://api.airwallex.com/api/v1/authentication/login', wrongStatus: 401 },
  { connector: 'volt', prefix: 'volt', config: { ...VOLT_DEMO }, secrets: ['password', 'clientSecret'], lifetime: 3600, production: 'https://gateway.volt.io/oauth', wrongStatus: 401 },
  { connector: 'trustpay', prefix: 'trustpay', config: { ...TRUSTPAY_DEMO, apiKey: 'tp-payments-api-key' }, secrets: ['secretKey'], lifetime: 1800, production: 'https://aapi.trustpay.eu/api/oauth2/token', wrongStatus: 401 },
  { connector: 'globalpay', prefix: 'globalpay', config: { ...GLOBALPAY_DEMO }, secrets: ['appKey'], lifetime: 86_400, production: 'https://apis.globalpay.com/ucp/accesstoken', wrongStatus: 403 },
  { connector: 'iatapay', prefix: 'iatapay', config: { ...IATAPAY_DEMO, merchantId: 'IATA-M-1' }, secrets: ['clientSecret'], lifetime: 3600, production: 'https://iata-pay.iata.org/api/v1/oauth/token', wrongStatus: 401 },
  {
    connector: 'jpmorgan',
    prefix: 'jpmorgan',
    config: { ...JPMORGAN_DEMO, companyName: 'ACME', productName: 'Shop', merchantPurchaseDescription: 'Goods', statementDescriptor: 'ACME SHOP' },
    secrets: ['clientSecret'],
    lifetime: 3599,
    production: 'https://id.payments.jpmorgan.com/am/oauth2/alpha/access_token',
    wrongStatus: 401,
  },
  {
    connector: 'truelayer',
    prefix: 'truelayer',
    config: { ...TRUELAYER_DEMO, merchantAccountId: 'ma-1', accountHolderName: 'ACME Ltd', privateKey: '-----BEGIN EC PRIVATE KEY-----x', kid: 'kid-1' },
    secrets: ['clientSecret'],
    lifetime: 3600,
    production: 'https://auth.truelayer.com/connect/token',
    wrongStatus: 400,
  },
  { connector: 'getnet', prefix: 'getnet', config: { ...GETNET_DEMO, sellerId: 'seller-1' }, secrets: ['apiSecret'], lifetime: 3600, production: 'https://api.globalgetnet.com/authentication/oauth2/access_token', wrongStatus: 401 },
  { connector: 'pinelabsOnline', prefix: 'pinelabs', config: { ...PINELABS_DEMO }, secrets: ['clientSecret'], lifetime: 3600, production: 'https://api.pluralpay.in/api/auth/v1/token', wrongStatus: 401 },
];

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

const make = (config: ConstructorParameters<typeof MerchantAuthenticationClient>[0]): MerchantAuthenticationClient => {
  const made = new MerchantAuthenticationClient(config);
  clients.push(made);
  return made;
};
/** Every credential wrapped as a Prism SecretString. */
const secretStrings = (config: Record<string, string>) => Object.fromEntries(Object.entries(config).map(([name, value]) => [name, { value }]));
/** camelCase names as snake_case (`clientSecret` → `client_secret`). */
const snakeCase = (config: Record<string, string>) => Object.fromEntries(Object.entries(config).map(([name, value]) => [name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), value]));

describe.each(CASES)('$connector', (c) => {
  const current = (config: Record<string, unknown>, environment?: 'SANDBOX' | 'PRODUCTION', fetchFn: typeof fetch = emulator.fetch) =>
    make({ connectorConfig: { [c.connector]: config }, options: { fetch: fetchFn, ...(environment ? { environment } : {}) } });

  it('current shape, SecretStrings: SUCCESS with a plain-number expiresInSeconds, then served from the cache', async () => {
    const prism = current({ ...secretStrings(c.config), baseUrl: emulator.baseUrl(c.prefix) });
    const response = await prism.createServerAuthenticationToken({ merchantAccessTokenId: 'mat_1' });
    expect(response).toEqual({ status: 'SUCCESS', statusCode: 200, accessToken: expect.any(String), tokenType: 'Bearer', expiresInSeconds: c.lifetime, merchantAccessTokenId: 'mat_1' });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await prism.createServerAuthenticationToken()).toMatchObject({ status: 'SUCCESS', expiresInSeconds: c.lifetime - 10 });
    expect(emulator.requests).toHaveLength(1);
  });

  it('seed shape, snake_case plain strings: the seed response', async () => {
    const prism = make({ connector: c.connector, credentials: snakeCase(c.config), environment: 'SANDBOX', baseUrl: emulator.baseUrl(c.prefix), fetch: emulator.fetch });
    expect(await prism.createAccessToken()).toEqual({
      accessToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: c.lifetime,
      expiresAt: new Date(NOW + c.lifetime * 1000).toISOString(),
      statusCode: 200,
    });
  });

  it('PRODUCTION (or testMode: false) picks the production host', async () => {
    const router = hostRouter(emulator);
    await current(c.config, 'PRODUCTION', router.fetch).createServerAuthenticationToken();
    await current(c.config, 'SANDBOX', router.fetch).createServerAuthenticationToken({ testMode: false });
    expect(router.urls).toEqual([c.production, c.production]);
  });

  it('a wrong secret → AUTHENTICATION_FAILED in-band (current), invalid_client thrown (seed), never the secret', async () => {
    const wrong = { ...c.config, ...Object.fromEntries(c.secrets.map((field) => [field, `wrong-${field}-prism`])) };
    const response = await current({ ...secretStrings(wrong), baseUrl: emulator.baseUrl(c.prefix) }).createServerAuthenticationToken({ merchantAccessTokenId: 'm9' });
    expect(response).toMatchObject({ status: 'AUTHENTICATION_FAILED', statusCode: c.wrongStatus, merchantAccessTokenId: 'm9', error: { code: 'invalid_client', retryable: false } });
    const error = await tokenError(make({ connector: c.connector, credentials: wrong, baseUrl: emulator.baseUrl(c.prefix), fetch: emulator.fetch }).createAccessToken());
    expect(error.code).toBe('invalid_client');
    for (const field of c.secrets) {
      expect(JSON.stringify(response)).not.toContain(wrong[field]);
      expect(exposed(error)).not.toContain(wrong[field]);
    }
  });

  it('429 → RATE_LIMITED with retryAfter', async () => {
    emulator.inject({ provider: c.prefix, retryAfter: 12, times: 1 });
    expect(await current({ ...c.config, baseUrl: emulator.baseUrl(c.prefix) }).createServerAuthenticationToken()).toMatchObject({
      status: 'RATE_LIMITED',
      statusCode: 429,
      error: { code: 'rate_limited', retryable: true, retryAfter: 12 },
    });
  });

  it('a missing credential → config at construction, naming the field and the connector', async () => {
    for (const field of Object.keys(c.config).filter((name) => TOKEN_CONNECTORS[c.connector.toLowerCase()]!.fields.includes(name))) {
      const { [field]: _dropped, ...rest } = c.config;
      const error = await tokenError(() => current(rest));
      expect(error).toMatchObject({ code: 'config' });
      expect(error.message).toContain(`${c.prefix}: option "${field}"`);
    }
    expect(emulator.requests).toHaveLength(0);
  });

  it('a requested scope is refused, never silently dropped', async () => {
    const prism = current({ ...c.config, baseUrl: emulator.baseUrl(c.prefix) });
    expect(await prism.createServerAuthenticationToken({ scope: 'anything' })).toMatchObject({ status: 'INVALID_REQUEST', error: { code: 'invalid_scope' } });
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('connector names', () => {
  it.each(['pinelabsOnline', 'pinelabs_online', 'PINELABSONLINE', 'PinelabsOnline'])('"%s" is Pine Labs Online', async (name) => {
    const prism = make({ connectorConfig: { [name]: { ...PINELABS_DEMO, baseUrl: emulator.baseUrl('pinelabs') } }, options: { fetch: emulator.fetch } });
    expect(prism.connector).toBe('pinelabsonline');
    expect((await prism.createServerAuthenticationToken()).status).toBe('SUCCESS');
  });

  it('an unknown connector → config error listing every supported one', async () => {
    const error = await tokenError(() => make({ connector: 'acmepay', apiKey: 'k' }));
    expect(error.code).toBe('config');
    for (const descriptor of PROVIDER_DESCRIPTORS) expect(error.message).toContain(normaliseName(descriptor.prism ?? descriptor.name));
  });
});
