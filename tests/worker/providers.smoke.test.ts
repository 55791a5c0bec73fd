// Inside workerd (vitest `workerd` project): every provider (from the lists), then each provider family's
// particulars and the Prism facade, against the emulator in-process — proving providers, emulator and
// facade need nothing but Web APIs.
import { describe, expect, it } from 'vitest';
import { clientCredentials, createTokenStore } from '../../src/core/index.js';
import {
  AIRWALLEX_DEMO,
  CYBERSOURCE_DEMO,
  GLOBALPAY_DEMO,
  JPMORGAN_DEMO,
  KITEGATEWAY_DEMO,
  OAUTH2_DEMO,
  OPEN_BANKING_DEMO,
  PAYPAL_DEMO,
  PINELABS_DEMO,
  createEmulator,
} from '../../src/emulator/index.js';
import { MerchantAuthenticationClient } from '../../src/prism/index.js';
import {
  airwallex,
  cybersource,
  globalpay,
  jpmorgan,
  kitegateway,
  openBankingPlatform,
  openBankingPlatformAuthorizationCode,
  paypal,
  paypalClientToken,
  pinelabs,
  PROVIDER_DESCRIPTORS,
  sha512Hex,
} from '../../src/providers/index.js';
import { demoFlow, emulated } from '../providers/_helpers.js';

const setup = () => {
  const emulator = createEmulator();
  return { emulator, store: createTokenStore({ fetch: emulator.fetch, http: { retries: 0 } }) };
};

