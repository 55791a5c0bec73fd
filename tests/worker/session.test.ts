// Session mode: the Worker signs an ES256 JWT (verifiable with its JWKS) and keeps the provider's
// server token to itself, refreshing it on access inside waitUntil.
import { describe, expect, it } from 'vitest';
import { NOW, ORIGIN, OTHER_ORIGIN, generateKey, get, harness, problemOf, testConfig, tokenRequest, verifySessionToken } from './_mint-helpers.js';

describe('session mode', () => {
  it('mints an ES256 JWT that verifies against the JWKS (signature, exp, aud) with the granted claims', async () => {
    const h = await harness();
    const response = await h.call(tokenRequest({ profile: 'checkout', scope: 'checkout vault', expiresIn: 120 }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 120, expiresAt: NOW + 120_000, scope: 'checkout vault' });

    const jwks = (await (await h.call(get('/.well-known/jwks.json'))).json()) as { keys: JsonWebKey[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).not.toHaveProperty('d');
    const { header, claims } = await verifySessionToken(body.accessToken as string, jwks, { audience: 'https://api.shop.example', now: h.clock.now() });
    expect(header).toEqual({ alg: 'ES256', typ: 'JWT', kid: (jwks.keys[0] as { kid: string }).kid });
    expect(claims).toEqual({
      iss: 'https://mint.example',
      aud: 'https://api.shop.example',
      sub: expect.stringMatching(/^[\w-]{22}$/),
      scope: 'checkout vault',
      origin: ORIGIN,
      profile: 'checkout',
      iat: NOW / 1000,
      exp: NOW / 1000 + 120,
      jti: expect.stringMatching(/^[\w-]{22}$/),
    });
  });

  it('a verifier refuses the token once expired, for another audience, or with a tampered payload', async () => {
    const h = await harness();
    const { accessToken } = (await (await h.call(tokenRequest({ profile: 'checkout' }))).json()) as { accessToken: string };
    const jwks = (await (await h.call(get('/.well-known/jwks.json'))).json()) as { keys: JsonWebKey[] };
    await expect(verifySessionToken(accessToken, jwks, { audience: 'https://api.shop.example', now: NOW + 301_000 })).rejects.toThrow('expired');
    await expect(verifySessionToken(accessToken, jwks, { audience: 'kite-api', now: NOW })).rejects.toThrow('wrong audience');
    const [head, payload, signature] = accessToken.split('.');
    const forged = btoa(atob(payload!.replace(/-/g, '+').replace(/_/g, '/')).replace('"checkout"', '"refunds"')).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    await expect(verifySessionToken(`${head}.${forged}.${signature}`, jwks, { audience: 'https://api.shop.example', now: NOW })).rejects.toThrow('bad signature');
  });

  it('defaults: scope = defaultScope, expiresIn = maxExpiresIn; every session gets its own sub and jti; iss from config', async () => {
    const h = await harness({ env: { TOKENMINT_CONFIG: testConfig((c) => void (c.issuer = 'https://mint.shop.example')) } });
    const tokens = [];
    for (let i = 0; i < 2; i++) tokens.push((await (await h.call(tokenRequest({ profile: 'checkout' }))).json()) as { accessToken: string; expiresIn: number; scope: string });
    expect(tokens.map((t) => [t.expiresIn, t.scope])).toEqual([[300, 'checkout'], [300, 'checkout']]);
    const jwks = (await (await h.call(get('/.well-known/jwks.json'))).json()) as { keys: JsonWebKey[] };
    const [a, b] = await Promise.all(tokens.map((t) => verifySessionToken(t.accessToken, jwks, { audience: 'https://api.shop.example', now: NOW })));
    expect(a!.claims.iss).toBe('https://mint.shop.example');
    expect(a!.claims.sub).not.toBe(b!.claims.sub);
    expect(a!.claims.jti).not.toBe(b!.claims.jti);
  });

  it('iss is the configured issuer whatever Host the request names', async () => {
    const h = await harness();
    const request = new Request('https://attacker-chosen-host.example/v1/tokens', tokenRequest({ profile: 'checkout' }));
    const { accessToken } = (await (await h.call(request)).json()) as { accessToken: string };
    const jwks = (await (await h.call(get('/.well-known/jwks.json'))).json()) as { keys: JsonWebKey[] };
    expect((await verifySessionToken(accessToken, jwks, { audience: 'https://api.shop.example', now: NOW })).claims.iss).toBe('https://mint.example');
  });

  it('profiles that share an audience on purpose (shareAudience) are told apart by the profile claim', async () => {
    const config = testConfig((c) => {
      c.profiles.kite!.audience = 'https://api.shop.example';
      c.profiles.checkout!.shareAudience = true;
      c.profiles.kite!.shareAudience = true;
    });
    const h = await harness({ env: { TOKENMINT_CONFIG: config } });
    const jwks = (await (await h.call(get('/.well-known/jwks.json'))).json()) as { keys: JsonWebKey[] };
    const claims = [];
    for (const [profile, origin] of [['checkout', ORIGIN], ['kite', OTHER_ORIGIN]] as const) {
      const { accessToken } = (await (await h.call(tokenRequest({ profile }, { origin }))).json()) as { accessToken: string };
      claims.push((await verifySessionToken(accessToken, jwks, { audience: 'https://api.shop.example', now: NOW })).claims);
    }
    expect(claims.map((c) => [c.aud, c.profile])).toEqual([['https://api.shop.example', 'checkout'], ['https://api.shop.example', 'kite']]);
  });

  it('the provider server token is fetched once, kept in the Worker, and never part of a response', async () => {
    const h = await harness();
    const bodies: string[] = [];
    for (let i = 0; i < 3; i++) bodies.push(await (await h.call(tokenRequest({ profile: 'checkout' }))).text());
    expect(h.emulators[0]!.requests.map((r) => r.path)).toEqual(['/paypal/v1/oauth2/token']);
    expect(h.issued).toHaveLength(1);
    for (const body of bodies) expect(body).not.toContain(h.issued[0]);
  });

  it('changed provider credentials take effect on the next request: the old server token is not used with them', async () => {
    const h = await harness();
    expect((await h.call(tokenRequest({ profile: 'checkout' }))).status).toBe(200);
    const secret = h.env.PAYPAL_CLIENT_SECRET;
    h.env.PAYPAL_CLIENT_SECRET = 'a-secret-the-provider-refuses';
    expect((await problemOf(await h.call(tokenRequest({ profile: 'checkout' })))).code).toBe('upstream_rejected');
    h.env.PAYPAL_CLIENT_SECRET = secret;
    expect((await h.call(tokenRequest({ profile: 'checkout' }))).status).toBe(200);
    expect(h.emulators[0]!.requests.map((r) => r.path)).toEqual(['/paypal/v1/oauth2/token', '/paypal/v1/oauth2/token']);
  });

  it('kitegateway session profile: same contract, its own audience and lifetime cap', async () => {
    const h = await harness();
    const response = await h.call(tokenRequest({ profile: 'kite', expiresIn: 3600 }, { origin: OTHER_ORIGIN }));
    const body = (await response.json()) as { accessToken: string; expiresIn: number };
    expect(body.expiresIn).toBe(120);
    const jwks = (await (await h.call(get('/.well-known/jwks.json'))).json()) as { keys: JsonWebKey[] };
    const { claims } = await verifySessionToken(body.accessToken, jwks, { audience: 'kite-api', now: NOW });
    expect(claims).toMatchObject({ origin: OTHER_ORIGIN, scope: 'pay', exp: NOW / 1000 + 120 });
    expect(h.emulators[0]!.requests.map((r) => r.path)).toEqual(['/kitegateway/v1/auth/token']);
  });

  it('refreshes the server token proactively on access, inside waitUntil, while answering from the valid one', async () => {
    const h = await harness({ env: { TOKENMINT_CONFIG: testConfig((c) => void (c.devEmulator = { lifetimes: { paypal: 1000 } })) } });
    expect((await h.call(tokenRequest({ profile: 'checkout' }))).status).toBe(200);
    expect(h.waitUntilCount()).toBe(0);
    const upstream = () => h.emulators[0]!.requests.filter((r) => r.path === '/paypal/v1/oauth2/token').length;
    expect(upstream()).toBe(1);

    h.clock.advance(500_000); // half the lifetime (1000 s; refresh at max(80%, half-life) = 800 s): nothing to do
    expect((await h.call(tokenRequest({ profile: 'checkout' }))).status).toBe(200);
    expect([h.waitUntilCount(), upstream()]).toEqual([0, 1]);

    h.clock.advance(350_000); // 850 s: past the refresh point, token still valid
    expect((await h.call(tokenRequest({ profile: 'checkout' }))).status).toBe(200);
    expect(h.waitUntilCount()).toBe(1); // the refresh ran inside ctx.waitUntil (and `call` waited for it)
    expect(upstream()).toBe(2);

    h.clock.advance(400_000); // 1250 s: the first token has expired; the refreshed one (to 1850 s) serves
    expect((await h.call(tokenRequest({ profile: 'checkout' }))).status).toBe(200);
    expect(upstream()).toBe(2);
  });

  it('a failed proactive refresh keeps minting from the still-valid server token', async () => {
    const h = await harness({ env: { TOKENMINT_CONFIG: testConfig((c) => void (c.devEmulator = { lifetimes: { paypal: 1000 } })) } });
    expect((await h.call(tokenRequest({ profile: 'checkout' }))).status).toBe(200);
    h.emulators[0]!.inject({ provider: 'paypal', status: 503, times: 3 });
    h.clock.advance(850_000);
    expect((await h.call(tokenRequest({ profile: 'checkout' }))).status).toBe(200);
    expect(h.logs.some((l) => l.level === 'warn' && l.message.includes('server token refresh failed (upstream_error'))).toBe(true);
  });

  it('JWKS: publishes the kid given in the JWK, and the extra public keys of {"keys": [...]} (rotation)', async () => {
    const current = await generateKey({ kid: 'k-2026-11' });
    const previous = await generateKey({ kid: 'k-2026-10' });
    const { d: _, ...previousPublic } = previous.jwk;
    const h = await harness({ env: { TOKENMINT_SESSION_KEY: JSON.stringify({ keys: [current.jwk, previousPublic] }) } });
    const jwks = (await (await h.call(get('/.well-known/jwks.json'))).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual(['k-2026-11', 'k-2026-10']);
    expect(jwks.keys.every((k) => k.alg === 'ES256' && k.use === 'sig' && !('d' in k))).toBe(true);
    const { accessToken } = (await (await h.call(tokenRequest({ profile: 'checkout' }))).json()) as { accessToken: string };
    expect((await verifySessionToken(accessToken, jwks as { keys: JsonWebKey[] }, { audience: 'https://api.shop.example', now: NOW })).header.kid).toBe('k-2026-11');
  });

  it('JWKS without a kid in the secret: the RFC 7638 thumbprint', async () => {
    const h = await harness();
    const key = JSON.parse(h.env.TOKENMINT_SESSION_KEY as string) as { crv: string; kty: string; x: string; y: string };
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify({ crv: key.crv, kty: key.kty, x: key.x, y: key.y }))));
    const thumbprint = btoa(String.fromCharCode(...digest)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const jwks = (await (await h.call(get('/.well-known/jwks.json'))).json()) as { keys: { kid: string }[] };
    expect(jwks.keys[0]!.kid).toBe(thumbprint);
  });

  it('a missing signing key: 503 secret_missing, the secret NAMED in the log once, nothing upstream', async () => {
    const h = await harness({ env: { TOKENMINT_SESSION_KEY: undefined } });
    for (let i = 0; i < 2; i++) {
      const response = await h.call(tokenRequest({ profile: 'checkout' }));
      expect(response.status).toBe(503);
      const body = await problemOf(response);
      expect(body.code).toBe('secret_missing');
      expect(JSON.stringify(body)).not.toContain('TOKENMINT_SESSION_KEY');
    }
    expect(await problemOf(await h.call(get('/.well-known/jwks.json')))).toMatchObject({ status: 503, code: 'secret_missing' });
    expect(h.logs.filter((l) => l.message.includes('TOKENMINT_SESSION_KEY'))).toHaveLength(1);
    expect(h.logs[0]).toMatchObject({ level: 'error', message: expect.stringContaining('wrangler secret put TOKENMINT_SESSION_KEY') });
    expect(h.emulators.flatMap((e) => e.requests)).toEqual([]);
  });

  it.each([
    ['not JSON', 'not-a-jwk-PLANTED-d-value'],
    ['a public key only', 'public'],
    ['an RSA key', JSON.stringify({ kty: 'RSA', n: 'PLANTED-n', e: 'AQAB', d: 'PLANTED-d-value' })],
    ['a d that does not match x/y', 'mismatch'],
  ])('a broken signing key (%s): 503 secret_invalid, logged by name without its value', async (_, kind) => {
    const a = await generateKey();
    const b = await generateKey();
    const secret =
      kind === 'public' ? JSON.stringify({ ...a.jwk, d: undefined }) : kind === 'mismatch' ? JSON.stringify({ ...a.jwk, d: b.jwk.d }) : kind;
    const h = await harness({ env: { TOKENMINT_SESSION_KEY: secret } });
    const response = await h.call(tokenRequest({ profile: 'checkout' }));
    expect(await problemOf(response)).toMatchObject({ status: 503, code: 'secret_invalid' });
    const log = h.logs.map((l) => l.message).join('\n');
    expect(log).toContain('secret_invalid: the secret TOKENMINT_SESSION_KEY');
    expect(log).not.toContain('PLANTED');
    for (const part of [a.jwk.d, b.jwk.d, a.jwk.x]) expect(log).not.toContain(part);
  });
});
