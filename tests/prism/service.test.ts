// Prism's token RPC over the network (createPrismService): the HTTP JSON route, Connect (JSON and
// protobuf) and gRPC-web under both service names, answered from one store on the emulator; caller
// keys, header credentials, and bad input that never reaches a provider.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KITEGATEWAY_DEMO, PAYPAL_DEMO, createEmulator, type Emulator } from '../../src/emulator/index.js';
import { createPrismService, type PrismService, type PrismServiceOptions } from '../../src/prism/service/index.js';
import { readFields } from '../../src/prism/service/wire.js';
import { PROVIDER_DESCRIPTORS, findProvider } from '../../src/providers/index.js';
import { emulated, useFakeClock } from '../providers/_helpers.js';

const API_KEY = 'test-caller-key-0123456789abcdef';
const BASE = 'https://prism.example';
let emulator: Emulator;
const services: PrismService[] = [];
beforeEach(() => {
  useFakeClock();
  emulator = createEmulator();
});
afterEach(() => {
  for (const service of services.splice(0)) service.dispose();
  vi.useRealTimers();
});

const tokenRequests = () => emulator.requests.filter((r) => r.path.endsWith('/token'));

function service(extra: Partial<PrismServiceOptions> = {}): PrismService {
  const made = createPrismService({
    apiKeys: [API_KEY],
    fetch: emulator.fetch,
    profiles: {
      paypal: { credentials: { client_id: PAYPAL_DEMO.clientId, client_secret: { value: PAYPAL_DEMO.clientSecret } }, environment: 'sandbox', baseUrl: emulator.baseUrl('paypal') },
      kitegateway: { credentials: { api_key: KITEGATEWAY_DEMO.apiKey, secret_key: KITEGATEWAY_DEMO.secretKey }, environment: 'sandbox', baseUrl: emulator.baseUrl('kitegateway') },
      stripe: { credentials: { api_key: 'sk_test_PLANTED_stripe_key' }, environment: 'sandbox' },
    },
    ...extra,
  });
  services.push(made);
  return made;
}

const CURRENT = '/types.MerchantAuthenticationService/CreateServerAuthenticationToken';
const SEED = '/ucs.v2.MerchantAuthenticationService/CreateAccessToken';

function post(path: string, body: BodyInit | null, headers: Record<string, string> = {}): Request {
  return new Request(`${BASE}${path}`, { method: 'POST', body, headers: { authorization: `Bearer ${API_KEY}`, ...headers } });
}
const httpJson = (body: unknown, headers: Record<string, string> = {}) => post('/payments/server_authentication_token', JSON.stringify(body), { 'content-type': 'application/json', ...headers });
const connectJson = (path: string, body: unknown, headers: Record<string, string> = {}) => post(path, JSON.stringify(body), { 'content-type': 'application/json', 'connect-protocol-version': '1', ...headers });

/** A request message in protobuf, written here by hand from the field numbers (1 id, 2 connector, 5 test_mode). */
function protoRequest(id: string, connector: number, testMode?: boolean): Uint8Array {
  const idBytes = new TextEncoder().encode(id);
  return Uint8Array.from([0x0a, idBytes.length, ...idBytes, 0x10, connector, ...(testMode === undefined ? [] : [0x28, testMode ? 1 : 0])]);
}
const grpcWebFrame = (message: Uint8Array) => Uint8Array.from([0, 0, 0, 0, message.length, ...message]);

describe('the HTTP JSON route', () => {
  it('answers a PayPal token with Prism field names, echoing merchant_access_token_id; expires_in_seconds is the time left', async () => {
    const prism = service();
    const response = await prism.fetch(httpJson({ merchant_access_token_id: 'mat_1', connector: 'PAYPAL', test_mode: true }));
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(await response.json()).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in_seconds: 32400,
      status: 'OPERATION_STATUS_SUCCESS',
      status_code: 200,
      merchant_access_token_id: 'mat_1',
    });
    await vi.advanceTimersByTimeAsync(100_000);
    const later = await (await prism.fetch(httpJson({ connector: 'PAYPAL' }))).json();
    expect(later.expires_in_seconds).toBe(32300);
    expect(tokenRequests()).toHaveLength(1);
  });

  it('an API-key connector answers in-band INVALID_REQUEST, as the facade does, and its key is never handed back', async () => {
    const response = await service().fetch(httpJson({ merchant_access_token_id: 'mat_2', connector: 'STRIPE' }));
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain('PLANTED');
    expect(JSON.parse(text)).toMatchObject({ status: 'OPERATION_STATUS_INVALID_REQUEST', status_code: 400, merchant_access_token_id: 'mat_2', error: { unified_details: { code: 'config' } } });
  });

  it('a connector without an enum number is named by x-connector (Kitegateway)', async () => {
    const body = await (await service().fetch(httpJson({ merchant_access_token_id: 'k' }, { 'x-connector': 'kitegateway' }))).json();
    expect(body).toMatchObject({ status: 'OPERATION_STATUS_SUCCESS', merchant_access_token_id: 'k' });
  });
});

