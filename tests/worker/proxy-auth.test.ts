// The proxy's authentication: only a session token this Worker signed, unexpired, for this profile's
// audience and profile claim, from the page it was minted for. Every refusal
// is the same 401 with WWW-Authenticate, and none sends anything to the provider.
import { describe, expect, it } from 'vitest';
import { generateKey, problemOf, tokenRequest, EVIL_ORIGIN } from './_mint-helpers.js';
import { craftedSession, OTHER_ORIGIN, proxied, proxyHarness, session, upstreamCount } from './_proxy-helpers.js';

async function expect401(h: Awaited<ReturnType<typeof proxyHarness>>, request: Request) {
  const before = upstreamCount(h);
  const response = await h.call(request);
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(await problemOf(response)).toMatchObject({ status: 401, code: 'invalid_token' });
  expect(upstreamCount(h)).toBe(before);
}

describe('proxy authentication', () => {
  it('a valid session token reaches the provider', async () => {
    const h = await proxyHarness();
    const token = await session(h);
    const response = await h.call(proxied('checkout/echo', { token }));
    expect(response.status).toBe(200);
  });

  it('the scheme in any case, followed by one or more spaces (RFC 7235 §2.1, RFC 6750 §2.1), as on the admin routes and the Prism service', async () => {
    const h = await proxyHarness();
    const token = await session(h);
    for (const authorization of [`bearer ${token}`, `BEARER ${token}`, `Bearer   ${token}`]) {
      expect((await h.call(proxied('checkout/echo', { headers: { authorization } }))).status, authorization.replace(token, '<token>')).toBe(200);
    }
    await expect401(h, proxied('checkout/echo', { headers: { authorization: `Bearer${token}` } }));
  });

  it('no token, another scheme, a malformed or oversized token: 401', async () => {
    const h = await proxyHarness();
    await session(h); // the server token is fetched: the counts below start after it
    await expect401(h, proxied('checkout/echo'));
    await expect401(h, proxied('checkout/echo', { headers: { authorization: 'Basic Zm9vOmJhcg==' } }));
    await expect401(h, proxied('checkout/echo', { token: 'not.a.jwt' }));
    await expect401(h, proxied('checkout/echo', { token: 'a.b' }));
    await expect401(h, proxied('checkout/echo', { token: `${'a'.repeat(3000)}.${'b'.repeat(1200)}.c` }));
  });

  it('expired: 401 from the second it expires', async () => {
    const h = await proxyHarness();
    const token = await session(h, { profile: 'checkout', expiresIn: 60 });
    h.clock.advance(59_000);
    expect((await h.call(proxied('checkout/echo', { token }))).status).toBe(200);
    h.clock.advance(1_000);
    await expect401(h, proxied('checkout/echo', { token }));
  });

  it('forged: a changed payload, a changed header, another key, alg none: 401', async () => {
    const h = await proxyHarness();
    const token = await session(h);
    const [head, payload, signature] = token.split('.') as [string, string, string];
    const b64 = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
    await expect401(h, proxied('checkout/echo', { token: `${head}.${b64({ ...claims, scope: 'checkout refunds' })}.${signature}` }));
    await expect401(h, proxied('checkout/echo', { token: `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.` }));
    await expect401(h, proxied('checkout/echo', { token: `${b64({ alg: 'ES256', typ: 'JWT', kid: 'another' })}.${payload}.${signature}` }));
    const other = await proxyHarness(); // its own signing key
    const foreign = await session(other);
    await expect401(h, proxied('checkout/echo', { token: foreign }));
  });

  it("another profile's token (other audience, or a profile claim naming another profile): 401", async () => {
    const h = await proxyHarness();
    const kite = await session(h, { profile: 'kite' }, OTHER_ORIGIN);
    await expect401(h, proxied('checkout/echo', { token: kite, origin: OTHER_ORIGIN }));
    // Same audience and origin, but the profile claim says it was minted for `kite`, or is missing.
    await expect401(h, proxied('checkout/echo', { token: await craftedSession(h, (c) => void (c.profile = 'kite')) }));
    await expect401(h, proxied('checkout/echo', { token: await craftedSession(h, (c) => void delete (c as Record<string, unknown>).profile) }));
    // With the right profile claim it passes: the claim is checked, not merely tolerated.
    expect((await h.call(proxied('checkout/echo', { token: await craftedSession(h, (c) => void (c.profile = 'checkout')) }))).status).toBe(200);
  });

  it('claims the Worker would never sign: wrong issuer, a scope the profile lacks, iat in the future, no exp: 401', async () => {
    const h = await proxyHarness();
    await session(h);
    await expect401(h, proxied('checkout/echo', { token: await craftedSession(h, (c) => void (c.iss = 'https://mint.evil.example')) }));
    await expect401(h, proxied('checkout/echo', { token: await craftedSession(h, (c) => void (c.scope = 'checkout admin')) }));
    await expect401(h, proxied('checkout/echo', { token: await craftedSession(h, (c) => void (c.iat += 3600)) }));
    await expect401(h, proxied('checkout/echo', { token: await craftedSession(h, (c) => void delete (c as Record<string, unknown>).exp) }));
  });

  it("the origin claim must equal the request's Origin (both allowed for the profile): 401", async () => {
    const h = await proxyHarness();
    const token = await session(h); // minted for ORIGIN
    await expect401(h, proxied('checkout/echo', { token, origin: OTHER_ORIGIN }));
  });

  it('a token accepted once is checked in full on every later call: another Origin, another profile, a new signing key: 401', async () => {
    const h = await proxyHarness();
    const token = await session(h);
    expect((await h.call(proxied('checkout/echo', { token }))).status).toBe(200);
    await expect401(h, proxied('checkout/echo', { token, origin: OTHER_ORIGIN }));
    const kite = await session(h, { profile: 'kite' }, OTHER_ORIGIN);
    expect((await h.call(proxied('kite/echo', { token: kite, origin: OTHER_ORIGIN }))).status).toBe(200);
    await expect401(h, proxied('checkout/echo', { token: kite, origin: OTHER_ORIGIN }));
    // The key that signed both is replaced (not kept for verification): neither is accepted any more.
    h.env.TOKENMINT_SESSION_KEY = (await generateKey()).secret;
    await expect401(h, proxied('checkout/echo', { token }));
    await expect401(h, proxied('kite/echo', { token: kite, origin: OTHER_ORIGIN }));
    expect((await h.call(proxied('checkout/echo', { token: await session(h) }))).status).toBe(200);
  });

  it('Origin missing or not allowed: 403 before the token is even read, no CORS headers', async () => {
    const h = await proxyHarness();
    const token = await session(h);
    const before = upstreamCount(h);
    const missing = await h.call(proxied('checkout/echo', { token, origin: null }));
    expect((await problemOf(missing)).code).toBe('origin_missing');
    const evil = await h.call(proxied('checkout/echo', { token, origin: EVIL_ORIGIN }));
    expect((await problemOf(evil)).code).toBe('origin_not_allowed');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    expect(upstreamCount(h)).toBe(before);
  });

  it('a profile without a proxy section, or an unknown one: 404', async () => {
    const h = await proxyHarness({ config: (c) => void delete c.profiles.kite!.proxy });
    const kite = await session(h, { profile: 'kite' }, OTHER_ORIGIN);
    expect((await problemOf(await h.call(proxied('kite/echo', { token: kite, origin: OTHER_ORIGIN })))).code).toBe('not_found');
    expect((await problemOf(await h.call(proxied('nope/echo', { token: kite, origin: OTHER_ORIGIN })))).code).toBe('not_found');
    expect(tokenRequest).toBeDefined();
  });
});
