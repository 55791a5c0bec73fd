// createClientAuthenticationToken: the browser-safe client token for connectors that have one (PayPal),
// cached in the store apart from the server token; failures in-band, and a connector without a client
// token is refused — its server token is never handed out as a "client" token.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AIRWALLEX_DEMO, PAYPAL_DEMO, createEmulator, type Emulator } from '../../src/emulator/index.js';
import { MerchantAuthenticationClient, TOKEN_CONNECTORS } from '../../src/prism/index.js';
import { useFakeClock } from '../providers/_helpers.js';

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

const client = (connectorConfig: Record<string, object>, fetchFn: typeof fetch = emulator.fetch) => {
  const made = new MerchantAuthenticationClient({ connectorConfig, options: { fetch: fetchFn } });
  clients.push(made);
  return made;
};
const paypal = (extra: Record<string, unknown> = {}, fetchFn?: typeof fetch) =>
  client({ paypal: { clientId: PAYPAL_DEMO.clientId, clientSecret: { value: PAYPAL_DEMO.clientSecret }, baseUrl: emulator.baseUrl('paypal'), ...extra } }, fetchFn);
const paths = (): string[] => emulator.requests.map((request) => request.path);
const TOKEN = '/paypal/v1/oauth2/token';
const GENERATE = '/paypal/v1/identity/generate-token';

describe('createClientAuthenticationToken: PayPal', () => {
  it('SUCCESS with a ClientToken, generate-token authorised by a server token', async () => {
    const response = await paypal().createClientAuthenticationToken({ merchantAccessTokenId: 'mat_c1' });
    expect(response).toEqual({ status: 'SUCCESS', statusCode: 200, accessToken: expect.any(String), tokenType: 'ClientToken', expiresInSeconds: 3600, merchantAccessTokenId: 'mat_c1' });
    expect(paths()).toEqual([TOKEN, GENERATE]);
    const [server, generate] = emulator.requests;
    expect(server!.headers.authorization).toBe(`Basic ${btoa(`${PAYPAL_DEMO.clientId}:${PAYPAL_DEMO.clientSecret}`)}`);
    expect(generate!.headers.authorization).toMatch(/^Bearer A21AA[\w-]+$/);
    expect(JSON.stringify(response)).not.toContain(generate!.headers.authorization!.slice('Bearer '.length));
  });

  it('caches: a second call without a request makes no request; kept apart from the server token', async () => {
    const prism = paypal();
    const first = await prism.createClientAuthenticationToken();
    await vi.advanceTimersByTimeAsync(60_000);
    const cached = await prism.createClientAuthenticationToken();
    expect(cached).toEqual({ ...first, expiresInSeconds: 3540 });
    expect(paths()).toEqual([TOKEN, GENERATE]);
    const server = await prism.createServerAuthenticationToken();
    expect(server).toMatchObject({ status: 'SUCCESS', tokenType: 'Bearer' });
    expect(server.status === 'SUCCESS' && first.status === 'SUCCESS' && server.accessToken !== first.accessToken).toBe(true);
    expect(await prism.createClientAuthenticationToken()).toEqual(cached);
  });

  it('sends customerId (from the request, else the config), one cached token per customer', async () => {
    const prism = paypal({ customer_id: 'cust_config' });
    await prism.createClientAuthenticationToken();
    await prism.createClientAuthenticationToken({ customerId: 'cust_request' });
    const bodies = emulator.requests.filter((request) => request.path === GENERATE).map((request) => JSON.parse(request.body) as unknown);
    expect(bodies).toEqual([{ customer_id: 'cust_config' }, { customer_id: 'cust_request' }]);
  });

  it('a 503 from generate-token → in-band FAILURE, no secret or server token in the answer', async () => {
    const faulty: typeof fetch = (input, init) => {
      if (String(input).endsWith('/generate-token')) emulator.inject({ status: 503, retryAfter: 3600, times: 1 }); // a long Retry-After: no in-line retry
      return emulator.fetch(input, init);
    };
    const response = await paypal({}, faulty).createClientAuthenticationToken({ merchantAccessTokenId: 'mat_c2' });
    expect(response).toMatchObject({ status: 'FAILURE', statusCode: 503, merchantAccessTokenId: 'mat_c2', error: { code: 'upstream_error', message: expect.any(String) } });
    expect('accessToken' in response).toBe(false);
    expect(paths()).toEqual([TOKEN, GENERATE]);
    const serverToken = emulator.requests[1]!.headers.authorization!.slice('Bearer '.length);
    expect(JSON.stringify(response)).not.toContain(serverToken);
    expect(JSON.stringify(response)).not.toContain(PAYPAL_DEMO.clientSecret);
  });
});

describe('createClientAuthenticationToken: connectors without a client token', () => {
  it('→ INVALID_REQUEST naming the connector, no server token in its place, no request', async () => {
    const apiKey = 'sk_live_client_token_key';
    for (const [name, config] of [['airwallex', { ...AIRWALLEX_DEMO, baseUrl: emulator.baseUrl('airwallex') }], ['stripe', { apiKey: { value: apiKey } }]] as const) {
      const response = await client({ [name]: config }).createClientAuthenticationToken({ merchantAccessTokenId: 'mat_c3' });
      expect(response).toEqual({
        status: 'INVALID_REQUEST',
        statusCode: 400,
        merchantAccessTokenId: 'mat_c3',
        error: { code: 'config', message: expect.stringContaining(`${name} has no client token`), retryable: false },
      });
      expect(JSON.stringify(response)).not.toContain(apiKey);
      expect(JSON.stringify(response)).not.toContain(AIRWALLEX_DEMO.apiKey);
    }
    expect(emulator.requests).toHaveLength(0);
  });

  it('the registry alone says which connectors have one', () => {
    expect(Object.keys(TOKEN_CONNECTORS).filter((name) => TOKEN_CONNECTORS[name]!.clientToken !== undefined)).toEqual(['paypal']);
  });
});
