// Clients nobody here wrote, against the Worker under wrangler dev (workerd) and the standalone
// server, both on emulated providers: `buf curl` in the Connect and gRPC-web protocols (gRPC needs
// HTTP/2 trailers, which neither serves), a @connectrpc/connect client (Connect binary and JSON,
// gRPC-web), and curl on the HTTP JSON route with Prism's documented headers.
// Several processes (buf, wrangler dev) and a real clock: in `npm run test:slow`, which CI runs after `npm test`.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { fromBinary } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { createFileRegistry, type DescService } from '@bufbuild/protobuf';
import { createClient } from '@connectrpc/connect';
import { createConnectTransport, createGrpcWebTransport } from '@connectrpc/connect-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWrangler } from '../../bench/lib/wrangler.mjs';
import { PAYPAL_DEMO, createEmulator } from '../../src/emulator/index.js';
import { servePrism, type PrismServer } from '../../src/server/index.js';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;
const CACHE = `${ROOT}.cache/prism-clients`;
const API_KEY = 'clients-test-caller-key-2b7e151628';
const CONFIG = JSON.stringify({ config: { Paypal: { client_id: PAYPAL_DEMO.clientId, client_secret: PAYPAL_DEMO.clientSecret } } });

interface Target {
  url: string;
  /** PayPal token requests the emulated provider received. */
  tokenRequests(): Promise<number>;
  stop(): Promise<void>;
}

let image: Uint8Array;
let services: { current: DescService; seed: DescService };

async function buf(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(`${ROOT}node_modules/.bin/buf`, args, { cwd: ROOT, env: { ...process.env, BUF_CACHE_DIR: `${CACHE}/buf` } });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

beforeAll(async () => {
  mkdirSync(CACHE, { recursive: true });
  const built = await buf(['build', 'proto', '-o', `${CACHE}/image.binpb`]);
  expect(built.stderr).toBe('');
  image = readFileSync(`${CACHE}/image.binpb`);
  const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, image));
  services = { current: registry.getService('types.MerchantAuthenticationService')!, seed: registry.getService('ucs.v2.MerchantAuthenticationService')! };
}, 60_000);

async function standalone(): Promise<Target> {
  const emulator = createEmulator();
  const server: PrismServer = await servePrism({
    config: { profiles: { paypal: { environment: 'sandbox', upstream: 'emulator', secrets: { client_id: 'PAYPAL_ID', client_secret: 'PAYPAL_SECRET' } } }, headerCredentials: { environment: 'sandbox' } },
    env: { TOKENMINT_PRISM_API_KEY: API_KEY, PAYPAL_ID: PAYPAL_DEMO.clientId, PAYPAL_SECRET: PAYPAL_DEMO.clientSecret },
    emulator,
    port: 0,
  });
  return { url: server.url, tokenRequests: async () => emulator.requests.filter((r) => r.path === '/paypal/v1/oauth2/token').length, stop: () => server.close() };
}

async function worker(): Promise<Target> {
  const envFile = `${CACHE}/prism.dev.vars`;
  writeFileSync(envFile, `TOKENMINT_DEV_EMULATOR=on\nTOKENMINT_PRISM_API_KEY=${API_KEY}\nPAYPAL_CLIENT_ID=${PAYPAL_DEMO.clientId}\nPAYPAL_CLIENT_SECRET=${PAYPAL_DEMO.clientSecret}\n`);
  const wrangler = await startWrangler({ config: 'tests/prism/fixtures/wrangler.prism.toml', envFile, readyPath: '/healthz' });
  return {
    url: wrangler.url,
    tokenRequests: async () => {
      const { requests } = (await (await fetch(`${wrangler.url}/__emulator/requests`)).json()) as { requests: { path: string }[] };
      return requests.filter((r) => r.path === '/paypal/v1/oauth2/token').length;
    },
    stop: wrangler.stop,
  };
}

