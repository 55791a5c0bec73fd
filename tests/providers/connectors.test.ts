// Prism's ten access-token connectors (docs/providers.md#2-prisms-access-token-connectors), each against its emulator: the exact
// request in sandbox and production, the success body read into an AccessToken, the documented error
// bodies mapped to TokenError codes, a cached second call, config errors, and no secret in any error.
// What only one connector does (GlobalPay's SHA-512, Airwallex's ISO expiry…) is in connectors-*.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TokenFlow, TokenStore } from '../../src/core/index.js';
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
  type Emulator,
} from '../../src/emulator/index.js';
import { findProvider, type FlowRequest } from '../../src/providers/index.js';
import { NOW, exposed, hostRouter, setup, tokenError, useFakeClock } from './_helpers.js';

type Env = 'sandbox' | 'production';

interface ConnectorCase {
  /** Provider name in errors and the emulator prefix; its flow is built through its descriptor, as Prism and the Worker build it. */
  name: string;
  credentials: Record<string, string>;
  /** Credential fields whose values must never appear in an error or a key. */
  secretFields: string[];
  /** The token URL per environment. */
  urls: Record<Env, string>;
  /** The exact headers and (decoded) body of the request. */
  request(env: Env): { headers: Record<string, unknown>; form?: Record<string, unknown>; json?: Record<string, unknown> };
  lifetime: number;
  /** Wrong credentials: the status and a piece of the provider's own message. */
  wrong: { status: number; says: string };
  /** The provider's documented error body, carrying `text` where it puts its description. */
  errorBody(text: string): unknown;
}

const basic = (id: string, secret: string): string => `Basic ${btoa(`${id}:${secret}`)}`;
const FORM = { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' };
const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };
const oauth = (text: string) => ({ error: 'invalid_client', error_description: text });