describe('Connect and gRPC-web, current and seed names', () => {
  it.each([CURRENT, SEED])('Connect JSON on %s: protobuf JSON names, int64 as a string, SecretString as an object', async (path) => {
    const response = await service().fetch(connectJson(path, { merchantAccessTokenId: 'mat_3', connector: 'PAYPAL' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ accessToken: { value: expect.any(String) }, tokenType: 'Bearer', expiresInSeconds: '32400', status: 'OPERATION_STATUS_SUCCESS', statusCode: 200, merchantAccessTokenId: 'mat_3' });
  });

  it.each([CURRENT, SEED])('Connect protobuf on %s', async (path) => {
    const response = await service().fetch(post(path, protoRequest('mat_4', 62), { 'content-type': 'application/proto' }));
    expect(response.headers.get('content-type')).toBe('application/proto');
    const fields = readFields(new Uint8Array(await response.arrayBuffer()));
    expect(fields.map((f) => f.number)).toEqual([1, 2, 3, 4, 6, 7]);
    expect(fields.find((f) => f.number === 4)).toEqual({ number: 4, varint: 1n });
    expect(fields.find((f) => f.number === 6)).toEqual({ number: 6, varint: 200n });
    expect(new TextDecoder().decode((fields.find((f) => f.number === 7) as { bytes: Uint8Array }).bytes)).toBe('mat_4');
  });

  it.each([CURRENT, SEED])('gRPC-web on %s: one data frame, then trailers with grpc-status 0', async (path) => {
    const response = await service().fetch(post(path, grpcWebFrame(protoRequest('mat_5', 62)), { 'content-type': 'application/grpc-web+proto' }));
    expect(response.status).toBe(200);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(bytes[0]).toBe(0);
    const length = new DataView(bytes.buffer).getUint32(1);
    expect(bytes[5 + length]).toBe(0x80);
    expect(new TextDecoder().decode(bytes.subarray(10 + length))).toBe('grpc-status: 0\r\n');
  });

  it('1,000 concurrent calls for one credential set, over every protocol: one provider request', async () => {
    const prism = service();
    const make = (i: number) =>
      i % 3 === 0 ? httpJson({ connector: 'PAYPAL' }) : i % 3 === 1 ? connectJson(CURRENT, { connector: 'PAYPAL' }) : post(SEED, grpcWebFrame(protoRequest(`m${i % 10}`, 62)), { 'content-type': 'application/grpc-web+proto' });
    const responses = await Promise.all(Array.from({ length: 1000 }, (_, i) => prism.fetch(make(i))));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(tokenRequests()).toHaveLength(1);
  }, 60_000); // a watchdog for a loaded machine, not a timing assertion
});

describe('callers authenticate with the API key', () => {
  it.each([
    ['no key', {}],
    ['a wrong key', { authorization: 'Bearer test-caller-key-0123456789abcdeX' }],
    ['another scheme', { authorization: `Basic ${API_KEY}` }],
  ])('%s: 401 / unauthenticated in every protocol, and no provider request', async (_, headers) => {
    const prism = service();
    const strip = (request: Request) => {
      const copy = new Headers(request.headers);
      copy.delete('authorization');
      for (const [name, value] of Object.entries(headers)) copy.set(name, value);
      return new Request(request, { headers: copy });
    };
    const http = await prism.fetch(strip(httpJson({ connector: 'PAYPAL' })));
    expect([http.status, (await http.json()).status]).toEqual([401, 'OPERATION_STATUS_AUTHENTICATION_FAILED']);
    const connect = await prism.fetch(strip(connectJson(CURRENT, { connector: 'PAYPAL' })));
    expect([connect.status, (await connect.json()).code]).toEqual([401, 'unauthenticated']);
    const web = await prism.fetch(strip(post(CURRENT, grpcWebFrame(protoRequest('x', 62)), { 'content-type': 'application/grpc-web+proto' })));
    expect(web.status).toBe(200);
    expect(new TextDecoder().decode(new Uint8Array(await web.arrayBuffer()).subarray(5))).toContain('grpc-status: 16');
    expect(emulator.requests).toHaveLength(0);
  });

  it('no CORS: a browser (Origin) is refused, and OPTIONS is not a preflight', async () => {
    const prism = service();
    const response = await prism.fetch(connectJson(CURRENT, { connector: 'PAYPAL' }, { origin: 'https://shop.example' }));
    expect([response.status, (await response.json()).code]).toEqual([403, 'permission_denied']);
    const options = await prism.fetch(new Request(`${BASE}${CURRENT}`, { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' } }));
    expect(options.status).toBe(405);
    expect([...options.headers.keys()].some((name) => name.startsWith('access-control'))).toBe(false);
  });
});

describe('bad input: in-band INVALID_REQUEST or invalid_argument, never a provider request', () => {
  it('an unknown connector is in-band INVALID_REQUEST', async () => {
    const body = await (await service().fetch(connectJson(CURRENT, { merchantAccessTokenId: 'u', connector: 'NOSUCHPSP' }))).json();
    expect(body).toMatchObject({ status: 'OPERATION_STATUS_INVALID_REQUEST', statusCode: 400, merchantAccessTokenId: 'u' });
    const number = await (await service().fetch(post(CURRENT, protoRequest('n', 99), { 'content-type': 'application/proto' }))).arrayBuffer();
    expect(readFields(new Uint8Array(number)).find((f) => f.number === 4)).toEqual({ number: 4, varint: 6n });
    expect(emulator.requests).toHaveLength(0);
  });

  it('a body that is not the message: invalid_argument (Connect), grpc-status 3 (gRPC-web), 400 (HTTP)', async () => {
    const prism = service();
    for (const bad of ['[1]', '{"connector": {"x": 1}}', '{"unknown_field": 1}', 'not json']) {
      const connect = await prism.fetch(post(CURRENT, bad, { 'content-type': 'application/json' }));
      expect([connect.status, (await connect.json()).code]).toEqual([400, 'invalid_argument']);
      const http = await prism.fetch(post('/payments/server_authentication_token', bad, { 'content-type': 'application/json' }));
      expect([http.status, (await http.json()).status]).toEqual([400, 'OPERATION_STATUS_INVALID_REQUEST']);
    }
    for (const bad of [Uint8Array.from([0x0a, 0x05, 0x61]), Uint8Array.from([0xff, 0xff, 0xff])]) {
      const connect = await prism.fetch(post(CURRENT, bad, { 'content-type': 'application/proto' }));
      expect([connect.status, (await connect.json()).code]).toEqual([400, 'invalid_argument']);
      const web = await prism.fetch(post(CURRENT, grpcWebFrame(bad), { 'content-type': 'application/grpc-web+proto' }));
      expect(new TextDecoder().decode(new Uint8Array(await web.arrayBuffer()))).toContain('grpc-status: 3');
    }
    expect(emulator.requests).toHaveLength(0);
  });

  it('oversized bodies (413) and headers (431) are refused before any work', async () => {
    const prism = service();
    const big = await prism.fetch(httpJson({ merchant_access_token_id: 'x'.repeat(20_000), connector: 'PAYPAL' }));
    expect(big.status).toBe(413);
    const bigConnect = await prism.fetch(connectJson(CURRENT, { merchantAccessTokenId: 'x'.repeat(20_000) }));
    expect([bigConnect.status, (await bigConnect.json()).code]).toEqual([429, 'resource_exhausted']);
    const header = await prism.fetch(httpJson({ connector: 'PAYPAL' }, { 'x-connector-config': 'y'.repeat(9000) }));
    expect(header.status).toBe(431);
    expect(emulator.requests).toHaveLength(0);
  });

  it('x-connector-config is refused unless the deployment enables header credentials', async () => {
    const config = JSON.stringify({ config: { Paypal: { client_id: PAYPAL_DEMO.clientId, client_secret: PAYPAL_DEMO.clientSecret } } });
    const body = await (await service().fetch(httpJson({ connector: 'PAYPAL' }, { 'x-connector': 'paypal', 'x-connector-config': config }))).json();
    expect(body).toMatchObject({ status: 'OPERATION_STATUS_INVALID_REQUEST', error: { unified_details: { message: expect.stringContaining('not accepted') } } });
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('header credentials (enabled by the deployment)', () => {
  const headerService = () => service({ profiles: {}, headerCredentials: { environment: 'sandbox', baseUrl: (connector) => emulator.baseUrl(findProvider(connector)!.emulatorPrefix) } });

  it("takes Prism's documented headers; a credential set is cached under a digest, never its values", async () => {
    const prism = headerService();
    const config = JSON.stringify({ config: { Paypal: { client_id: PAYPAL_DEMO.clientId, client_secret: PAYPAL_DEMO.clientSecret } } });
    const first = await (await prism.fetch(httpJson({ connector: 'PAYPAL' }, { 'x-connector': 'paypal', 'x-connector-config': config }))).json();
    const again = await (await prism.fetch(connectJson(CURRENT, {}, { 'x-connector': 'PAYPAL', 'x-connector-config': config }))).json();
    expect(first.status).toBe('OPERATION_STATUS_SUCCESS');
    expect(again.accessToken.value).toBe(first.access_token);
    expect(tokenRequests()).toHaveLength(1);
    expect(JSON.stringify([first, again])).not.toContain(PAYPAL_DEMO.clientSecret);
  });

  it('wrong credentials answer AUTHENTICATION_FAILED in-band without echoing them', async () => {
    const config = JSON.stringify({ config: { Paypal: { client_id: 'PLANTED-id', client_secret: 'PLANTED-secret-value' } } });
    const text = await (await headerService().fetch(httpJson({ connector: 'PAYPAL' }, { 'x-connector-config': config }))).text();
    expect(JSON.parse(text)).toMatchObject({ status: 'OPERATION_STATUS_AUTHENTICATION_FAILED', status_code: 401 });
    expect(text).not.toContain('PLANTED-secret-value');
  });

  it.each([
    ['not JSON', '{"config":'],
    ['no config object', '{"Paypal":{}}'],
    ['two connectors', '{"config":{"Paypal":{},"Stripe":{}}}'],
    ['another connector', '{"config":{"Stripe":{"api_key":"PLANTED-k"}}}'],
    ['missing credentials', '{"config":{"Paypal":{"client_id":"PLANTED-id"}}}'],
  ])('malformed x-connector-config (%s): in-band INVALID_REQUEST, no provider request', async (_, config) => {
    const text = await (await headerService().fetch(httpJson({ connector: 'PAYPAL', merchant_access_token_id: 'bad' }, { 'x-connector-config': config }))).text();
    expect(JSON.parse(text)).toMatchObject({ status: 'OPERATION_STATUS_INVALID_REQUEST', status_code: 400, merchant_access_token_id: 'bad' });
    expect(text).not.toContain('PLANTED');
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('every supported connector', () => {
  const snake = (name: string): string => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
  // [x-connector, emulator prefix, Prism's credentials (snake_case as in x-connector-config)], one per
  // descriptor: the connector under Prism's name in snake_case, every other one in capitals (read
  // without case or separators), with its emulator's demo credentials and scope.
  const CASES: [string, string, () => Record<string, string>][] = PROVIDER_DESCRIPTORS.map((descriptor, index) => {
    const connector = snake(descriptor.prism ?? descriptor.name);
    const credentials = (): Record<string, string> => {
      const { demo } = emulated(emulator, descriptor);
      const fields = Object.entries(demo.credentials).map(([option, value]) => [snake(option), value]);
      return { ...Object.fromEntries(fields), ...(demo.scope === undefined ? {} : { scope: demo.scope }) };
    };
    return [index % 2 === 1 ? connector.toUpperCase() : connector, descriptor.emulatorPrefix, credentials];
  });

  it.each(CASES)('%s answers from the store through x-connector-config (a second call is cached)', async (connector, prefix, credentials) => {
    const prism = service({ profiles: {}, headerCredentials: { environment: 'sandbox', baseUrl: () => emulator.baseUrl(prefix) } });
    const config = JSON.stringify({ config: { [connector]: credentials() } });
    const call = () => prism.fetch(httpJson({ merchant_access_token_id: connector }, { 'x-connector': connector, 'x-connector-config': config }));
    const first = await (await call()).json();
    expect(first).toMatchObject({ status: 'OPERATION_STATUS_SUCCESS', status_code: 200, merchant_access_token_id: connector, access_token: expect.any(String) });
    const second = await (await call()).json();
    expect(second.access_token).toBe(first.access_token);
    expect(emulator.requests.filter((r) => r.path.startsWith(`/${prefix}/`))).toHaveLength(1);
  });
});

describe('options are strict', () => {
  it.each([
    [{ apiKeys: [] }, 'apiKeys'],
    [{ apiKeys: ['short'] }, 'apiKeys'],
    [{ apiKeys: [API_KEY], profiles: {} }, 'profiles'],
    [{ apiKeys: [API_KEY], headerCredentials: { environment: 'sandbox' }, cors: true }, 'cors'],
    [{ apiKeys: [API_KEY], profiles: { paypal: { credentials: {}, environment: 'sandbox', extra: 1 } } }, 'profiles.paypal.extra'],
    [{ apiKeys: [API_KEY], profiles: { paypal: { credentials: { client_id: 'a', client_secret: 'b' } } } }, 'profiles.paypal.environment'],
    [{ apiKeys: [API_KEY], headerCredentials: { environment: 'live' } }, 'headerCredentials.environment'],
  ])('%j → a config error naming %s', (options, field) => {
    expect(() => createPrismService(options as never)).toThrow(expect.objectContaining({ code: 'config', message: expect.stringContaining(field) }));
  });
});
