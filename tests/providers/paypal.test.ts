// paypalClientToken(): the browser-safe client token, authorised by a server token the flow obtains and
// holds itself (reused across client tokens, replaced when rejected or near expiry). paypal()'s server
// token is covered with the other connectors in connectors.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TokenStore } from '../../src/core/index.js';
import { PAYPAL_DEMO, type Emulator } from '../../src/emulator/index.js';
import { paypal, paypalClientToken } from '../../src/providers/index.js';
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

const flow = (extra: Partial<Parameters<typeof paypalClientToken>[0]> = {}) => paypalClientToken({ ...PAYPAL_DEMO, baseUrl: emulator.baseUrl('paypal'), ...extra });
const paths = (): string[] => emulator.requests.map((request) => request.path);
const TOKEN = '/paypal/v1/oauth2/token';
const GENERATE = '/paypal/v1/identity/generate-token';

describe('paypalClientToken: requests', () => {
  it.each(['sandbox', 'production'] as const)('%s: a server token, then generate-token authorised with it', async (environment) => {
    const router = hostRouter(emulator);
    const token = await store.source(paypalClientToken({ ...PAYPAL_DEMO, environment, fetch: router.fetch })).get();
    const host = environment === 'sandbox' ? 'https://api-m.sandbox.paypal.com' : 'https://api-m.paypal.com';
    expect(router.urls).toEqual([`${host}/v1/oauth2/token`, `${host}/v1/identity/generate-token`]);
    const [server, generate] = emulator.requests;
    expect(new URLSearchParams(server!.body).get('grant_type')).toBe('client_credentials');
    expect(server!.headers.authorization).toBe(`Basic ${btoa(`${PAYPAL_DEMO.clientId}:${PAYPAL_DEMO.clientSecret}`)}`);
    expect(generate!.method).toBe('POST');
    expect(generate!.headers).toEqual({ 'content-type': 'application/json', accept: 'application/json', authorization: expect.stringMatching(/^Bearer A21AA[\w-]+$/) });
    expect(generate!.body).toBe('{}');
    expect(token).toEqual({ accessToken: expect.any(String), tokenType: 'ClientToken', expiresAt: NOW + 3_600_000 });
  });

  it('sends customer_id for vaulting, and keys flows apart by it', async () => {
    const vaulting = flow({ customerId: 'customer_42' });
    await store.source(vaulting).get();
    expect(JSON.parse(emulator.requests[1]!.body)).toEqual({ customer_id: 'customer_42' });
    expect(vaulting.key).not.toBe(flow().key);
  });

  it('is browser-safe, keyed apart from the server token, without secrets in its key', () => {
    const client = flow();
    expect(client.browserSafe).toBe(true);
    expect(paypal({ ...PAYPAL_DEMO, baseUrl: emulator.baseUrl('paypal') }).browserSafe).toBe(false);
    expect(client.key).not.toBe(paypal({ ...PAYPAL_DEMO, baseUrl: emulator.baseUrl('paypal') }).key);
    expect(client.key).not.toContain(PAYPAL_DEMO.clientSecret);
  });
});

describe('paypalClientToken: the held server token', () => {
  it('serves a cached client token without a request, and reuses the server token for the next one', async () => {
    const source = store.source(flow());
    const first = await source.get();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await source.get()).toBe(first);
    expect(paths()).toEqual([TOKEN, GENERATE]);
    const second = await source.refresh();
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(paths()).toEqual([TOKEN, GENERATE, GENERATE]);
    expect(emulator.requests[2]!.headers.authorization).toBe(emulator.requests[1]!.headers.authorization);
  });

  it('fetches a new server token once the held one is within a minute of expiry', async () => {
    store.dispose();
    ({ emulator, store } = setup({ paypal: { expiresIn: 600 } }));
    const source = store.source(flow());
    await source.get();
    await vi.advanceTimersByTimeAsync(539_000);
    await source.refresh();
    expect(paths()).toEqual([TOKEN, GENERATE, GENERATE]);
    await vi.advanceTimersByTimeAsync(2_000); // 59 s left on the server token
    await source.refresh();
    expect(paths()).toEqual([TOKEN, GENERATE, GENERATE, TOKEN, GENERATE]);
  });

  it('a rejected server token (401) is replaced once and the call succeeds', async () => {
    const source = store.source(flow());
    await source.get();
    emulator.paypal.revokeAccessTokens();
    const token = await source.refresh();
    expect(token.tokenType).toBe('ClientToken');
    expect(paths()).toEqual([TOKEN, GENERATE, GENERATE, TOKEN, GENERATE]);
  });

  it('a second 401 → invalid_client, without the server token in the error', async () => {
    const fetchFn: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      if (new URL(request.url).pathname.endsWith('/generate-token')) {
        const body = { error: 'invalid_token', error_description: `Token ${request.headers.get('authorization')} signature verification failed` };
        return new Response(JSON.stringify(body), { status: 401, headers: { 'content-type': 'application/json' } });
      }
      return emulator.fetch(request);
    };
    const error = await tokenError(store.source(flow({ fetch: fetchFn })).get());
    expect(error).toMatchObject({ code: 'invalid_client', status: 401, provider: 'paypal' });
    expect(error.message).toContain('signature verification failed');
    expect(exposed(error)).not.toMatch(/A21AA[\w-]{6,}/);
    expect(paths()).toEqual([TOKEN, TOKEN]); // one retry, each with a fresh server token
  });

  it('wrong credentials fail at the server token: no generate-token request', async () => {
    const error = await tokenError(store.source(flow({ clientSecret: 'wrong-paypal-secret' })).get());
    expect(error).toMatchObject({ code: 'invalid_client', status: 401 });
    expect(exposed(error)).not.toContain('wrong-paypal-secret');
    expect(paths()).toEqual([TOKEN]);
  });
});

describe('paypalClientToken: generate-token errors', () => {
  it('429 → rate_limited with retryAfter; 500 (REST body) → upstream_error naming PayPal’s error', async () => {
    const source = store.source(flow());
    await source.get();
    emulator.inject({ provider: 'paypal', retryAfter: 20, times: 1 });
    expect(await tokenError(source.refresh())).toMatchObject({ code: 'rate_limited', status: 429, retryAfter: 20 });
    emulator.inject({ provider: 'paypal', status: 500, times: 1 });
    const error = await tokenError(source.refresh());
    expect(error).toMatchObject({ code: 'upstream_error', status: 500, retryable: true });
    expect(error.message).toContain('INTERNAL_SERVICE_ERROR');
  });

  it.each([
    ['no client_token', { json: { expires_in: 3600 } }],
    ['no expires_in', { json: { client_token: 'abc' } }],
    ['malformed JSON', 'malformed-json' as const],
  ])('200 with %s → invalid_response', async (_, body) => {
    const source = store.source(flow());
    await source.get();
    emulator.inject({ provider: 'paypal', body, times: 1 });
    expect((await tokenError(source.refresh())).code).toBe('invalid_response');
  });

  it('bad options → config before any request', async () => {
    for (const options of [{ clientId: '' }, { clientSecret: undefined }, { customerId: '' }, { environment: 'live' }]) {
      const error = await tokenError(() => paypalClientToken({ ...PAYPAL_DEMO, fetch: emulator.fetch, ...(options as object) }));
      expect(error).toMatchObject({ code: 'config', provider: 'paypal' });
    }
    expect(emulator.requests).toHaveLength(0);
  });
});
