// The `proxy` section of a profile: off unless present, strict (unknown keys named), checked against
// the profile (session mode, its scopes, an API base it can reach) at start-up.
import { describe, expect, it } from 'vitest';
import { requireEndpoint } from '../../src/core/kit.js';
import { parseConfig } from '../../src/worker/index.js';
import { proxy } from '../../src/worker/proxy/index.js';
import { ORIGIN } from './_mint-helpers.js';
import { proxyConfig } from './_proxy-helpers.js';

type Json = Record<string, unknown>;
/** The proxy part checks the section; parts.test.ts shows a Worker without it refuses the profile. */
const PARTS = { proxy: proxy() };
const env = (config: string) => ({ TOKENMINT_CONFIG: config, TOKENMINT_DEV_EMULATOR: 'on' });
const errorsOf = (config: string): string[] => {
  const result = parseConfig(env(config), PARTS);
  if (result.ok) throw new Error('expected a config error');
  return result.errors;
};
const provider = (proxy: Json, options: Json = { environment: 'sandbox' }, name = 'paypal') => (c: { profiles: Record<string, Json> }) => {
  c.profiles.live = { mode: 'session', provider: name, options, allowedOrigins: [ORIGIN], scopes: ['checkout'], defaultScope: 'checkout', maxExpiresIn: 300, audience: 'live', proxy };
};

describe('proxy config', () => {
  it('off unless configured; compiled with defaults when it is', () => {
    const result = parseConfig(env(proxyConfig()), PARTS);
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(result.config.profiles.get('widget')!.proxyPolicy).toBeUndefined();
    const policy = result.config.profiles.get('checkout')!.proxyPolicy!;
    expect(policy).toMatchObject({ apiBase: undefined, maxRequestBytes: 1024, maxResponseBytes: 262_144, timeout: 10_000, methods: 'POST, GET' });
    expect(policy.routes.map((r) => [r.scope, r.method, r.segments])).toContainEqual(['checkout', 'GET', ['v2', 'checkout', 'orders', null]]);
  });

  it("PayPal's API base follows options.environment; proxy.apiBase overrides it", () => {
    const sandbox = parseConfig(env(proxyConfig(provider({ allow: { checkout: ['GET /v1/x'] } }))), PARTS);
    const production = parseConfig(env(proxyConfig(provider({ allow: { checkout: ['GET /v1/x'] } }, { environment: 'production' }))), PARTS);
    const custom = parseConfig(env(proxyConfig(provider({ allow: { checkout: ['GET /v1/x'] }, apiBase: 'https://api.example/base/' }))), PARTS);
    expect([sandbox, production, custom].map((r) => (r.ok ? r.config.profiles.get('live')!.proxyPolicy!.apiBase : r.errors))).toEqual([
      'https://api-m.sandbox.paypal.com',
      'https://api-m.paypal.com',
      'https://api.example/base',
    ]);
  });

  it('unknown keys, bad routes and bad caps are errors naming the field, never quoting values', () => {
    const errors = errorsOf(
      proxyConfig((c) => {
        c.profiles.checkout!.proxy = {
          allow: { checkout: ['POST /v2/checkout/orders', 'GET /v2/*', 'FETCH /x', 'GET /a/../b', 'GET /a/%2F', 'GET https://evil.example/x', 'GET /a//b'] },
          maxRequestBytes: -1,
          headers: ['x-api-key'],
        };
      }),
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        'TOKENMINT_CONFIG.profiles.checkout.proxy.headers: unknown field',
        'TOKENMINT_CONFIG.profiles.checkout.proxy.maxRequestBytes: must be at least 0',
        ...[1, 2, 3, 4, 5, 6].map((i) => expect.stringMatching(new RegExp(`^TOKENMINT_CONFIG\\.profiles\\.checkout\\.proxy\\.allow\\.checkout\\.${i}: must be "METHOD /path"`))),
      ]),
    );
    expect(errors.filter((e) => e.includes('allow.checkout.0'))).toEqual([]);
    expect(errors.join('\n')).not.toContain('evil.example');
  });

  it('plain http only on a loopback host: the same hosts as for token endpoints (every 127.x.x.x, localhost, [::1])', () => {
    const verdict = (apiBase: string): string[] | 'accepted' => {
      const result = parseConfig(env(proxyConfig(provider({ allow: { checkout: ['GET /x'] }, apiBase }))), PARTS);
      return result.ok ? 'accepted' : result.errors;
    };
    const endpointAllows = (url: string): boolean => {
      try {
        return requireEndpoint('test', 'tokenUrl', url) !== '';
      } catch {
        return false;
      }
    };
    const loopback = ['http://localhost:8080', 'http://127.0.0.1:8080', 'http://127.0.0.2:9000/api', 'http://127.10.20.30', 'http://[::1]:8080'];
    const remote = ['http://api.example', 'http://128.0.0.1', 'http://localhost.example', 'http://127.0.0.1.example', 'http://10.0.0.1', 'http://[::2]'];
    for (const base of loopback) expect(verdict(base), base).toBe('accepted');
    for (const base of remote) expect(verdict(base), base).toEqual(['profile "live": proxy.apiBase must be https (http only for a loopback host)']);
    for (const base of [...loopback, ...remote]) expect(verdict(base) === 'accepted', base).toBe(endpointAllows(base));
  });

  it('checked against the profile: session mode only, known scopes, an API base for providers it does not know', () => {
    expect(
      errorsOf(
        proxyConfig((c) => {
          c.profiles.widget!.proxy = { allow: { checkout: ['GET /x'] } };
          c.profiles.checkout!.proxy = { allow: { admin: ['GET /x'] } };
        }),
      ),
    ).toEqual([
      'profile "checkout": proxy.allow.admin: "admin" is not one of the profile\'s scopes',
      'profile "widget": proxy applies to session mode only (upstream mode hands the provider\'s token to the page)',
    ]);
    expect(errorsOf(proxyConfig(provider({ allow: { checkout: ['GET /x'] } }, { environment: 'sandbox' }, 'kitegateway')))).toEqual([expect.stringContaining('profile "live": proxy.apiBase is required for provider "kitegateway"')]);
    // Without an environment the profile itself is refused (issue 12), and the proxy says what it lacks.
    expect(errorsOf(proxyConfig(provider({ allow: { checkout: ['GET /x'] } }, {})))).toEqual([expect.stringContaining('options.environment is required for provider "paypal"'), expect.stringContaining('proxy needs options.environment')]);
    expect(errorsOf(proxyConfig(provider({ allow: { checkout: ['GET /x'] }, apiBase: 'http://api.example' })))).toEqual(['profile "live": proxy.apiBase must be https (http only for a loopback host)']);
    expect(errorsOf(proxyConfig(provider({ allow: { checkout: ['GET /x'] }, apiBase: 'https://api.example/?key=1' })))).toEqual(['profile "live": proxy.apiBase must have no query, fragment or credentials']);
    expect(errorsOf(proxyConfig((c) => void ((c.profiles.checkout!.proxy as Json).apiBase = 'https://api.example')))).toEqual([
      'profile "checkout": proxy.apiBase conflicts with "upstream": "emulator" (the emulator\'s API is used)',
    ]);
    expect(errorsOf(proxyConfig((c) => void (c.profiles.checkout!.proxy = { allow: {} })))).toEqual(['TOKENMINT_CONFIG.profiles.checkout.proxy.allow: must allow at least one scope']);
  });
});