const CASES: ConnectorCase[] = [
  {
    name: 'paypal',
    credentials: { ...PAYPAL_DEMO },
    secretFields: ['clientSecret'],
    urls: { sandbox: 'https://api-m.sandbox.paypal.com/v1/oauth2/token', production: 'https://api-m.paypal.com/v1/oauth2/token' },
    request: () => ({ headers: { ...FORM, authorization: basic(PAYPAL_DEMO.clientId, PAYPAL_DEMO.clientSecret) }, form: { grant_type: 'client_credentials' } }),
    lifetime: 32_400,
    wrong: { status: 401, says: 'Client Authentication failed' },
    errorBody: oauth,
  },
  {
    name: 'airwallex',
    credentials: { ...AIRWALLEX_DEMO },
    secretFields: ['apiKey'],
    urls: { sandbox: 'https://api-demo.airwallex.com/api/v1/authentication/login', production: 'https://api.airwallex.com/api/v1/authentication/login' },
    request: () => ({ headers: { ...JSON_HEADERS, 'x-client-id': AIRWALLEX_DEMO.clientId, 'x-api-key': AIRWALLEX_DEMO.apiKey }, json: {} }),
    lifetime: 1800,
    wrong: { status: 401, says: 'credentials_invalid' },
    errorBody: (text) => ({ code: 'credentials_invalid', message: text }),
  },
  {
    name: 'volt',
    credentials: { ...VOLT_DEMO },
    secretFields: ['clientSecret', 'password'],
    urls: { sandbox: 'https://gateway.sandbox.volt.io/oauth', production: 'https://gateway.volt.io/oauth' },
    request: () => ({
      headers: JSON_HEADERS,
      json: { grant_type: 'password', client_id: VOLT_DEMO.clientId, client_secret: VOLT_DEMO.clientSecret, username: VOLT_DEMO.username, password: VOLT_DEMO.password },
    }),
    lifetime: 3600,
    wrong: { status: 401, says: 'Bad credentials.' },
    errorBody: (text) => ({ code: 401, message: text }),
  },
  {
    name: 'trustpay',
    credentials: { ...TRUSTPAY_DEMO },
    secretFields: ['secretKey'],
    urls: { sandbox: 'https://aapi.trustpay.eu/api/oauth2/token', production: 'https://aapi.trustpay.eu/api/oauth2/token' },
    request: () => ({ headers: { ...FORM, authorization: basic(TRUSTPAY_DEMO.projectId, TRUSTPAY_DEMO.secretKey) }, form: { grant_type: 'client_credentials' } }),
    lifetime: 1800,
    wrong: { status: 401, says: 'Invalid project id or secret key' },
    errorBody: (text) => ({ ResultInfo: { ResultCode: 1002, AdditionalInfo: text, CorrelationId: 'c-1' } }),
  },
  {
    name: 'globalpay',
    credentials: { ...GLOBALPAY_DEMO },
    secretFields: ['appKey'],
    urls: { sandbox: 'https://apis.sandbox.globalpay.com/ucp/accesstoken', production: 'https://apis.globalpay.com/ucp/accesstoken' },
    request: () => ({
      headers: { ...JSON_HEADERS, 'x-gp-version': '2021-03-22' },
      json: { app_id: GLOBALPAY_DEMO.appId, nonce: expect.stringMatching(/^[\w-]{32}$/), secret: expect.stringMatching(/^[0-9a-f]{128}$/), grant_type: 'client_credentials' },
    }),
    lifetime: 86_400,
    wrong: { status: 403, says: 'ACTION_NOT_AUTHORIZED: 40004: Credentials not recognized to create access token.' },
    errorBody: (text) => ({ error_code: 'ACTION_NOT_AUTHORIZED', detailed_error_code: '40004', detailed_error_description: text }),
  },
  {
    name: 'iatapay',
    credentials: { ...IATAPAY_DEMO },
    secretFields: ['clientSecret'],
    urls: { sandbox: 'https://sandbox.iata-pay.iata.org/api/v1/oauth/token', production: 'https://iata-pay.iata.org/api/v1/oauth/token' },
    request: () => ({ headers: { ...FORM, authorization: basic(IATAPAY_DEMO.clientId, IATAPAY_DEMO.clientSecret) }, form: { grant_type: 'client_credentials', scope: 'payment' } }),
    lifetime: 3600,
    wrong: { status: 401, says: 'answered 401 Unauthorized' },
    errorBody: oauth,
  },
  {
    name: 'jpmorgan',
    credentials: { ...JPMORGAN_DEMO },
    secretFields: ['clientSecret'],
    urls: { sandbox: 'https://id.payments.jpmorgan.com/am/oauth2/alpha/access_token', production: 'https://id.payments.jpmorgan.com/am/oauth2/alpha/access_token' },
    request: (env) => ({
      headers: { ...FORM, authorization: basic(JPMORGAN_DEMO.clientId, JPMORGAN_DEMO.clientSecret) },
      form: { grant_type: 'client_credentials', scope: env === 'sandbox' ? 'jpm:payments:sandbox' : 'jpm:payments' },
    }),
    lifetime: 3599,
    wrong: { status: 401, says: 'Client authentication failed' },
    errorBody: oauth,
  },
  {
    name: 'truelayer',
    credentials: { ...TRUELAYER_DEMO },
    secretFields: ['clientSecret'],
    urls: { sandbox: 'https://auth.truelayer-sandbox.com/connect/token', production: 'https://auth.truelayer.com/connect/token' },
    request: () => ({ headers: FORM, form: { grant_type: 'client_credentials', scope: 'payments', client_id: TRUELAYER_DEMO.clientId, client_secret: TRUELAYER_DEMO.clientSecret } }),
    lifetime: 3600,
    wrong: { status: 400, says: 'answered 400 invalid_client' },
    errorBody: oauth,
  },
  {
    name: 'getnet',
    credentials: { ...GETNET_DEMO },
    secretFields: ['apiSecret'],
    urls: { sandbox: 'https://api-sbx.pre.globalgetnet.com/authentication/oauth2/access_token', production: 'https://api.globalgetnet.com/authentication/oauth2/access_token' },
    request: () => ({ headers: { ...FORM, authorization: basic(GETNET_DEMO.apiKey, GETNET_DEMO.apiSecret) }, form: { grant_type: 'client_credentials' } }),
    lifetime: 3600,
    wrong: { status: 401, says: 'Bad client credentials' },
    errorBody: oauth,
  },
  {
    name: 'pinelabs',
    credentials: { ...PINELABS_DEMO },
    secretFields: ['clientSecret'],
    urls: { sandbox: 'https://pluraluat.v2.pinepg.in/api/auth/v1/token', production: 'https://api.pluralpay.in/api/auth/v1/token' },
    request: () => ({ headers: JSON_HEADERS, json: { client_id: PINELABS_DEMO.clientId, client_secret: PINELABS_DEMO.clientSecret, grant_type: 'client_credentials' } }),
    lifetime: 3600,
    wrong: { status: 401, says: 'UNAUTHORIZED: Invalid client credentials' },
    errorBody: (text) => ({ code: 'UNAUTHORIZED', message: text }),
  },
];

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

