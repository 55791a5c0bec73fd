// cybersource(): authorization code once, then rotating refresh tokens persisted through onRefreshToken,
// the refresh token's own expiry, and "re-authorize" errors when a code or refresh token is refused.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTokenStore, type TokenStore } from '../../src/core/index.js';
import { CYBERSOURCE_DEMO, createEmulator, type Emulator } from '../../src/emulator/index.js';
import { cybersource, type CyberSourceOptions } from '../../src/providers/index.js';
import { NOW, exposed, flowContext, hostRouter, manualClock, setup, tokenError, useFakeClock } from './_helpers.js';

const YEAR = 31_536_000_000;
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

const credentials = { clientId: CYBERSOURCE_DEMO.clientId, clientSecret: CYBERSOURCE_DEMO.clientSecret };
const options = (extra: Partial<CyberSourceOptions>): CyberSourceOptions => ({ ...credentials, baseUrl: emulator.baseUrl('cybersource'), ...extra });
const form = (index: number): Record<string, string> => Object.fromEntries(new URLSearchParams(emulator.requests[index]!.body));

describe('cybersource: authorization code, then refresh tokens', () => {
  it('exchanges the code with the documented request and persists the refresh token', async () => {
    const onRefreshToken = vi.fn();
    const code = emulator.cybersource.authorize();
    const token = await store.source(cybersource(options({ code, onRefreshToken, correlationId: 'corr-42' }))).get();
    const [request] = emulator.requests;
    expect(request).toMatchObject({ method: 'POST', url: 'https://emulator.invalid/cybersource/oauth2/v3/token' });
    expect(request!.headers).toMatchObject({
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json;charset=utf-8',
      'v-c-client-correlation-id': 'corr-42',
    });
    expect(request!.headers.authorization).toBeUndefined();
    expect(form(0)).toEqual({ grant_type: 'authorization_code', code, client_id: credentials.clientId, client_secret: credentials.clientSecret });
    expect(token).toMatchObject({ tokenType: 'Bearer', expiresAt: NOW + 900_000, refreshTokenExpiresAt: NOW + YEAR, scope: 'merchant_config' });
    expect(onRefreshToken).toHaveBeenCalledExactlyOnceWith(token.refreshToken, { expiresAt: NOW + YEAR });
  });

  it('refreshes through the store with the rotated token and persists each new one', async () => {
    const onRefreshToken = vi.fn();
    const source = store.source(cybersource(options({ code: emulator.cybersource.authorize(), onRefreshToken })));
    const first = await source.get();
    await vi.advanceTimersByTimeAsync(721_000); // the store refreshes at 80% of 15 minutes
    expect(emulator.requests).toHaveLength(2);
    expect(form(1)).toEqual({ grant_type: 'refresh_token', refresh_token: first.refreshToken, client_id: credentials.clientId, client_secret: credentials.clientSecret });
    const second = source.peek()!;
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.refreshTokenExpiresAt).toBe(NOW + 720_000 + YEAR); // refreshed at exactly 80% (jitter 0)
    expect(onRefreshToken).toHaveBeenCalledTimes(2);
    expect(onRefreshToken).toHaveBeenLastCalledWith(second.refreshToken, { expiresAt: second.refreshTokenExpiresAt });
    expect(emulator.cybersource.activeRefreshTokens()).toEqual([second.refreshToken]);
  });

  it('a cached token makes no request', async () => {
    const source = store.source(cybersource(options({ code: emulator.cybersource.authorize() })));
    await source.get();
    await vi.advanceTimersByTimeAsync(300_000);
    await source.get();
    await source.authorization();
    expect(emulator.requests).toHaveLength(1);
  });

  it('resumes from a persisted refresh token', async () => {
    const seed = await store.source(cybersource(options({ code: emulator.cybersource.authorize() }))).get();
    const resumed = await store.source(cybersource(options({ refreshToken: seed.refreshToken! }))).get();
    expect(form(1)).toMatchObject({ grant_type: 'refresh_token', refresh_token: seed.refreshToken });
    expect(resumed.refreshToken).not.toBe(seed.refreshToken);
  });

  it('picks the documented host per environment', async () => {
    const router = hostRouter(emulator);
    await store.source(cybersource({ ...credentials, code: emulator.cybersource.authorize(), fetch: router.fetch })).get();
    await store.source(cybersource({ ...credentials, code: emulator.cybersource.authorize(), environment: 'production', fetch: router.fetch })).get();
    expect(router.urls).toEqual(['https://api-matest.cybersource.com/oauth2/v3/token', 'https://api-ma.cybersource.com/oauth2/v3/token']);
  });
});

