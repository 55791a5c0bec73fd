// openBankingPlatform(): client credentials in the body, the scope vocabulary enforced before any request;
// openBankingPlatformAuthorizationCode(): the SCA code exchange with its consent or payment headers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TokenStore } from '../../src/core/index.js';
import { OPEN_BANKING_DEMO, type Emulator } from '../../src/emulator/index.js';
import { openBankingPlatform, openBankingPlatformAuthorizationCode, openBankingScope } from '../../src/providers/index.js';
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

const credentials = { clientId: OPEN_BANKING_DEMO.clientId, clientSecret: OPEN_BANKING_DEMO.clientSecret };
const form = (index = 0): Record<string, string> => Object.fromEntries(new URLSearchParams(emulator.requests[index]!.body));

describe('openBankingPlatform: client credentials', () => {
  it('sends id and secret in the form body and returns the Bearer token', async () => {
    const token = await store.source(openBankingPlatform({ ...credentials, scope: 'accountinformation private', baseUrl: emulator.baseUrl('openbanking') })).get();
    const [request] = emulator.requests;
    expect(request).toMatchObject({ method: 'POST', url: 'https://emulator.invalid/openbanking/connect/token' });
    expect(request!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request!.headers.authorization).toBeUndefined();
    expect(form()).toEqual({ grant_type: 'client_credentials', scope: 'accountinformation private', ...{ client_id: credentials.clientId, client_secret: credentials.clientSecret } });
    expect(token).toMatchObject({ tokenType: 'Bearer', expiresAt: NOW + 3_600_000, scope: 'accountinformation private' });
  });

  it('takes the scope as an array and combines API scopes', async () => {
    await store.source(openBankingPlatform({ ...credentials, scope: ['aspspinformation', 'paymentinitiation', 'corporate'], baseUrl: emulator.baseUrl('openbanking') })).get();
    expect(form().scope).toBe('aspspinformation paymentinitiation corporate');
  });

  it('picks the documented auth host per environment', async () => {
    const router = hostRouter(emulator);
    await store.source(openBankingPlatform({ ...credentials, scope: 'accountinformation private', fetch: router.fetch })).get();
    await store.source(openBankingPlatform({ ...credentials, scope: 'accountinformation private', environment: 'production', fetch: router.fetch })).get();
    expect(router.urls).toEqual(['https://auth.sandbox.openbankingplatform.com/connect/token', 'https://auth.openbankingplatform.com/connect/token']);
  });

  it('one source per PSU context, each cached', async () => {
    const priv = store.source(openBankingPlatform({ ...credentials, scope: 'accountinformation private', baseUrl: emulator.baseUrl('openbanking') }));
    const corp = store.source(openBankingPlatform({ ...credentials, scope: 'accountinformation corporate', baseUrl: emulator.baseUrl('openbanking') }));
    expect(priv).not.toBe(corp);
    await priv.get();
    await priv.get();
    await corp.get();
    expect(emulator.requests).toHaveLength(2);
  });

  it.each([
    ['no PSU context', 'accountinformation'],
    ['no API scope', 'private'],
    ['both contexts', 'accountinformation private corporate'],
    ['an unknown scope', 'accountinformation payments private'],
    ['a repeated scope', 'accountinformation accountinformation private'],
    ['nothing', ''],
  ])('bad scope (%s) → invalid_scope before any request', async (_, scope) => {
    const error = await tokenError(() => openBankingPlatform({ ...credentials, scope, fetch: emulator.fetch }));
    expect(error).toMatchObject({ code: 'invalid_scope', provider: 'openbanking' });
    expect(emulator.requests).toHaveLength(0);
  });

  it('never quotes an unknown scope value back (it may be a misplaced secret)', async () => {
    const error = await tokenError(() => openBankingScope('accountinformation private obp-secret-value'));
    expect(exposed(error)).not.toContain('obp-secret-value');
  });

  it('wrong secret → invalid_client, the secret nowhere in the error', async () => {
    const error = await tokenError(store.source(openBankingPlatform({ ...credentials, clientSecret: 'wrong-secret-789', scope: 'accountinformation private', baseUrl: emulator.baseUrl('openbanking') })).get());
    expect(error).toMatchObject({ code: 'invalid_client', status: 400 });
    expect(exposed(error)).not.toContain('wrong-secret-789');
  });

  it('missing credentials → config', async () => {
    expect((await tokenError(() => openBankingPlatform({ ...credentials, clientSecret: '', scope: 'accountinformation private' }))).code).toBe('config');
  });
});

