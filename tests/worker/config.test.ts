// TOKENMINT_CONFIG: validated at the first request and kept for the isolate. A broken config answers
// 503 with an operator-facing code and nothing more; the precise reason is logged once, without values.
import { describe, expect, it } from 'vitest';
import { get, harness, preflightRequest, problemOf, testConfig, tokenRequest, ORIGIN } from './_mint-helpers.js';

/** Calls the Worker with a config and returns the 503's body and the log lines. */
async function broken(config: unknown, env: Record<string, unknown> = {}) {
  const h = await harness({ env: { TOKENMINT_CONFIG: config, ...env } });
  const response = await h.call(tokenRequest({ profile: 'checkout' }));
  expect(response.status).toBe(503);
  const text = await response.text();
  return { h, body: JSON.parse(text) as Record<string, unknown>, text, log: h.logs.map((l) => l.message) };
}

describe('config', () => {
  it('not set: 503 config_missing', async () => {
    const { body, log } = await broken(undefined);
    expect(body).toEqual({ type: 'about:blank', title: 'Worker not configured', status: 503, code: 'config_missing' });
    expect(log).toEqual([expect.stringContaining('TOKENMINT_CONFIG is not set')]);
  });

  it('not JSON: 503 config_invalid; the log does not quote the text (it could hold a pasted secret)', async () => {
    const { body, log } = await broken('{"profiles": PLANTED-config-secret');
    expect(body).toMatchObject({ status: 503, code: 'config_invalid' });
    expect(log).toEqual(['config_invalid: TOKENMINT_CONFIG is not valid JSON']);
  });

  it('the browser gets only the code; the operator gets every problem, by path, once per isolate', async () => {
    const config = testConfig((c) => {
      const checkout = c.profiles.checkout!;
      checkout.mode = 'sessions';
      checkout.allowedOrigins = ['https://shop.example/checkout', '*', 'null'];
      checkout.maxExpiresIn = 86_400;
      checkout.clientSecret = 'PLANTED-pasted-into-config';
      checkout.rateLimit = { burst: 0 };
    });
    const { h, body, text, log } = await broken(config);
    expect(body).toEqual({ type: 'about:blank', title: 'Worker configuration invalid', status: 503, code: 'config_invalid' });
    expect(text).not.toMatch(/checkout|mode|allowedOrigins|PLANTED/);
    expect(log).toEqual([
      'config_invalid: TOKENMINT_CONFIG.profiles.checkout.mode: must be "upstream" or "session"',
      expect.stringMatching(/^config_invalid: TOKENMINT_CONFIG\.profiles\.checkout\.allowedOrigins\.0: must be a serialized origin/),
      expect.stringMatching(/^config_invalid: TOKENMINT_CONFIG\.profiles\.checkout\.allowedOrigins\.1: must be a serialized origin/),
      expect.stringMatching(/^config_invalid: TOKENMINT_CONFIG\.profiles\.checkout\.allowedOrigins\.2: must be a serialized origin/),
      'config_invalid: TOKENMINT_CONFIG.profiles.checkout.maxExpiresIn: must be at most 3600',
      'config_invalid: TOKENMINT_CONFIG.profiles.checkout.rateLimit.burst: must be at least 1',
      'config_invalid: TOKENMINT_CONFIG.profiles.checkout.clientSecret: unknown field',
    ]);
    expect(log.join('\n')).not.toContain('PLANTED');
    // Later requests, every route that needs the config: same 503, nothing logged again.
    for (const request of [tokenRequest({ profile: 'checkout' }), preflightRequest(ORIGIN), get('/.well-known/jwks.json')]) {
      expect(await problemOf(await h.call(request))).toMatchObject({ status: 503, code: 'config_invalid' });
    }
    expect(h.logs).toHaveLength(7);
    // Liveness does not depend on the config.
    expect((await h.call(get('/healthz'))).status).toBe(200);
  });

  it('upstream mode for a server-only flow is refused at start-up, stated plainly', async () => {
    const { body, log } = await broken(testConfig((c) => void (c.profiles.widget!.provider = 'paypal')));
    expect(body.code).toBe('config_invalid');
    expect(log).toEqual([
      'config_invalid: profile "widget": mode "upstream" hands the provider\'s token to the browser, but provider "paypal" is server-only (browserSafe: false); use mode "session"',
    ]);
  });

  it.each([
    ['an unknown provider', (c: Cfg) => void (c.profiles.checkout!.provider = 'stripe'), /profile "checkout": provider "stripe" is unknown \(known: oauth2, kitegateway, .*paypalClientToken/],
    ['an unknown provider option', (c: Cfg) => void (c.profiles.kite!.options = { expiresIn: 900, region: 'eu' }), /profile "kite": options\.region: unknown field/],
    ['an out-of-range provider option', (c: Cfg) => void (c.profiles.kite!.options = { expiresIn: 0 }), /profile "kite": options\.expiresIn: must be at least 1/],
    ['a provider option the factory itself refuses (dry run)', (c: Cfg) => void (c.profiles.obp = { ...c.profiles.kite, provider: 'openBankingPlatform', options: { scope: 'private' } }), /profile "obp": openbanking: scope names no API scope/],
    ['a secret override for a field the provider lacks', (c: Cfg) => void (c.profiles.checkout!.secrets = { apiKey: 'MY_KEY' }), /secrets\.apiKey: provider "paypal" has no credential "apiKey" \(it has: clientId, clientSecret\)/],
    ['a lower-case secret name', (c: Cfg) => void (c.profiles.checkout!.secrets = { clientId: 'my_key' }), /secrets\.clientId: must be an UPPER_SNAKE_CASE binding name/],
    ['a default scope outside the scopes', (c: Cfg) => void (c.profiles.checkout!.defaultScope = 'checkout admin'), /defaultScope must be space-separated values from scopes \(1 are not\)/],
    ['session mode without audience', (c: Cfg) => void delete c.profiles.checkout!.audience, /audience is required in session mode/],
    ['an audience in upstream mode', (c: Cfg) => void (c.profiles.widget!.audience = 'x'), /audience applies to session mode only/],
    ['session mode without issuer (iss would follow the Host a client names)', (c: Cfg) => void delete c.issuer, /^config_invalid: issuer is required when a profile is in session mode \(profile "checkout"/],
    [
      'two session profiles with one audience (their tokens would be interchangeable)',
      (c: Cfg) => void (c.profiles.kite!.audience = 'https://api.shop.example'),
      /profiles "checkout" and "kite" have the same audience: a verifier checking only "aud" would take either's tokens for the other's\. .*"shareAudience": true on each/,
    ],
    ['one audience shared by only one side', (c: Cfg) => ((c.profiles.kite!.audience = 'https://api.shop.example'), (c.profiles.kite!.shareAudience = true)), /profiles "checkout" and "kite" have the same audience/],
    ['shareAudience in upstream mode', (c: Cfg) => void (c.profiles.widget!.shareAudience = true), /profile "widget": shareAudience applies to session mode only/],
    [
      'a provider with sandbox and production hosts, reached without "environment" (it would silently be the sandbox)',
      (c: Cfg) => void delete c.profiles.widget!.upstream,
      /^config_invalid: profile "widget": options\.environment is required for provider "paypalClientToken" \("sandbox" or "production"/,
    ],
    ['an unbound rate-limit binding', (c: Cfg) => void (c.profiles.checkout!.rateLimit = { binding: 'NOT_BOUND' }), /rateLimit\.binding "NOT_BOUND" is not bound \(add \[\[ratelimits\]\] name = "NOT_BOUND"/],
    ['the emulator without devEmulator', (c: Cfg) => void delete c.devEmulator, /"upstream": "emulator" needs devEmulator/],
    ['a baseUrl with the emulator', (c: Cfg) => void (c.profiles.kite!.options = { baseUrl: 'https://kite.example' }), /options\.baseUrl\/tokenUrl conflict with "upstream": "emulator"/],
    ['no profiles', (c: Cfg) => void (c.profiles = {}), /TOKENMINT_CONFIG\.profiles: must define at least one profile/],
    ['a bad profile name', (c: Cfg) => void (c.profiles['bad name'] = c.profiles.kite!), /profile names are letters, digits/],
    ['an unknown top-level field', (c: Cfg) => void (c.secrets = {}), /TOKENMINT_CONFIG\.secrets: unknown field/],
  ])('%s', async (_, change, message) => {
    const { body, log } = await broken(testConfig(change));
    expect(body.code).toBe('config_invalid');
    expect(log.some((line) => message.test(line)), log.join('\n')).toBe(true);
  });

  it('devEmulator is refused unless TOKENMINT_DEV_EMULATOR=on (a deployed demo config fails closed)', async () => {
    const { log } = await broken(testConfig(), { TOKENMINT_DEV_EMULATOR: undefined });
    expect(log[0]).toMatch(/^config_invalid: devEmulator is for development only and needs TOKENMINT_DEV_EMULATOR=on/);
  });

  it('a wrangler.toml var given as a TOML table (an object) works as well as a JSON string', async () => {
    const h = await harness({ env: { TOKENMINT_CONFIG: JSON.parse(testConfig()) } });
    expect((await h.call(tokenRequest({ profile: 'checkout' }))).status).toBe(200);
  });

  it('a changed var takes effect (the per-isolate cache is keyed on it)', async () => {
    const h = await harness();
    for (let i = 0; i < 3; i++) await h.call(tokenRequest({ profile: 'widget' }, { ip: `192.0.2.${i}` }));
    const changed = { ...h.env, TOKENMINT_CONFIG: testConfig((c) => void (c.profiles.widget!.maxExpiresIn = 30)) };
    expect(await (await h.call(tokenRequest({ profile: 'widget' }), changed)).json()).toMatchObject({ expiresIn: 30 });
  });
});

type Cfg = Record<string, unknown> & { profiles: Record<string, Record<string, unknown>> };
