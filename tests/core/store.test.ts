import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TokenError, createTokenStore, type AccessToken, type TokenFlow } from '../../src/core/index.js';
import { hang, json } from '../helpers/oauth-server.js';
import { SECRET, _advance, _flush, _settledNow, _setup } from './_store-helpers.js';

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('serving from memory', () => {
  it('fetches once, then serves the same token from memory with no request', async () => {
    const { server, source } = _setup();
    const first = await source.get();
    expect(first).toMatchObject({ tokenType: 'Bearer', scope: 'read', expiresAt: Date.now() + 3_600_000 });
    const second = await source.get();
    expect(second).toBe(first);
    expect(source.peek()).toBe(first);
    expect(server.requests).toHaveLength(1);
  });

  it('returns the same promise for every cache hit (nothing allocated per call)', async () => {
    const { source } = _setup();
    await source.get();
    expect(source.get()).toBe(source.get());
  });

  it('gives the Authorization header value', async () => {
    const { source } = _setup();
    const token = await source.get();
    await expect(source.authorization()).resolves.toBe(`Bearer ${token.accessToken}`);
  });

  it('peek() never fetches and is undefined before the first token', () => {
    const { server, source } = _setup();
    expect(source.peek()).toBeUndefined();
    expect(server.requests).toHaveLength(0);
  });

  it('same flow key -> same source; other secret -> other source', () => {
    const { store, source, flow } = _setup();
    expect(store.source(flow())).toBe(source);
    expect(store.source(flow('write'))).not.toBe(source);
    expect(store.size).toBe(2);
  });

  it('refuses something that is not a flow with a config error', () => {
    const { store } = _setup();
    expect(() => store.source({} as TokenFlow)).toThrowError(expect.objectContaining({ code: 'config' }));
  });
});

describe('single flight', () => {
  it('10,000 concurrent cold get() send exactly one upstream request', async () => {
    const { server, source } = _setup();
    const gate = server.hold();
    const calls = Array.from({ length: 10_000 }, () => source.get());
    await _flush();
    gate.release();
    const tokens = await Promise.all(calls);
    expect(server.requests).toHaveLength(1);
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
  });

  it('refresh() joins a fetch already under way', async () => {
    const { server, source } = _setup();
    const gate = server.hold();
    const a = source.get();
    const b = source.refresh();
    gate.release();
    expect((await a).accessToken).toBe((await b).accessToken);
    expect(server.requests).toHaveLength(1);
  });

  it('never caches a rejection: the next get() asks again', async () => {
    const { server, source } = _setup();
    server.failNext(3, () => json(503, { error: 'temporarily_unavailable' }));
    const failed = source.get().catch((e: unknown) => e);
    await _advance(30_000); // lets the HTTP helper's retries run
    expect(await failed).toMatchObject({ code: 'upstream_error', status: 503 });
    const token = await source.get();
    expect(token.accessToken).toBe(server.issued[0]);
    expect(server.requests).toHaveLength(4);
  });
});