describe.each([
  ['the standalone server', standalone],
  ['the Worker under wrangler dev', worker],
])('%s', (_, start) => {
  let target: Target;
  beforeAll(async () => {
    target = await start();
  }, 90_000);
  afterAll(() => target?.stop());

  it.each([
    ['connect', 'types.MerchantAuthenticationService/CreateServerAuthenticationToken'],
    ['grpcweb', 'types.MerchantAuthenticationService/CreateServerAuthenticationToken'],
    ['connect', 'ucs.v2.MerchantAuthenticationService/CreateAccessToken'],
    ['grpcweb', 'ucs.v2.MerchantAuthenticationService/CreateAccessToken'],
  ])('buf curl --protocol %s %s', async (protocol, method) => {
    const result = await buf(['curl', '--schema', 'proto', '--protocol', protocol, '-H', `Authorization: Bearer ${API_KEY}`, '-d', '{"merchant_access_token_id":"buf_1","connector":"PAYPAL","test_mode":true}', `${target.url}/${method}`]);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ accessToken: { value: expect.any(String) }, tokenType: 'Bearer', status: 'OPERATION_STATUS_SUCCESS', statusCode: 200, merchantAccessTokenId: 'buf_1' });
  }, 60_000);

  it('buf curl without the key: unauthenticated', async () => {
    const result = await buf(['curl', '--schema', 'proto', '--protocol', 'connect', '-d', '{"connector":"PAYPAL"}', `${target.url}/types.MerchantAuthenticationService/CreateServerAuthenticationToken`]);
    expect(result.code).not.toBe(0);
    // buf curl prints the Connect error on stderr.
    expect(JSON.parse(result.stderr)).toMatchObject({ code: 'unauthenticated' });
  }, 60_000);

  it.each([
    ['Connect, binary', () => createConnectTransport({ baseUrl: target.url, httpVersion: '1.1' })],
    ['Connect, JSON', () => createConnectTransport({ baseUrl: target.url, httpVersion: '1.1', useBinaryFormat: false })],
    ['gRPC-web', () => createGrpcWebTransport({ baseUrl: target.url, httpVersion: '1.1' })],
  ])('@connectrpc/connect client (%s), current and seed names', async (_, transport) => {
    const headers = { authorization: `Bearer ${API_KEY}` };
    const current = createClient(services.current, transport());
    const answer = (await current.createServerAuthenticationToken({ merchantAccessTokenId: 'cn_1', connector: 62 }, { headers })) as Record<string, unknown>;
    expect(answer).toMatchObject({ tokenType: 'Bearer', status: 1, statusCode: 200, merchantAccessTokenId: 'cn_1', accessToken: { value: expect.any(String) } });
    expect(answer.expiresInSeconds).toBeGreaterThan(0n);
    const seed = createClient(services.seed, transport());
    const seedAnswer = (await seed.createAccessToken({ connector: 62 }, { headers })) as { accessToken: { value: string } };
    expect(seedAnswer.accessToken.value).toBe((answer.accessToken as { value: string }).value);
    await expect(current.createServerAuthenticationToken({ connector: 62 })).rejects.toMatchObject({ code: 16 }); // Code.Unauthenticated
  }, 60_000);

  it("curl on the HTTP JSON route with Prism's documented headers", async () => {
    const { stdout } = await run('curl', ['-s', '-X', 'POST', `${target.url}/payments/server_authentication_token`, '-H', `authorization: Bearer ${API_KEY}`, '-H', 'content-type: application/json', '-H', 'x-connector: paypal', '-H', `x-connector-config: ${CONFIG}`, '-d', '{"merchant_access_token_id":"curl_1","test_mode":true}']);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'OPERATION_STATUS_SUCCESS', token_type: 'Bearer', merchant_access_token_id: 'curl_1', access_token: expect.any(String) });
    expect(stdout).not.toContain(PAYPAL_DEMO.clientSecret);
  }, 60_000);

  it('every client above shared the cached token: one provider request per credential set', async () => {
    // The profile's token, and the header-credential set's (the same app, cached under its own key).
    expect(await target.tokenRequests()).toBeLessThanOrEqual(2);
  }, 60_000);
});
