// No response body or header, of any route, success or failure, carries a planted secret, the signing
// key's private part, or a server token the emulator issued to the Worker.
import { describe, expect, it } from 'vitest';
import { EVIL_ORIGIN, OTHER_ORIGIN, PLANTED, devGet, get, harness, preflightRequest, testConfig, tokenRequest } from './_mint-helpers.js';

describe('no secret in any response', () => {
  it('across every route and failure mode', async () => {
    const h = await harness();
    const jwk = JSON.parse(h.env.TOKENMINT_SESSION_KEY as string) as { d: string };
    const requests = [
      tokenRequest({ profile: 'checkout' }),
      tokenRequest({ profile: 'checkout', scope: 'vault refunds', expiresIn: 30 }),
      tokenRequest({ profile: 'kite' }, { origin: OTHER_ORIGIN }),
      tokenRequest({ profile: 'widget' }),
      tokenRequest({ profile: 'widget' }, { origin: OTHER_ORIGIN }),
      tokenRequest({ profile: 'checkout', scope: 'admin' }),
      tokenRequest({ profile: 'checkout' }, { origin: EVIL_ORIGIN }),
      tokenRequest('{"profile":'),
      tokenRequest({ profile: 'checkout', clientSecret: PLANTED.PAYPAL_CLIENT_SECRET }),
      tokenRequest({ profile: 'nope' }),
      preflightRequest(OTHER_ORIGIN),
      get('/.well-known/jwks.json'),
      get('/healthz'),
      devGet(''),
      devGet('/requests'),
    ];
    for (const request of requests) await h.call(request);
    // Failures upstream: 5xx, refused credentials, a malformed body.
    h.emulators[0]!.inject({ provider: 'paypal', status: 503, times: 3 });
    await h.call(tokenRequest({ profile: 'widget' }, { ip: '192.0.2.9' }));
    h.emulators[0]!.inject({ provider: 'paypal', body: 'malformed-json', times: 1 });
    await h.call(tokenRequest({ profile: 'widget' }, { ip: '192.0.2.10' }));
    // Broken secrets and config.
    const wrong = await harness({ env: { PAYPAL_CLIENT_SECRET: 'PLANTED-wrong-secret-1111', KITEGATEWAY_SECRET_KEY: undefined, TOKENMINT_SESSION_KEY: `{"d":"PLANTED-d"` } });
    for (const profile of ['checkout', 'widget']) await wrong.call(tokenRequest({ profile }));
    await wrong.call(tokenRequest({ profile: 'kite' }, { origin: OTHER_ORIGIN }));
    await wrong.call(get('/.well-known/jwks.json'));
    const badConfig = await harness({ env: { TOKENMINT_CONFIG: testConfig((c) => void (c.profiles.checkout!.secret = PLANTED.PAYPAL_CLIENT_SECRET)) } });
    await badConfig.call(tokenRequest({ profile: 'checkout' }));

    // Client tokens are what upstream mode hands out on purpose; server tokens (PayPal's A21AA…,
    // Kitegateway's "JWT …") must never leave the Worker.
    const serverTokens = h.issued.filter((token) => token.startsWith('A21AA') || token.startsWith('JWT ')).map((token) => token.replace(/^JWT /, ''));
    expect(serverTokens.length).toBeGreaterThanOrEqual(2);
    const forbidden = [...Object.values(PLANTED), 'PLANTED', jwk.d, ...serverTokens];
    const responses = [...h.responses, ...wrong.responses, ...badConfig.responses];
    expect(responses.length).toBeGreaterThan(20);
    for (const response of responses) {
      const text = `${[...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n')}\n${await response.text()}`;
      for (const secret of forbidden) expect(text).not.toContain(secret);
    }
  });
});
