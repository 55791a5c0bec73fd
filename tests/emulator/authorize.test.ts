// The emulators' authorize endpoints (what the Worker's vault onboarding redirects a browser to): consent
// already given, a redirect back with a single-use code and the state; bad requests are 400.
import { describe, expect, it } from 'vitest';
import { createPkce } from '../../src/core/index.js';
import { CYBERSOURCE_DEMO, OAUTH2_DEMO, createEmulator } from '../../src/emulator/index.js';

const form = (params: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
  body: new URLSearchParams(params),
});

describe('emulated authorize pages', () => {
  it('CyberSource Business Center: sub=oauth, client_id, redirect_url, state → redirect with code and state; the code exchanges once', async () => {
    const emulator = createEmulator();
    const page = new URL(`${emulator.baseUrl('cybersource')}/ebc2/oauth/authorize`);
    Object.entries({ sub: 'oauth', client_id: CYBERSOURCE_DEMO.clientId, redirect_url: 'https://mint.example/v1/vault/p/callback?x=1', state: 's-1' }).forEach(([k, v]) => page.searchParams.set(k, v));
    const response = await emulator.fetch(page.toString(), { redirect: 'manual' });
    expect(response.status).toBe(302);
    const back = new URL(response.headers.get('location')!);
    expect([back.origin + back.pathname, back.searchParams.get('x'), back.searchParams.get('state')]).toEqual(['https://mint.example/v1/vault/p/callback', '1', 's-1']);
    const code = back.searchParams.get('code')!;
    const token = `${emulator.baseUrl('cybersource')}/oauth2/v3/token`;
    const grant = { grant_type: 'authorization_code', code, client_id: CYBERSOURCE_DEMO.clientId, client_secret: CYBERSOURCE_DEMO.clientSecret };
    expect((await emulator.fetch(token, form(grant))).status).toBe(200);
    expect(((await (await emulator.fetch(token, form(grant))).json()) as { error: string }).error).toBe('invalid_grant');
    for (const bad of [{ sub: 'nope' }, { client_id: 'unknown' }, { redirect_url: 'not a url' }]) {
      const url = new URL(page);
      Object.entries(bad).forEach(([k, v]) => url.searchParams.set(k, v));
      expect((await emulator.fetch(url.toString(), { redirect: 'manual' })).status).toBe(400);
    }
  });

  it('RFC 6749 authorize: the code is bound to the redirect URI and the PKCE challenge', async () => {
    const emulator = createEmulator();
    const pkce = await createPkce();
    const page = new URL(`${emulator.baseUrl('oauth2')}/authorize`);
    Object.entries({ response_type: 'code', client_id: OAUTH2_DEMO.clientId, redirect_uri: 'https://mint.example/cb', state: 's-2', code_challenge: pkce.codeChallenge, code_challenge_method: 'S256' }).forEach(([k, v]) =>
      page.searchParams.set(k, v),
    );
    const back = new URL((await emulator.fetch(page.toString(), { redirect: 'manual' })).headers.get('location')!);
    expect(back.searchParams.get('state')).toBe('s-2');
    const exchange = (verifier: string, code = back.searchParams.get('code')!) =>
      emulator.fetch(`${emulator.baseUrl('oauth2')}/token`, form({ grant_type: 'authorization_code', code, redirect_uri: 'https://mint.example/cb', code_verifier: verifier, ...{ client_id: OAUTH2_DEMO.clientId, client_secret: OAUTH2_DEMO.clientSecret } }));
    expect((await exchange('wrong'.repeat(10))).status).toBe(400);
    const second = new URL((await emulator.fetch(page.toString(), { redirect: 'manual' })).headers.get('location')!);
    expect((await exchange(pkce.codeVerifier, second.searchParams.get('code')!)).status).toBe(200);
    const plain = new URL(page);
    plain.searchParams.set('code_challenge_method', 'plain');
    expect((await emulator.fetch(plain.toString(), { redirect: 'manual' })).status).toBe(400);
  });
});