describe('proactive refresh', () => {
  it('refreshes from the timer at ~80% of the lifetime minus jitter, with no caller', async () => {
    const { server, source, events } = _setup();
    const first = await source.get();
    // random() = 0.5 → 0.8 − 0.05·0.5 = 77.5% of 3600 s = 2790 s.
    await _advance(2_789_000);
    expect(server.requests).toHaveLength(1);
    await _advance(1_000);
    expect(server.requests).toHaveLength(2);
    expect(source.peek()?.accessToken).not.toBe(first.accessToken);
    expect(events.filter((e) => e.type === 'token').map((e) => e.type === 'token' && e.reason)).toEqual(['initial', 'refresh']);
  });

  it('refreshes no later than the safety margin before expiry', async () => {
    const { server, source } = _setup({ server: { expiresIn: 200 }, store: { refresh: { margin: 60_000 } } });
    await source.get();
    // 77.5% of 200 s = 155 s, but expiry − 60 s = 140 s comes first.
    await _advance(139_000);
    expect(server.requests).toHaveLength(1);
    await _advance(1_000);
    expect(server.requests).toHaveLength(2);
  });

  it('short-lived tokens refresh at half-life instead of in a loop', async () => {
    const { server, source } = _setup({ server: { expiresIn: 20 } });
    await source.get();
    await _advance(9_999);
    expect(server.requests).toHaveLength(1);
    await _advance(1);
    expect(server.requests).toHaveLength(2);
    await _advance(100_000);
    expect(server.requests.length).toBeLessThanOrEqual(12); // one per ~10 s, not a tight loop
  });

  it('callers keep getting the old token, without waiting, while a refresh is under way', async () => {
    const { server, source } = _setup();
    const first = await source.get();
    const gate = server.hold();
    await _advance(2_790_000); // the refresh starts and is held upstream
    expect(server.requests).toHaveLength(2);
    const during = source.get();
    expect(await _settledNow(during)).toBe(true);
    expect(await during).toBe(first);
    gate.release();
    await _flush();
    expect((await source.get()).accessToken).toBe(server.issued[1]);
  });

  it('jitter spreads refreshes of sources created together', async () => {
    const { server, flow } = _setup();
    const refreshAts: number[] = [];
    const store = createTokenStore({ fetch: server.fetch, onEvent: (e) => e.type === 'token' && refreshAts.push(e.refreshAt) });
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((scope) => store.source(flow(scope)).get()));
    expect(new Set(refreshAts).size).toBe(5);
    for (const at of refreshAts) {
      expect(at - Date.now()).toBeGreaterThanOrEqual(0.75 * 3_600_000);
      expect(at - Date.now()).toBeLessThanOrEqual(0.8 * 3_600_000);
    }
    store.dispose();
  });
});

