// The built-in generic OAuth 2 endpoint, driven by the core flows (the README quick-start included).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { authorizationCode, clientCredentials, createPkce, refreshTokenFlow, tokenExchange, type TokenStore } from '../../src/core/index.js';
import { OAUTH2_DEMO, OAUTH2_PUBLIC_DEMO, type Emulator } from '../../src/emulator/index.js';
import { NOW, setup, tokenError, useFakeClock } from '../providers/_helpers.js';

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

const tokenUrl = (): string => `${emulator.baseUrl('oauth2')}/token`;

describe('oauth2 emulator', () => {
  it('README quick-start: concurrent callers share one client_credentials request', async () => {
    const payments = store.source(clientCredentials({ tokenUrl: 'https://emulator.tokenmint.local/oauth2/token', ...OAUTH2_DEMO, scope: 'payments' }));
    const [a, b] = await Promise.all([payments.get(), payments.get()]);
    expect(a).toBe(b);
    expect(emulator.requests).toHaveLength(1);
    expect(emulator.requests[0]!.headers.authorization).toMatch(/^Basic /);
    expect(a).toMatchObject({ tokenType: 'Bearer', expiresAt: NOW + 3_600_000, scope: 'payments' });
  });

  it('authorization code with PKCE, then rotating refresh tokens', async () => {
    const pkce = await createPkce();
    const code = emulator.oauth2.authorize({ redirectUri: 'https://app.example/cb', codeChallenge: pkce.codeChallenge });
    const onRefreshToken = vi.fn();
    const source = store.source(authorizationCode({ tokenUrl: tokenUrl(), ...OAUTH2_DEMO, code, redirectUri: 'https://app.example/cb', codeVerifier: pkce.codeVerifier, onRefreshToken }));
    const first = await source.get();
    const second = await source.refresh();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(onRefreshToken).toHaveBeenCalledTimes(2);
    expect(new URLSearchParams(emulator.requests[1]!.body).get('grant_type')).toBe('refresh_token');
  });

  it('refuses a wrong PKCE verifier, a spent code and a revoked refresh token with invalid_grant', async () => {
    const pkce = await createPkce();
    const code = emulator.oauth2.authorize({ codeChallenge: pkce.codeChallenge });
    expect((await tokenError(store.source(authorizationCode({ tokenUrl: tokenUrl(), ...OAUTH2_DEMO, code, codeVerifier: 'wrong'.repeat(10) })).get())).code).toBe('invalid_grant');
    const seed = await store.source(authorizationCode({ tokenUrl: tokenUrl(), ...OAUTH2_DEMO, code: emulator.oauth2.authorize() })).get();
    emulator.oauth2.revoke(seed.refreshToken!);
    expect((await tokenError(store.source(refreshTokenFlow({ tokenUrl: tokenUrl(), ...OAUTH2_DEMO, refreshToken: seed.refreshToken! })).get())).code).toBe('invalid_grant');
  });

  it('token exchange and client authentication in the body', async () => {
    const token = await store.source(tokenExchange({ tokenUrl: tokenUrl(), ...OAUTH2_DEMO, auth: 'client_secret_post', subjectToken: 'subject', subjectTokenType: 'urn:ietf:params:oauth:token-type:access_token' })).get();
    expect(token.tokenType).toBe('Bearer');
    expect(new URLSearchParams(emulator.requests[0]!.body).get('client_secret')).toBe(OAUTH2_DEMO.clientSecret);
  });

  it('wrong secret → 401 invalid_client with WWW-Authenticate', async () => {
    const response = await emulator.fetch(tokenUrl(), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&client_id=demo-client&client_secret=nope' });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('Basic');
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });

  describe('public PKCE client (a browser app: no secret)', () => {
    const redirectUri = 'https://app.example/callback';

    it('exchanges a code with its S256 verifier and refreshes with rotation, sending only client_id', async () => {
      const pkce = await createPkce();
      const code = emulator.oauth2.authorize({ clientId: OAUTH2_PUBLIC_DEMO.clientId, redirectUri, codeChallenge: pkce.codeChallenge });
      const source = store.source(authorizationCode({ tokenUrl: tokenUrl(), clientId: OAUTH2_PUBLIC_DEMO.clientId, code, redirectUri, codeVerifier: pkce.codeVerifier }));
      const first = await source.get();
      const second = await source.refresh();
      expect(first.refreshToken).toMatch(/^rt_/);
      expect(second.refreshToken).not.toBe(first.refreshToken);
      for (const request of emulator.requests) {
        expect(request.headers.authorization).toBeUndefined();
        const form = new URLSearchParams(request.body);
        expect(form.get('client_id')).toBe('demo-spa');
        expect(form.has('client_secret')).toBe(false);
      }
    });

    it('is refused a code without a PKCE challenge, a wrong verifier, a secret, and the client credentials grant', async () => {
      expect(() => emulator.oauth2.authorize({ clientId: OAUTH2_PUBLIC_DEMO.clientId, redirectUri })).toThrow(/PKCE/);
      const pkce = await createPkce();
      const code = emulator.oauth2.authorize({ clientId: OAUTH2_PUBLIC_DEMO.clientId, codeChallenge: pkce.codeChallenge });
      const wrong = await tokenError(store.source(authorizationCode({ tokenUrl: tokenUrl(), clientId: OAUTH2_PUBLIC_DEMO.clientId, code, codeVerifier: 'x'.repeat(43) })).get());
      expect(wrong.code).toBe('invalid_grant');
      const post = (body: string): Promise<Response> =>
        emulator.fetch(tokenUrl(), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
      const withSecret = await post('grant_type=client_credentials&client_id=demo-spa&client_secret=guess');
      expect(withSecret.status).toBe(401);
      const credentials = await post('grant_type=client_credentials&client_id=demo-spa');
      expect(credentials.status).toBe(400);
      expect(await credentials.json()).toMatchObject({ error: 'unauthorized_client' });
      const unknown = await post('grant_type=authorization_code&client_id=someone-else&code=x');
      expect(unknown.status).toBe(401);
    });
  });
});
