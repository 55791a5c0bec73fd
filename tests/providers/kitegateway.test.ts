// kitegateway(): the exact JSON request, the envelope read into an AccessToken (clock skew included),
// the "JWT" header form, and every error envelope mapped to a TokenError that never carries a secret.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTokenStore, type TokenStore } from '../../src/core/index.js';
import { KITEGATEWAY_DEMO, createEmulator, type Emulator } from '../../src/emulator/index.js';
import { kitegateway } from '../../src/providers/index.js';
import { NOW, exposed, hostRouter, setup, tokenError, useFakeClock } from './_helpers.js';

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

const flow = (extra: Partial<Parameters<typeof kitegateway>[0]> = {}) =>
  kitegateway({ ...KITEGATEWAY_DEMO, baseUrl: emulator.baseUrl('kitegateway'), ...extra });

describe('kitegateway: success', () => {
  it('sends the documented request and returns the JWT with its expiry', async () => {
    const token = await store.source(flow()).get();
    expect(emulator.requests).toHaveLength(1);
    const [request] = emulator.requests;
    expect(request).toMatchObject({ method: 'POST', url: 'https://emulator.invalid/kitegateway/v1/auth/token' });
    expect(request!.headers).toMatchObject({ 'content-type': 'application/json', accept: 'application/json', 'secret-key': KITEGATEWAY_DEMO.secretKey });
    expect(request!.headers.authorization).toBeUndefined();
    expect(JSON.parse(request!.body)).toEqual({ api_key: KITEGATEWAY_DEMO.apiKey, expires_in: 900 });
    expect(token.tokenType).toBe('JWT');
    expect(token.accessToken).toMatch(/^JWT eyJ/);
    expect(token.expiresAt).toBe(NOW + 900_000);
    expect(token.refreshToken).toBeUndefined();
  });

  it('asks for the configured lifetime', async () => {
    const token = await store.source(flow({ expiresIn: 120 })).get();
    expect(JSON.parse(emulator.requests[0]!.body)).toMatchObject({ expires_in: 120 });
    expect(token.expiresAt).toBe(NOW + 120_000);
  });

  it('sends the token as it came, never with a second JWT prefix', async () => {
    const kg = flow();
    const source = store.source(kg);
    const token = await source.get();
    expect(await source.authorization()).toBe(token.accessToken);
    expect(kg.authorization!({ ...token, accessToken: 'eyJabc' })).toBe('JWT eyJabc');
    expect(kg.authorization!({ ...token, accessToken: 'jwt eyJabc' })).toBe('jwt eyJabc');
  });

  it('serves the cached token without a request', async () => {
    const source = store.source(flow());
    const first = await source.get();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await source.get()).toBe(first);
    expect(emulator.requests).toHaveLength(1);
  });

  it('picks the documented host per environment', async () => {
    const router = hostRouter(emulator);
    await store.source(kitegateway({ ...KITEGATEWAY_DEMO, fetch: router.fetch })).get();
    await store.source(kitegateway({ ...KITEGATEWAY_DEMO, environment: 'production', fetch: router.fetch })).get();
    expect(router.urls).toEqual(['https://sandbox.kitegateway.com/v1/auth/token', 'https://kitegateway.com/v1/auth/token']);
  });

  it('is server-only and keeps credentials out of its key', () => {
    const kg = flow();
    expect(kg.browserSafe).toBe(false);
    expect(kg.key).not.toContain(KITEGATEWAY_DEMO.apiKey);
    expect(kg.key).not.toContain(KITEGATEWAY_DEMO.secretKey);
    expect(flow({ expiresIn: 60 }).key).not.toBe(kg.key);
  });
});

describe('kitegateway: clock skew', () => {
  it('counts the lifetime from the server Date header when the clocks disagree', async () => {
    const ahead = createEmulator({ clock: { now: () => Date.now() + 10 * 60_000 } }); // server 10 min ahead
    const token = await store.source(kitegateway({ ...KITEGATEWAY_DEMO, baseUrl: ahead.baseUrl('kitegateway'), fetch: ahead.fetch })).get();
    expect(token.expiresAt).toBe(NOW + 900_000);
  });

  it('uses data.expires as it is without a Date header (skew then goes unnoticed)', async () => {
    const ahead = createEmulator({ clock: { now: () => Date.now() + 10 * 60_000 } });
    const noDate: typeof fetch = async (input, init) => {
      const response = await ahead.fetch(input, init);
      const headers = new Headers(response.headers);
      headers.delete('date');
      return new Response(response.body, { status: response.status, headers });
    };
    const token = await store.source(kitegateway({ ...KITEGATEWAY_DEMO, baseUrl: ahead.baseUrl('kitegateway'), fetch: noDate })).get();
    expect(token.expiresAt).toBe(NOW + 10 * 60_000 + 900_000);
  });

  it('refuses a token the server says has already expired', async () => {
    emulator.inject({ body: { json: { code: 200, status: 'success', message: 'Token generated', data: { token: 'JWT x', expires: NOW / 1000 - 5 } } } });
    expect((await tokenError(store.source(flow()).get())).code).toBe('invalid_response');
  });
});

