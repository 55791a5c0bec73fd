// Failure injection: statuses for N requests or until cleared, Retry-After, broken bodies in the
// provider's own format or as given, delays and hangs that honour the request's abort signal.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { useFakeClock } from '../providers/_helpers.js';

let emulator: Emulator;
beforeEach(() => {
  useFakeClock();
  emulator = createEmulator();
});
afterEach(() => void vi.useRealTimers());

/** A valid Kitegateway token request. */
const kitegateway = (init: RequestInit = {}): Promise<Response> =>
  emulator.fetch('https://emulator.invalid/kitegateway/v1/auth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', 'secret-key': 'kg_demo_secret_key' },
    body: JSON.stringify({ api_key: 'kg_demo_api_key' }),
    ...init,
  });

describe('faults: statuses and counts', () => {
  it('applies to N requests, then the normal answer returns', async () => {
    const handle = emulator.inject({ status: 503, times: 2 });
    expect((await kitegateway()).status).toBe(503);
    expect(handle.remaining).toBe(1);
    expect((await kitegateway()).status).toBe(503);
    expect((await kitegateway()).status).toBe(200);
    expect(handle.remaining).toBe(0);
  });

  it('applies until cleared', async () => {
    const handle = emulator.inject({ status: 500 });
    for (let i = 0; i < 3; i++) expect((await kitegateway()).status).toBe(500);
    handle.clear();
    expect((await kitegateway()).status).toBe(200);
    emulator.inject({ status: 500 });
    emulator.clearFaults();
    expect((await kitegateway()).status).toBe(200);
  });

  it('uses the provider error format for a bare status', async () => {
    emulator.inject({ status: 500, times: 1 });
    expect(await (await kitegateway()).json()).toMatchObject({ code: 'kitegateway_rest_internal_error', data: { status: 500 } });
    emulator.inject({ status: 503, times: 1 });
    const response = await emulator.fetch('https://emulator.invalid/cybersource/oauth2/v3/token', { method: 'POST' });
    expect(await response.json()).toMatchObject({ error: 'temporarily_unavailable' });
  });

  it('retryAfter alone means 429 with Retry-After', async () => {
    emulator.inject({ retryAfter: 120, times: 1 });
    const response = await kitegateway();
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('120');
    emulator.inject({ status: 503, retryAfter: 'Wed, 03 Jun 2026 12:00:00 GMT', headers: { 'x-extra': '1' }, times: 1 });
    const second = await kitegateway();
    expect([second.status, second.headers.get('retry-after'), second.headers.get('x-extra')]).toEqual([503, 'Wed, 03 Jun 2026 12:00:00 GMT', '1']);
  });

  it('only hits the provider it names', async () => {
    emulator.inject({ provider: 'cybersource', status: 500 });
    expect((await kitegateway()).status).toBe(200);
    expect((await emulator.fetch('https://emulator.invalid/cybersource/oauth2/v3/token', { method: 'POST' })).status).toBe(500);
  });

  it('refuses a non-positive count', () => {
    expect(() => emulator.inject({ status: 500, times: 0 })).toThrow(RangeError);
  });
});

describe('faults: bodies', () => {
  it.each([
    ['malformed-json' as const, 'application/json', '{"access_token": "tr'],
    ['html' as const, 'text/html; charset=utf-8', '<!DOCTYPE html>'],
    ['empty' as const, null, ''],
  ])('%s: 200 with a broken body', async (body, contentType, start) => {
    emulator.inject({ body, times: 1 });
    const response = await kitegateway();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(contentType);
    expect((await response.text()).startsWith(start)).toBe(true);
  });

  it('a given JSON or text body with any status', async () => {
    emulator.inject({ status: 401, body: { json: { error: 'custom' } }, times: 1 });
    expect(await (await kitegateway()).json()).toEqual({ error: 'custom' });
    emulator.inject({ status: 502, body: { text: 'upstream down', contentType: 'text/plain' }, times: 1 });
    const response = await kitegateway();
    expect([response.status, await response.text()]).toEqual([502, 'upstream down']);
  });
});

describe('faults: time', () => {
  it('delay: answers normally after the delay on the emulator timers', async () => {
    emulator.inject({ delay: 5_000, times: 1 });
    let settled = false;
    const pending = kitegateway().then((response) => ((settled = true), response));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await pending).status).toBe(200);
  });

  it('delay: the abort signal ends the wait with its reason', async () => {
    emulator.inject({ delay: 60_000, status: 500 });
    const controller = new AbortController();
    const pending = kitegateway({ signal: controller.signal });
    const reason = new Error('gave up');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('hang: never answers until aborted', async () => {
    emulator.inject({ hang: true, times: 1 });
    const controller = new AbortController();
    let settled = false;
    const pending = kitegateway({ signal: controller.signal }).finally(() => (settled = true));
    pending.catch(() => {});
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(settled).toBe(false);
    expect(emulator.requests).toHaveLength(1); // recorded before it hangs
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect((await kitegateway()).status).toBe(200);
  });

  it('hang + the core HTTP timeout → a timeout TokenError', async () => {
    const { createTokenStore } = await import('../../src/core/index.js');
    const { kitegateway: flow } = await import('../../src/providers/index.js');
    const store = createTokenStore({ fetch: emulator.fetch, http: { retries: 0, timeout: 2_000 } });
    try {
      emulator.inject({ hang: true });
      const pending = store.source(flow({ apiKey: 'kg_demo_api_key', secretKey: 'kg_demo_secret_key', baseUrl: emulator.baseUrl('kitegateway') })).get();
      pending.catch(() => {});
      await vi.advanceTimersByTimeAsync(2_000);
      await expect(pending).rejects.toMatchObject({ name: 'TokenError', code: 'timeout' });
    } finally {
      store.dispose();
    }
  });
});

describe('faults: omitted fields', () => {
  it('omit takes fields out of the normal answer, once; a core flow still gets a token (RFC 6749 §5.1)', async () => {
    const { clientCredentials, createTokenStore } = await import('../../src/core/index.js');
    emulator.inject({ provider: 'oauth2', omit: ['expires_in'], times: 1 });
    const request = () =>
      emulator.fetch('https://emulator.invalid/oauth2/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${btoa('demo-client:demo-secret')}` },
        body: 'grant_type=client_credentials',
      });
    const first = (await (await request()).json()) as Record<string, unknown>;
    expect(first).toMatchObject({ access_token: expect.any(String), token_type: 'Bearer' });
    expect(first).not.toHaveProperty('expires_in');
    expect(await (await request()).json()).toHaveProperty('expires_in', 3600);

    emulator.inject({ provider: 'oauth2', omit: ['expires_in'] });
    const store = createTokenStore({ fetch: emulator.fetch });
    const flow = clientCredentials({ tokenUrl: 'https://emulator.invalid/oauth2/token', clientId: 'demo-client', clientSecret: 'demo-secret', defaultExpiresIn: 120 });
    const token = await store.source(flow).get();
    expect(token.expiresAt - Date.now()).toBe(120_000);
    store.dispose();
  });
});