describe('workerd: providers against the in-process emulator', () => {
  it('runs in the Workers runtime', () => {
    expect(navigator.userAgent).toBe('Cloudflare-Workers');
  });

  // Every provider, from the lists: its flows (server, client token) mint in workerd on its emulator's demo.
  it.each(PROVIDER_DESCRIPTORS.map((descriptor) => ({ name: descriptor.name, descriptor })))('$name: its flows mint on the emulator’s demo', async ({ descriptor }) => {
    const { emulator, store } = setup();
    const token = await store.source(demoFlow(emulator, descriptor)).get();
    expect(token.accessToken).toEqual(expect.stringMatching(/./));
    expect(token.expiresAt).toBeGreaterThan(Date.now());
    if (descriptor.clientToken !== undefined) {
      const { baseUrl, demo } = emulated(emulator, descriptor);
      expect((await store.source(descriptor.clientToken.flow({ credentials: demo.credentials, baseUrl, fetch: emulator.fetch })).get()).accessToken).toEqual(expect.stringMatching(/./));
    }
    store.dispose();
  });

  it('generic oauth2: client_credentials through the emulator', async () => {
    const { emulator, store } = setup();
    const token = await store.source(clientCredentials({ tokenUrl: `${emulator.baseUrl('oauth2')}/token`, ...OAUTH2_DEMO, scope: 'payments' })).get();
    expect(token).toMatchObject({ tokenType: 'Bearer', scope: 'payments' });
    store.dispose();
  });

  it('kitegateway: JWT token, header without a doubled prefix, envelope errors', async () => {
    const { emulator, store } = setup();
    const source = store.source(kitegateway({ ...KITEGATEWAY_DEMO, baseUrl: emulator.baseUrl('kitegateway') }));
    const token = await source.get();
    expect(token.tokenType).toBe('JWT');
    expect(await source.authorization()).toBe(token.accessToken);
    expect(token.expiresAt - Date.now()).toBeGreaterThan(890_000);
    await expect(store.source(kitegateway({ ...KITEGATEWAY_DEMO, secretKey: 'wrong-secret', baseUrl: emulator.baseUrl('kitegateway') })).get()).rejects.toMatchObject({ code: 'invalid_client' });
    store.dispose();
  });

  it('open banking: client credentials and the SCA code exchange; bad scope before any request', async () => {
    const { emulator, store } = setup();
    const credentials = { clientId: OPEN_BANKING_DEMO.clientId, clientSecret: OPEN_BANKING_DEMO.clientSecret, baseUrl: emulator.baseUrl('openbanking') };
    expect(await store.source(openBankingPlatform({ ...credentials, scope: 'accountinformation private' })).get()).toMatchObject({ tokenType: 'Bearer', scope: 'accountinformation private' });
    const consent = { consentId: 'c1', consentAuthorisationId: 'a1', redirectUri: 'https://merchant.example/cb' };
    const code = emulator.openbanking.authorize(consent);
    expect((await store.source(openBankingPlatformAuthorizationCode({ ...credentials, ...consent, code, scope: 'accountinformation private' })).get()).tokenType).toBe('Bearer');
    expect(() => openBankingPlatform({ ...credentials, scope: 'private' })).toThrow(expect.objectContaining({ code: 'invalid_scope' }));
    expect(emulator.requests).toHaveLength(2);
    store.dispose();
  });

  it('cybersource: code, then a rotated refresh token persisted through the hook; a reused code is refused', async () => {
    const { emulator, store } = setup();
    const persisted: string[] = [];
    const code = emulator.cybersource.authorize();
    const source = store.source(cybersource({ ...CYBERSOURCE_DEMO, code, baseUrl: emulator.baseUrl('cybersource'), onRefreshToken: (token) => void persisted.push(token) }));
    const first = await source.get();
    const second = await source.refresh();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(persisted).toEqual([first.refreshToken, second.refreshToken]);
    // Same code, same flow key: a second store (say, another isolate) has to send it again.
    const other = createTokenStore({ fetch: emulator.fetch, http: { retries: 0 } });
    await expect(other.source(cybersource({ ...CYBERSOURCE_DEMO, code, baseUrl: emulator.baseUrl('cybersource') })).get()).rejects.toMatchObject({ code: 'invalid_grant' });
    store.dispose();
    other.dispose();
  });

  it('prism connectors, form + Basic: PayPal server and browser-safe client tokens, J.P. Morgan scope', async () => {
    const { emulator, store } = setup();
    const server = await store.source(paypal({ ...PAYPAL_DEMO, baseUrl: emulator.baseUrl('paypal') })).get();
    expect(server).toMatchObject({ tokenType: 'Bearer' });
    const clientFlow = paypalClientToken({ ...PAYPAL_DEMO, baseUrl: emulator.baseUrl('paypal') });
    expect(clientFlow.browserSafe).toBe(true);
    expect(await store.source(clientFlow).get()).toMatchObject({ tokenType: 'ClientToken' });
    expect(emulator.requests.at(-1)!.headers.authorization).toMatch(/^Bearer A21AA/);
    const jpm = await store.source(jpmorgan({ ...JPMORGAN_DEMO, baseUrl: emulator.baseUrl('jpmorgan') })).get();
    expect(jpm.scope).toBe('jpm:payments:sandbox');
    await expect(store.source(paypal({ ...PAYPAL_DEMO, clientSecret: 'wrong', baseUrl: emulator.baseUrl('paypal') })).get()).rejects.toMatchObject({ code: 'invalid_client' });
    store.dispose();
  });

  it('prism connectors, JSON: Airwallex header credentials (201, +0000 expiry), Pine Labs body credentials', async () => {
    const { emulator, store } = setup();
    const awx = await store.source(airwallex({ ...AIRWALLEX_DEMO, baseUrl: emulator.baseUrl('airwallex') })).get();
    expect(awx.expiresAt - Date.now()).toBeGreaterThan(1_790_000);
    const pl = await store.source(pinelabs({ ...PINELABS_DEMO, baseUrl: emulator.baseUrl('pinelabs') })).get();
    expect(pl.expiresAt - Date.now()).toBeGreaterThan(3_590_000);
    await expect(store.source(airwallex({ ...AIRWALLEX_DEMO, apiKey: 'wrong', baseUrl: emulator.baseUrl('airwallex') })).get()).rejects.toMatchObject({ code: 'invalid_client' });
    store.dispose();
  });

  it("globalpay: WebCrypto SHA-512 secret the emulator recomputes; the facade's globalpay connector", async () => {
    const { emulator, store } = setup();
    expect(await sha512Hex('abc')).toMatch(/^ddaf35a193617aba/);
    const token = await store.source(globalpay({ ...GLOBALPAY_DEMO, baseUrl: emulator.baseUrl('globalpay') })).get();
    expect(token.tokenType).toBe('Bearer');
    const sent = JSON.parse(emulator.requests[0]!.body);
    expect(sent.secret).toBe(await sha512Hex(sent.nonce + GLOBALPAY_DEMO.appKey));
    await expect(store.source(globalpay({ ...GLOBALPAY_DEMO, appKey: 'wrong', baseUrl: emulator.baseUrl('globalpay') })).get()).rejects.toMatchObject({ code: 'invalid_client', status: 403 });
    const prism = new MerchantAuthenticationClient({ connectorConfig: { globalpay: { appId: GLOBALPAY_DEMO.appId, appKey: { value: GLOBALPAY_DEMO.appKey }, baseUrl: emulator.baseUrl('globalpay') } }, options: { fetch: emulator.fetch } });
    // Seconds left, not the original lifetime: under load a second may pass between issue and answer.
    const current = await prism.createServerAuthenticationToken();
    expect(current).toMatchObject({ status: 'SUCCESS', tokenType: 'Bearer' });
    expect(current.status === 'SUCCESS' && current.expiresInSeconds).toBeGreaterThanOrEqual(86_398);
    prism.dispose();
    store.dispose();
  });

  it('emulator faults: an aborted hang rejects', async () => {
    const { emulator } = setup();
    emulator.inject({ hang: true, times: 1 });
    const controller = new AbortController();
    const pending = emulator.fetch(`${emulator.baseUrl('kitegateway')}/v1/auth/token`, { method: 'POST', signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('prism facade: both shapes, failures in-band', async () => {
    const { emulator } = setup();
    const seed = new MerchantAuthenticationClient({ connector: 'kitegateway', credentials: KITEGATEWAY_DEMO, environment: 'SANDBOX', baseUrl: emulator.baseUrl('kitegateway'), fetch: emulator.fetch });
    const seeded = await seed.createAccessToken({ expiresIn: 300 });
    expect(seeded).toMatchObject({ tokenType: 'JWT', statusCode: 200 });
    expect(seeded.expiresIn).toBeGreaterThanOrEqual(298); // seconds left: time passes under load
    expect(seeded.expiresIn).toBeLessThanOrEqual(300);
    const current = new MerchantAuthenticationClient({ connectorConfig: { stripe: { apiKey: { value: 'sk_test_x' } } }, options: { environment: 'SANDBOX' } });
    const response = await current.createServerAuthenticationToken({ merchantAccessTokenId: 'm1' });
    expect(response).toMatchObject({ status: 'INVALID_REQUEST', merchantAccessTokenId: 'm1' });
    expect(JSON.stringify(response)).not.toContain('sk_test_x');
    seed.dispose();
    current.dispose();
  });
});