describe('one timer for the whole store', () => {
  it('drives 500 sources with a single timer, and dispose clears it', async () => {
    const { store, flow } = _setup();
    await Promise.all(Array.from({ length: 500 }, (_, i) => store.source(flow(`s${i}`)).get()));
    expect(vi.getTimerCount()).toBe(1);
    store.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('fires sources in due order as the lifetimes differ', async () => {
    let n = 0;
    const { store, server, flow } = _setup({ server: { expiresIn: () => [100, 300, 200][n++ % 3]! } });
    const sources = ['a', 'b', 'c'].map((scope) => store.source(flow(scope)));
    for (const s of sources) await s.get();
    await _advance(70_000); // 100 s token: refresh at max(min(77.5 s, 40 s), 50 s) = 50 s
    expect(server.requests.map((r) => r.params.get('scope'))).toEqual(['a', 'b', 'c', 'a']);
    await _advance(90_000); // 200 s token at 140 s
    expect(server.requests.map((r) => r.params.get('scope')).slice(4)).toContain('c');
    expect(vi.getTimerCount()).toBe(1);
  });
});

describe('failed refreshes', () => {
  it('keeps serving the valid token, retries with backoff, and recovers', async () => {
    const { server, source, events } = _setup({ store: { http: { retries: 0 } } });
    const first = await source.get();
    server.failNext(3, () => json(503, {}));
    await _advance(2_790_000);
    expect(events.at(-1)).toMatchObject({ type: 'refresh-error', code: 'upstream_error', attempt: 1 });
    expect(await source.get()).toBe(first);
    await _advance(120_000); // backoff retries: the 4th attempt succeeds
    expect(server.requests).toHaveLength(5);
    expect(source.peek()?.accessToken).toBe(server.issued[1]);
    expect(events.filter((e) => e.type === 'refresh-error')).toHaveLength(3);
  });

  it('serves the old token until expiry, then callers see the typed error', async () => {
    const { server, source } = _setup({ store: { http: { retries: 0 } } });
    const first = await source.get();
    server.failNext(10_000, () => json(500, { error: 'server_error' }));
    await _advance(2_790_000);
    for (let t = 0; t < 800; t += 10) {
      expect(await source.get()).toBe(first); // never a failure while the token is valid
      await _advance(10_000);
    }
    // 3600 s lifetime, 5 s leeway: past 3595 s the token is no longer handed out.
    await _advance(3_595_000 - (Date.now() - new Date('2026-01-01T00:00:00Z').getTime()));
    const error = await source.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenError);
    expect(error).toMatchObject({ code: 'upstream_error', status: 500 });
    expect(source.peek()).toBeUndefined();
  });

  it('waits at least as long as Retry-After before retrying a rate-limited refresh', async () => {
    const { server, source, events } = _setup({ store: { http: { retries: 0 } } });
    await source.get();
    server.failNext(1, () => json(429, { error: 'slow_down' }, { 'retry-after': '120' }));
    await _advance(2_790_000);
    expect(events.at(-1)).toMatchObject({ type: 'refresh-error', code: 'rate_limited', retryAt: Date.now() + 120_000 });
    await _advance(119_000);
    expect(server.requests).toHaveLength(2);
    await _advance(1_000);
    expect(server.requests).toHaveLength(3);
  });
});

describe('on access (Workers) instead of timers', () => {
  it('runs no timer; a get() after the refresh point returns the old token and refreshes in waitUntil', async () => {
    const { server, source } = _setup({ store: { timers: false } });
    const first = await source.get();
    expect(vi.getTimerCount()).toBe(0);
    await _advance(2_790_000);
    expect(server.requests).toHaveLength(1); // nothing happens between requests
    const waited: Promise<unknown>[] = [];
    expect(await source.get({ waitUntil: (p) => waited.push(p) })).toBe(first);
    expect(waited).toHaveLength(1);
    await waited[0];
    expect(server.requests).toHaveLength(2);
    expect(source.peek()?.accessToken).toBe(server.issued[1]);
  });

  it('starts one background refresh however many requests arrive during it', async () => {
    const { server, source } = _setup({ store: { timers: false } });
    await source.get();
    await _advance(2_790_000);
    const gate = server.hold();
    await Promise.all(Array.from({ length: 100 }, () => source.get()));
    gate.release();
    await _flush();
    expect(server.requests).toHaveLength(2);
  });
});

describe('idle sources', () => {
  it('stop refreshing when nobody used them for a whole lifetime, and resume on access', async () => {
    const { server, source, events } = _setup({ server: { expiresIn: 600 }, store: { refresh: { idleAfter: 60_000 } } });
    await source.get();
    await _advance(465_000); // first refresh (77.5% of 600 s): used within a lifetime, so it runs
    expect(server.requests).toHaveLength(2);
    await _advance(600_000); // no caller since: the next due time finds it idle
    expect(events.at(-1)).toMatchObject({ type: 'idle' });
    expect(server.requests).toHaveLength(2);
    await _advance(3_600_000);
    expect(server.requests).toHaveLength(2);
    await source.get(); // expired: a caller fetches again
    expect(server.requests).toHaveLength(3);
  });
});

describe('invalidate, dispose', () => {
  it('invalidate() forgets the token; the next get() fetches', async () => {
    const { server, source, events } = _setup();
    await source.get();
    source.invalidate();
    expect(source.peek()).toBeUndefined();
    await source.get();
    expect(server.requests).toHaveLength(2);
    expect(events.map((e) => e.type)).toContain('invalidate');
  });

  it('dispose() aborts requests under way, clears the timer, and refuses later calls', async () => {
    const { server, store, source } = _setup();
    server.failNext(1, (_, signal) => hang(signal));
    const pending = source.get().catch((e: unknown) => e);
    await _flush();
    store.dispose();
    expect(await pending).toMatchObject({ code: 'aborted' });
    expect(vi.getTimerCount()).toBe(0);
    await expect(source.get()).rejects.toMatchObject({ code: 'aborted' });
    await expect(source.refresh()).rejects.toMatchObject({ code: 'aborted' });
  });

  it('supports `using` and `await using`', async () => {
    const { store, source } = _setup();
    await source.get();
    {
      using _ = store;
    }
    expect(vi.getTimerCount()).toBe(0);
    const other = _setup();
    other.server.failNext(1, (_, signal) => hang(signal));
    const pending = other.source.get().catch((e: unknown) => e);
    await _flush();
    await other.store[Symbol.asyncDispose]();
    expect(await pending).toMatchObject({ code: 'aborted' });
  });
});

describe('events and hooks', () => {
  it('events carry keys and times, never a token or a secret', async () => {
    const { server, source, events, store, flow } = _setup({ store: { http: { retries: 0 } } });
    await source.get();
    server.failNext(2, () => json(401, { error: 'invalid_client', error_description: `bad secret ${SECRET}` }));
    await _advance(2_790_000);
    await _advance(10_000);
    await store.source(flow('x')).get().catch(() => {});
    const text = JSON.stringify(events);
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(text).not.toContain(SECRET);
    for (const token of server.issued) expect(text).not.toContain(token);
  });

  it('a throwing listener does not break delivery', async () => {
    const { source } = _setup({ store: { onEvent: () => { throw new Error('listener'); } } });
    await expect(source.get()).resolves.toMatchObject({ tokenType: 'Bearer' });
  });

  it('a custom flow that throws is wrapped in an upstream_error without repeating its message', async () => {
    const store = createTokenStore();
    const flow: TokenFlow = { key: 'custom', browserSafe: false, fetchToken: async () => { throw new Error(`boom ${SECRET}`); } };
    const error = await store.source(flow).get().catch((e: unknown) => e as TokenError);
    expect(error).toMatchObject({ code: 'upstream_error' });
    expect((error as TokenError).message).not.toContain(SECRET);
  });

  it('a custom flow returning an expired or empty token is an invalid_response', async () => {
    const store = createTokenStore();
    const bad = (token: Partial<AccessToken>): TokenFlow => ({ key: JSON.stringify(token), browserSafe: false, fetchToken: async () => token as AccessToken });
    await expect(store.source(bad({ accessToken: '', tokenType: 'Bearer', expiresAt: Date.now() + 1000 })).get()).rejects.toMatchObject({ code: 'invalid_response' });
    await expect(store.source(bad({ accessToken: 'a', tokenType: 'Bearer', expiresAt: Date.now() - 1 })).get()).rejects.toMatchObject({ code: 'invalid_response' });
  });

  it('lifetimes are capped at maxLifetime', async () => {
    const { server, source } = _setup({ server: { expiresIn: 10 ** 9 } });
    await source.get();
    await _advance(86_400_000);
    expect(server.requests.length).toBeGreaterThanOrEqual(2);
  });

  it('rejects a bad refresh policy with a config error', () => {
    expect(() => createTokenStore({ refresh: { ratio: 1.5 } })).toThrowError(expect.objectContaining({ code: 'config' }));
  });
});

describe('retries near expiry', () => {
  it('never waits past half the valid time left, so a late recovery is caught before expiry', async () => {
    // 120 s tokens, usable until 115 s (5 s leeway): refresh at 60 s (expiry − 60 s margin); a 40 s
    // backoff base would otherwise overshoot the validity within two attempts.
    const { server, source, events } = _setup({ server: { expiresIn: 120 }, store: { http: { retries: 0 }, retry: { base: 40_000, max: 60_000 }, random: () => 1 } });
    const first = await source.get();
    server.failNext(2, () => json(503, {}));
    await _advance(60_000); // refresh fails; next try at most (115 − 60) / 2 = 27.5 s later
    const retries = events.filter((e) => e.type === 'refresh-error');
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ retryAt: Date.now() + 27_500 });
    await _advance(27_500); // fails again; then at most (115 − 87.5) / 2 = 13.75 s
    expect(events.at(-1)).toMatchObject({ type: 'refresh-error', retryAt: Date.now() + 13_750 });
    await _advance(13_750); // the upstream is back: renewed before the 115 s mark
    expect(source.peek()?.accessToken).not.toBe(first.accessToken);
    expect(Date.now() - new Date('2026-01-01T00:00:00Z').getTime()).toBeLessThan(115_000);
  });
});