describe('openBankingPlatformAuthorizationCode: redirect SCA', () => {
  const redirectUri = 'https://merchant.example/sca/callback';
  const consent = { consentId: 'consent-1', consentAuthorisationId: 'auth-1' };

  it('exchanges the code with the consent headers, once', async () => {
    const code = emulator.openbanking.authorize({ ...consent, redirectUri });
    const flow = openBankingPlatformAuthorizationCode({ ...credentials, ...consent, code, redirectUri, scope: 'accountinformation private', baseUrl: emulator.baseUrl('openbanking') });
    const source = store.source(flow);
    const token = await source.get();
    expect(token).toMatchObject({ tokenType: 'Bearer', expiresAt: NOW + 3_600_000 });
    expect(emulator.requests[0]!.headers).toMatchObject({ 'x-consentid': 'consent-1', 'x-consentauthorisationid': 'auth-1' });
    expect(form()).toEqual({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      scope: 'accountinformation private',
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
    });
    // The code is spent: after expiry the user has to authorise again, and nothing is sent.
    await vi.advanceTimersByTimeAsync(3_600_000);
    const error = await tokenError(source.get());
    expect(error.code).toBe('invalid_grant');
    expect(emulator.requests).toHaveLength(1);
  });

  it('sends the payment pair for a payment authorisation', async () => {
    const payment = { paymentId: 'pay-1', paymentAuthorisationId: 'pauth-1' };
    const code = emulator.openbanking.authorize({ ...payment, redirectUri });
    await store.source(openBankingPlatformAuthorizationCode({ ...credentials, ...payment, code, redirectUri, scope: 'paymentinitiation private', baseUrl: emulator.baseUrl('openbanking') })).get();
    expect(emulator.requests[0]!.headers).toMatchObject({ 'x-paymentid': 'pay-1', 'x-paymentauthorisationid': 'pauth-1' });
    expect(emulator.requests[0]!.headers['x-consentid']).toBeUndefined();
  });

  it('a code for another consent, or older than 10 minutes → invalid_grant', async () => {
    const code = emulator.openbanking.authorize({ ...consent, redirectUri });
    const other = openBankingPlatformAuthorizationCode({ ...credentials, consentId: 'consent-2', consentAuthorisationId: 'auth-2', code, redirectUri, scope: 'accountinformation private', baseUrl: emulator.baseUrl('openbanking') });
    expect((await tokenError(store.source(other).get())).code).toBe('invalid_grant');

    const late = emulator.openbanking.authorize({ ...consent, redirectUri });
    await vi.advanceTimersByTimeAsync(601_000);
    const flow = openBankingPlatformAuthorizationCode({ ...credentials, ...consent, code: late, redirectUri, scope: 'accountinformation private', baseUrl: emulator.baseUrl('openbanking') });
    const error = await tokenError(store.source(flow).get());
    expect(error.code).toBe('invalid_grant');
    expect(exposed(error)).not.toContain(late);
  });

  it('needs exactly one authorisation pair, and a valid scope, before any request', async () => {
    const base = { ...credentials, code: 'c', redirectUri, scope: 'accountinformation private', fetch: emulator.fetch };
    const cases: unknown[] = [
      base,
      { ...base, consentId: 'c1' },
      { ...base, ...consent, paymentId: 'p1', paymentAuthorisationId: 'pa1' },
    ];
    for (const options of cases) {
      expect((await tokenError(() => openBankingPlatformAuthorizationCode(options as Parameters<typeof openBankingPlatformAuthorizationCode>[0]))).code).toBe('config');
    }
    expect((await tokenError(() => openBankingPlatformAuthorizationCode({ ...base, ...consent, scope: 'corporate' }))).code).toBe('invalid_scope');
    expect(emulator.requests).toHaveLength(0);
  });
});
