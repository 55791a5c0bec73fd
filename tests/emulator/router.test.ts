// The emulator as a whole: routing by prefix, the request log, the Date header from its clock, reset,
// and a custom endpoint (a generic OAuth 2 server) plugged in the way the built-in providers are.
import { describe, expect, it } from 'vitest';
import { clientCredentials, createTokenStore } from '../../src/core/index.js';
import { authenticateClient, createEmulator, fakeJwt, json, oauthError, type ProviderEmulator } from '../../src/emulator/index.js';
import { NOW } from '../providers/_helpers.js';
import { PROVIDER_DESCRIPTORS } from '../../src/providers/index.js';

const post = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
  body: JSON.stringify(body),
});

describe('createEmulator: routing and log', () => {
  it('routes by prefix and records method, path, lower-case headers and body', async () => {
    const emulator = createEmulator({ clock: { now: () => NOW } });
    const response = await emulator.fetch('https://anything.example/kitegateway/v1/auth/token', post({ api_key: 'kg_demo_api_key' }, { 'Secret-Key': 'kg_demo_secret_key' }));
    expect(response.status).toBe(200);
    expect(emulator.requests).toEqual([
      {
        provider: 'kitegateway',
        method: 'POST',
        url: 'https://anything.example/kitegateway/v1/auth/token',
        path: '/kitegateway/v1/auth/token',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'secret-key': 'kg_demo_secret_key' },
        body: '{"api_key":"kg_demo_api_key"}',
        at: NOW,
      },
    ]);
  });

  it('accepts a Request object as input', async () => {
    const emulator = createEmulator();
    const response = await emulator.fetch(new Request('https://emulator.invalid/kitegateway/v1/auth/token', post({ api_key: 'kg_demo_api_key' }, { 'secret-key': 'kg_demo_secret_key' })));
    expect(response.status).toBe(200);
  });

  it('stamps every answer with the emulator clock as Date', async () => {
    const emulator = createEmulator({ clock: { now: () => NOW } });
    const response = await emulator.fetch('https://emulator.invalid/nowhere');
    expect(response.headers.get('date')).toBe(new Date(NOW).toUTCString());
  });

  it('answers 404 naming the known prefixes for an unknown one', async () => {
    const emulator = createEmulator();
    const response = await emulator.fetch('https://emulator.invalid/adyen/v1/oauth2/token', { method: 'POST' });
    expect(response.status).toBe(404);
    const { error_description: description } = (await response.json()) as { error_description: string };
    const known = description.split('known: ')[1]!.split(', ');
    expect(known.sort()).toEqual(['oauth2', ...PROVIDER_DESCRIPTORS.map((descriptor) => descriptor.emulatorPrefix)].sort());
    expect(emulator.requests[0]!.provider).toBeUndefined();
  });

  it('builds base URLs on its origin and refuses unknown prefixes', () => {
    expect(createEmulator().baseUrl('cybersource')).toBe('https://emulator.invalid/cybersource');
    expect(createEmulator({ origin: 'http://127.0.0.1:8787/' }).baseUrl('openbanking')).toBe('http://127.0.0.1:8787/openbanking');
    expect(() => createEmulator().baseUrl('adyen')).toThrow(/known: oauth2, kitegateway/);
  });

  it('reset() forgets requests, faults, codes and refresh tokens', async () => {
    const emulator = createEmulator();
    const code = emulator.cybersource.authorize();
    emulator.inject({ status: 503 });
    await emulator.fetch('https://emulator.invalid/kitegateway/v1/auth/token', post({}));
    emulator.reset();
    expect(emulator.requests).toHaveLength(0);
    const response = await emulator.fetch('https://emulator.invalid/cybersource/oauth2/v3/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: 'cybs-demo-client', client_secret: 'cybs-demo-secret' }),
    });
    expect(response.status).toBe(400); // not 503: the fault is gone; 400: the code is forgotten
    expect(await response.json()).toMatchObject({ error: 'invalid_grant', error_description: 'authorization code is invalid' });
  });

  it('a handler that throws is answered 500', async () => {
    const broken: ProviderEmulator = { prefix: 'broken', handle: () => { throw new Error('bug'); }, reset: () => {} };
    const response = await createEmulator({ endpoints: [broken] }).fetch('https://emulator.invalid/broken/x');
    expect(response.status).toBe(500);
  });

  it('refuses a taken or malformed prefix', () => {
    const endpoint = (prefix: string): ProviderEmulator => ({ prefix, handle: () => json(200, {}), reset: () => {} });
    expect(() => createEmulator({ endpoints: [endpoint('kitegateway')] })).toThrow(/taken/);
    expect(() => createEmulator({ endpoints: [endpoint('a/b')] })).toThrow(/invalid/);
  });
});

describe('createEmulator: a plugged-in endpoint', () => {
  /** A client_credentials server in a dozen lines, from the exported building blocks (as a next connector would be). */
  const acmeOAuth2 = (clients: Record<string, string>): ProviderEmulator => ({
    prefix: 'acme',
    handle(request, path) {
      if (path !== '/token') return json(404, { error: 'not_found' });
      const form = new URLSearchParams(request.body);
      if (authenticateClient(request, form, clients, ['client_secret_basic', 'client_secret_post']) === undefined) return oauthError(401, 'invalid_client');
      if (form.get('grant_type') !== 'client_credentials') return oauthError(400, 'unsupported_grant_type');
      return json(200, { access_token: fakeJwt({ sub: 'generic' }), token_type: 'Bearer', expires_in: 600 });
    },
    reset: () => {},
  });

  it('serves core flows under its prefix, recorded and fault-injectable like the rest', async () => {
    const emulator = createEmulator({ endpoints: [acmeOAuth2({ 'id-1': 'secret:1' })] });
    const store = createTokenStore({ fetch: emulator.fetch, http: { retries: 0 } });
    try {
      const flow = clientCredentials({ tokenUrl: `${emulator.baseUrl('acme')}/token`, clientId: 'id-1', clientSecret: 'secret:1' });
      expect((await store.source(flow).get()).tokenType).toBe('Bearer');
      expect(emulator.requests[0]!.provider).toBe('acme');
      emulator.inject({ provider: 'acme', status: 503, times: 1 });
      const failing = clientCredentials({ tokenUrl: `${emulator.baseUrl('acme')}/token`, clientId: 'id-1', clientSecret: 'secret:1', scope: 'x' });
      await expect(store.source(failing).get()).rejects.toMatchObject({ code: 'upstream_error', status: 503 });
    } finally {
      store.dispose();
    }
  });
});