describe.each(CASES)('$name', (c) => {
  const descriptor = findProvider(c.name)!;
  /** Credentials go in loosely typed (the tests pass wrong ones on purpose); the factory checks them. */
  const make = (credentials: Record<string, unknown>, request: Omit<FlowRequest, 'credentials'> = {}): TokenFlow => descriptor.flow({ ...request, credentials });
  const flow = (extra: Record<string, unknown> = {}): TokenFlow => make({ ...c.credentials, ...extra }, { baseUrl: emulator.baseUrl(c.name) });
  const secrets = (credentials: Record<string, string>): string[] => c.secretFields.map((field) => credentials[field]!);

  it('its descriptor names every other credential an identifier (they may appear in keys, events and logs)', () => {
    expect(Object.keys(descriptor.credentials).filter((option) => !descriptor.identifiers.includes(option)).sort()).toEqual([...c.secretFields].sort());
  });

  it.each<Env>(['sandbox', 'production'])('sends the documented request in %s', async (environment) => {
    const router = hostRouter(emulator);
    const token = await store.source(make(c.credentials, { environment, fetch: router.fetch })).get();
    expect(router.urls).toEqual([c.urls[environment]]);
    const [request] = emulator.requests;
    expect(request!.method).toBe('POST');
    const expected = c.request(environment);
    expect(request!.headers).toEqual(expected.headers);
    if (expected.form) expect(Object.fromEntries(new URLSearchParams(request!.body))).toEqual(expected.form);
    if (expected.json) expect(JSON.parse(request!.body)).toEqual(expected.json);
    expect(token).toMatchObject({ accessToken: expect.any(String), tokenType: 'Bearer', expiresAt: NOW + c.lifetime * 1000 });
    expect(token.refreshToken).toBeUndefined();
  });

  it('serves the second call from the store without a request', async () => {
    const source = store.source(flow());
    const first = await source.get();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await source.get()).toBe(first);
    expect(await source.authorization()).toBe(`Bearer ${first.accessToken}`);
    expect(emulator.requests).toHaveLength(1);
  });

  it('is server-only and keeps its secrets out of the cache key', () => {
    const made = flow();
    expect(made.browserSafe).toBe(false);
    for (const secret of secrets(c.credentials)) expect(made.key).not.toContain(secret);
    const other = Object.fromEntries(c.secretFields.map((field) => [field, 'another-secret-value']));
    expect(flow(other).key).not.toBe(made.key);
  });

  it('wrong credentials → invalid_client with the provider message, not the secret', async () => {
    const wrong = Object.fromEntries(c.secretFields.map((field) => [field, `wrong-${field}-0451`]));
    const error = await tokenError(store.source(flow(wrong)).get());
    expect(error).toMatchObject({ code: 'invalid_client', status: c.wrong.status, provider: c.name, retryable: false });
    expect(error.message).toContain(c.wrong.says);
    for (const secret of Object.values(wrong)) expect(exposed(error)).not.toContain(secret);
  });

  it('429 → rate_limited with retryAfter; 503 → retryable upstream_error', async () => {
    emulator.inject({ provider: c.name, retryAfter: 30, times: 1 });
    expect(await tokenError(store.source(flow()).get())).toMatchObject({ code: 'rate_limited', status: 429, retryAfter: 30, retryable: true, provider: c.name });
    emulator.inject({ provider: c.name, status: 503, times: 1 });
    expect(await tokenError(store.source(flow()).get())).toMatchObject({ code: 'upstream_error', status: 503, retryable: true });
  });

  it("reads the provider's own error body (400 → not invalid_client, detail kept)", async () => {
    emulator.inject({ provider: c.name, status: 400, body: { json: c.errorBody('the provider says no') }, times: 1 });
    const error = await tokenError(store.source(flow()).get());
    expect(error.status).toBe(400);
    expect(error.message).toContain('the provider says no');
  });

  it.each([
    ['malformed JSON', 'malformed-json' as const],
    ['an HTML page', 'html' as const],
    ['an empty JSON object', { json: {} }],
  ])('200 with %s → invalid_response', async (_, body) => {
    emulator.inject({ provider: c.name, body, times: 1 });
    expect((await tokenError(store.source(flow()).get())).code).toBe('invalid_response');
  });

  it('a success body with a bad lifetime → invalid_response naming fields, never the issued token', async () => {
    const issued = 'issued-token-value-8c1f';
    const json = { access_token: issued, token: issued, token_type: 'Bearer', type: 'Bearer', expires_in: 'soon', seconds_to_expire: 'soon', expires_at: 'soon' };
    emulator.inject({ provider: c.name, body: { json }, times: 1 });
    const error = await tokenError(store.source(flow()).get());
    expect(error.code).toBe('invalid_response');
    expect(error.message).toMatch(/fields: .*(expires_in|seconds_to_expire|expires_at)/);
    expect(exposed(error)).not.toContain(issued);
  });

  it('an upstream echoing the whole request → no secret in the error', async () => {
    const echo: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      const text = `rejected ${[...request.headers.values()].join(' ')} ${await request.text()} ${secrets(c.credentials).join(' ')}`;
      return new Response(JSON.stringify(c.errorBody(text)), { status: 401, headers: { 'content-type': 'application/json' } });
    };
    const error = await tokenError(store.source(make(c.credentials, { fetch: echo })).get());
    expect(error.code).toBe('invalid_client');
    const texts = exposed(error);
    for (const secret of secrets(c.credentials)) expect(texts).not.toContain(secret);
    expect(texts).not.toMatch(/Basic [A-Za-z0-9+/]{8,}/);
    expect(texts).not.toMatch(/[0-9a-f]{128}/); // GlobalPay's per-request secret
  });

  it('missing or empty credentials → config naming the connector and field, before any request', async () => {
    for (const field of Object.keys(c.credentials)) {
      for (const value of [undefined, '']) {
        const error = await tokenError(() => make({ ...c.credentials, [field]: value }, { fetch: emulator.fetch }));
        expect(error).toMatchObject({ code: 'config', provider: c.name });
        expect(error.message).toContain(`${c.name}: option "${field}"`);
      }
    }
    expect((await tokenError(() => make(c.credentials, { environment: 'live' as Env }))).code).toBe('config'); // wrong on purpose
    expect((await tokenError(() => make(c.credentials, { baseUrl: 'http://example.com' }))).code).toBe('config');
    expect(emulator.requests).toHaveLength(0);
  });
});