describe('kitegateway: errors', () => {
  it('wrong credentials → invalid_client carrying the provider message, not the secret', async () => {
    const secretKey = 'sk_live_wrong_secret_123';
    const error = await tokenError(store.source(flow({ secretKey })).get());
    expect(error).toMatchObject({ code: 'invalid_client', status: 401, provider: 'kitegateway', retryable: false });
    expect(error.message).toContain('kitegateway_rest_invalid_credentials');
    expect(error.message).toContain('Invalid API key or secret key.');
    expect(exposed(error)).not.toContain(secretKey);
  });

  it('redacts credentials the provider echoes back in its message', async () => {
    const secretKey = 'sk_live_echoed_secret_456';
    emulator.inject({
      provider: 'kitegateway',
      status: 400,
      body: { json: { code: 'kitegateway_rest_invalid_secret_key', status: 'error', message: `Secret key ${secretKey} is not valid`, data: { status: 400 } } },
    });
    const error = await tokenError(store.source(flow({ secretKey })).get());
    expect(error.code).toBe('invalid_client');
    expect(error.message).toContain('Secret key [redacted] is not valid');
    expect(exposed(error)).not.toContain(secretKey);
  });

  it('a rejected parameter (400) → invalid_request with the envelope code', async () => {
    const error = await tokenError(store.source(flow({ expiresIn: 999_999 })).get());
    expect(error).toMatchObject({ code: 'invalid_request', status: 400 });
    expect(error.message).toContain('kitegateway_rest_invalid_param');
  });

  it('no route (404) → upstream_error', async () => {
    const error = await tokenError(store.source(flow({ baseUrl: `${emulator.baseUrl('kitegateway')}/v2` })).get());
    expect(error).toMatchObject({ code: 'upstream_error', status: 404 });
    expect(error.message).toContain('kitegateway_rest_no_route');
  });

  it('500 → retryable upstream_error; 429 → rate_limited with Retry-After', async () => {
    emulator.inject({ provider: 'kitegateway', status: 500, times: 1 });
    expect(await tokenError(store.source(flow()).get())).toMatchObject({ code: 'upstream_error', status: 500, retryable: true });
    emulator.inject({ provider: 'kitegateway', retryAfter: 30, times: 1 });
    expect(await tokenError(store.source(flow()).get())).toMatchObject({ code: 'rate_limited', status: 429, retryAfter: 30 });
  });

  it.each([
    ['malformed JSON', 'malformed-json' as const],
    ['an HTML page', 'html' as const],
    ['an empty body', 'empty' as const],
    ['a success envelope without data.expires', { json: { code: 200, status: 'success', data: { token: 'JWT x' } } }],
    ['expires in milliseconds', { json: { code: 200, status: 'success', data: { token: 'JWT x', expires: NOW + 900_000 } } }],
  ])('200 with %s → invalid_response', async (_, body) => {
    emulator.inject({ provider: 'kitegateway', body, times: 1 });
    const error = await tokenError(store.source(flow()).get());
    expect(error.code).toBe('invalid_response');
  });

  it('names the bad fields of a success body without quoting it', async () => {
    emulator.inject({ body: { json: { status: 'success', data: { token: 'JWT secret-token-value', expires: 'soon' } } } });
    const error = await tokenError(store.source(flow()).get());
    expect(error.message).toContain('data.expires');
    expect(exposed(error)).not.toContain('secret-token-value');
  });

  it('bad options → config before any request', async () => {
    const base = { ...KITEGATEWAY_DEMO, fetch: emulator.fetch };
    for (const options of [
      { ...base, secretKey: '' },
      { ...base, apiKey: undefined as unknown as string },
      { ...base, expiresIn: 0 },
      { ...base, expiresIn: 1.5 },
      { ...base, environment: 'live' as 'production' },
      { ...base, baseUrl: 'http://kitegateway.example.com' },
    ]) {
      expect((await tokenError(() => kitegateway(options))).code).toBe('config');
    }
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('kitegateway: through a store', () => {
  it('refreshes before expiry with a new request', async () => {
    const local = createTokenStore({ fetch: emulator.fetch, random: () => 0 });
    try {
      const source = local.source(flow());
      const first = await source.get();
      await vi.advanceTimersByTimeAsync(721_000); // 80% of 900 s
      expect(emulator.requests).toHaveLength(2);
      expect(source.peek()?.accessToken).not.toBe(first.accessToken);
    } finally {
      local.dispose();
    }
  });
});