describe('cybersource: refused grants', () => {
  it('a code used twice → invalid_grant telling the user to re-authorize', async () => {
    const code = emulator.cybersource.authorize();
    await store.source(cybersource(options({ code }))).get();
    const again = createTokenStore({ fetch: emulator.fetch, http: { retries: 0 } });
    try {
      const error = await tokenError(again.source(cybersource(options({ code }))).get());
      expect(error).toMatchObject({ code: 'invalid_grant', status: 400, provider: 'cybersource' });
      expect(error.message).toMatch(/authorization code was rejected.*re-authorize: obtain a new authorization code/);
      expect(exposed(error)).not.toContain(code);
      expect(exposed(error)).not.toContain(credentials.clientSecret);
    } finally {
      again.dispose();
    }
  });

  it('a code older than 10 minutes → invalid_grant', async () => {
    const code = emulator.cybersource.authorize();
    await vi.advanceTimersByTimeAsync(600_000);
    expect((await tokenError(store.source(cybersource(options({ code }))).get())).code).toBe('invalid_grant');
  });

  it('a revoked refresh token → invalid_grant; it is never sent again', async () => {
    const clock = manualClock();
    const flow = cybersource(options({ code: emulator.cybersource.authorize(), fetch: emulator.fetch }));
    const ctx = flowContext(emulator.fetch, clock);
    const token = await flow.fetchToken(ctx);
    emulator.cybersource.revoke(token.refreshToken!);
    const error = await tokenError(flow.fetchToken(ctx));
    expect(error.code).toBe('invalid_grant');
    expect(error.message).toMatch(/refresh token was rejected.*re-authorize/);
    expect(exposed(error)).not.toContain(token.refreshToken);
    expect((await tokenError(flow.fetchToken(ctx))).code).toBe('invalid_grant');
    expect(emulator.requests).toHaveLength(2);
  });

  it('an expired refresh token → invalid_grant before any request', async () => {
    const clock = manualClock();
    const short = createEmulator({ clock, cybersource: { refreshTokenLifetime: 1800 } });
    const flow = cybersource({ ...credentials, code: short.cybersource.authorize(), baseUrl: short.baseUrl('cybersource'), fetch: short.fetch });
    const ctx = flowContext(short.fetch, clock);
    expect((await flow.fetchToken(ctx)).refreshTokenExpiresAt).toBe(NOW + 1_800_000);
    clock.advance(1_800_000);
    const error = await tokenError(flow.fetchToken(ctx));
    expect(error.code).toBe('invalid_grant');
    expect(error.message).toContain('refresh token has expired');
    expect(short.requests).toHaveLength(1);
  });

  it('keeps the refresh token expiry when a refresh does not rotate', async () => {
    const clock = manualClock();
    const still = createEmulator({ clock, cybersource: { rotateRefreshTokens: false } });
    const flow = cybersource({ ...credentials, code: still.cybersource.authorize(), baseUrl: still.baseUrl('cybersource'), fetch: still.fetch });
    const ctx = flowContext(still.fetch, clock);
    const first = await flow.fetchToken(ctx);
    clock.advance(60_000);
    const second = await flow.fetchToken(ctx);
    expect(second.refreshToken).toBe(first.refreshToken);
    expect(second.refreshTokenExpiresAt).toBe(NOW + 60_000 + YEAR); // renewed on use
  });

  it('a code is not spent by a server failure: the next attempt sends it again', async () => {
    const code = emulator.cybersource.authorize();
    const source = store.source(cybersource(options({ code })));
    emulator.inject({ provider: 'cybersource', status: 503, times: 1 });
    expect((await tokenError(source.get())).code).toBe('upstream_error');
    const token = await source.get();
    expect(token.refreshToken).toBeDefined();
    expect(form(1)).toMatchObject({ grant_type: 'authorization_code', code });
  });

  it('wrong secret → invalid_client (401)', async () => {
    const error = await tokenError(store.source(cybersource(options({ clientSecret: 'not-the-secret', code: emulator.cybersource.authorize() }))).get());
    expect(error).toMatchObject({ code: 'invalid_client', status: 401 });
    expect(exposed(error)).not.toContain('not-the-secret');
  });

  it('a code exchange without a refresh token in the answer → invalid_response', async () => {
    emulator.inject({ body: { json: { access_token: 'a', token_type: 'Bearer', expires_in: 900 } } });
    const error = await tokenError(store.source(cybersource(options({ code: emulator.cybersource.authorize() }))).get());
    expect(error.code).toBe('invalid_response');
    expect(error.message).toContain('refresh_token');
  });

  it('exactly one of code / refreshToken, else config', async () => {
    expect((await tokenError(() => cybersource(options({})))).code).toBe('config');
    expect((await tokenError(() => cybersource(options({ code: 'c', refreshToken: 'r' })))).code).toBe('config');
    expect((await tokenError(() => cybersource(options({ code: '' })))).code).toBe('config');
    expect(emulator.requests).toHaveLength(0);
  });
});
