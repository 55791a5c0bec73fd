// A provider whose flow starts from an authorization code says how a merchant grants access in its
// descriptor (`codeGrant`), and the Worker's vault part builds its onboarding from that alone: the
// authorize page and its query, PKCE when the page takes it, the code exchanged and the refresh token
// used through the descriptor's flow. Shown on CyberSource's descriptor and on a test-only one that
// reuses CyberSource's flow under another name, with a PKCE page of its own.
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { CYBERSOURCE_DEMO, createEmulator } from '../../src/emulator/index.js';
import { CYBERSOURCE_HOSTS, CYBERSOURCE_PROVIDER, cybersource, defineProvider } from '../../src/providers/index.js';
import { VAULT_PROVIDERS, codeGrantEntries } from '../../src/worker/vault/providers.js';

const ACME_BANK = defineProvider(cybersource, {
  name: 'acmeBank',
  emulatorPrefix: 'cybersource',
  hosts: CYBERSOURCE_HOSTS,
  credentials: { clientId: 'ACMEBANK_CLIENT_ID', clientSecret: 'ACMEBANK_CLIENT_SECRET' },
  identifiers: ['clientId'],
  configFields: ['code', 'refreshToken'],
  codeGrant: {
    authorizeUrls: { sandbox: 'https://sandbox.acmebank.example/oauth/authorize', production: 'https://acmebank.example/oauth/authorize' },
    authorizeQuery: ({ clientId, redirectUri, state }) => ({ response_type: 'code', client_id: clientId, redirect_uri: redirectUri, state }),
    pkce: true,
    seedSecret: 'ACMEBANK_REFRESH_TOKEN',
  },
});

const signal = new AbortController().signal;
const request = { state: 'st-1', redirectUri: 'https://mint.example/v1/vault/bank/callback', codeChallenge: 'challenge-1' };
const input = (options: Record<string, unknown> = { environment: 'production' }) => ({ credentials: { ...CYBERSOURCE_DEMO }, options });

describe('a code grant described once', () => {
  it('CyberSource’s entry is built from its descriptor: the Business Center page, its parameter names, no PKCE', () => {
    const entry = VAULT_PROVIDERS.cybersource!;
    expect(entry).toMatchObject({ secrets: CYBERSOURCE_PROVIDER.credentials, emulatorPrefix: 'cybersource', environments: true });
    expect(entry.vault).toMatchObject({ seedSecret: 'CYBERSOURCE_REFRESH_TOKEN', pkce: false });
    const url = new URL(entry.vault!.authorizeUrl(input({ environment: 'sandbox' }), request));
    expect(url.origin + url.pathname).toBe('https://businesscentertest.cybersource.com/ebc2/oauth/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({ sub: 'oauth', client_id: CYBERSOURCE_DEMO.clientId, redirect_url: request.redirectUri, state: 'st-1' });
  });

  it('another descriptor gets its own page and query, PKCE when its page takes it, and a profile’s authorizeUrl replacing the page', () => {
    const entry = codeGrantEntries([ACME_BANK]).acmeBank!;
    expect(entry).toMatchObject({ secrets: ACME_BANK.credentials, vault: { seedSecret: 'ACMEBANK_REFRESH_TOKEN', pkce: true } });
    const url = new URL(entry.vault!.authorizeUrl(input(), request));
    expect(url.origin + url.pathname).toBe('https://acmebank.example/oauth/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({ response_type: 'code', client_id: CYBERSOURCE_DEMO.clientId, redirect_uri: request.redirectUri, state: 'st-1', code_challenge: 'challenge-1', code_challenge_method: 'S256' });
    expect(entry.vault!.authorizeUrl(input({ environment: 'production', authorizeUrl: 'https://login.acmebank.example/authorize' }), request)).toMatch(/^https:\/\/login\.acmebank\.example\/authorize\?/);
    // The dev emulator serves the page under the documented path.
    expect(entry.vault!.authorizeUrl(input(), { ...request, emulatorBase: 'http://127.0.0.1:8787/__emulator/cybersource' })).toMatch(/^http:\/\/127\.0\.0\.1:8787\/__emulator\/cybersource\/oauth\/authorize\?/);
  });

  it('its profile options are strict: the host, the onboarding options and an mTLS binding, nothing else', () => {
    const { options } = codeGrantEntries([ACME_BANK]).acmeBank!;
    expect(v.safeParse(options, { environment: 'sandbox', authorizeUrl: 'https://login.acmebank.example/authorize', seedSecret: 'BANK_RT', mtlsBinding: 'BANK_MTLS' }).success).toBe(true);
    const refused = v.safeParse(options, { environment: 'sandbox', scope: 'payments' });
    expect(refused.success).toBe(false);
    expect(v.flatten(refused.issues ?? []).nested).toHaveProperty('scope');
  });

  it('the code is exchanged, and the refresh token used, through the descriptor’s flow', async () => {
    const emulator = createEmulator();
    const entry = codeGrantEntries([ACME_BANK]).acmeBank!;
    const upstream = { ...input(), baseUrl: emulator.baseUrl('cybersource'), fetch: emulator.fetch };
    const refreshTokens: string[] = [];
    const exchange = entry.vault!.exchange(upstream, { code: emulator.cybersource.authorize(), redirectUri: request.redirectUri });
    const first = await exchange.fetchToken({ fetch: emulator.fetch, signal });
    expect(first.accessToken).toEqual(expect.any(String));
    expect(first.refreshToken).toEqual(expect.any(String));
    refreshTokens.push(first.refreshToken!);
    const refreshed = await entry.create({ ...upstream, refreshToken: refreshTokens[0] }).fetchToken({ fetch: emulator.fetch, signal });
    expect(refreshed.accessToken).not.toBe(first.accessToken);
    expect(emulator.requests.map((r) => new URLSearchParams(r.body).get('grant_type'))).toEqual(['authorization_code', 'refresh_token']);
  });
});
