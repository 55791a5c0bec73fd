// Every policy rule of POST /v1/tokens and the preflight, each enforced before any upstream call.
import { describe, expect, it } from 'vitest';
import { EVIL_ORIGIN, ORIGIN, OTHER_ORIGIN, get, harness, preflightRequest, problemOf, testConfig, tokenRequest, type Harness } from './_mint-helpers.js';

const upstreamCalls = (h: Harness): number => h.emulators.reduce((n, e) => n + e.requests.length, 0);

/** Asserts a refusal: status, code, no upstream call, and whether the page may read it (CORS). */
async function refused(h: Harness, response: Response, status: number, code: string, cors: string | null): Promise<void> {
  expect(response.status).toBe(status);
  expect((await problemOf(response)).code).toBe(code);
  expect(response.headers.get('access-control-allow-origin')).toBe(cors);
  expect(upstreamCalls(h)).toBe(0);
}

describe('Origin', () => {
  it('is required', async () => {
    const h = await harness();
    await refused(h, await h.call(tokenRequest({ profile: 'checkout' }, { origin: null })), 403, 'origin_missing', null);
  });

  it.each([EVIL_ORIGIN, 'null', 'https://shop.example.evil.example', 'https://SHOP.example', 'https://shop.example/', 'http://shop.example'])(
    'must be exactly an allowed origin: %s is refused, without CORS headers',
    async (origin) => {
      const h = await harness();
      await refused(h, await h.call(tokenRequest({ profile: 'checkout' }, { origin })), 403, 'origin_not_allowed', null);
    },
  );

  it("must be allowed by the requested profile, not just by another one", async () => {
    const h = await harness();
    // OTHER_ORIGIN is allowed for "widget" and "kite", not for "checkout".
    await refused(h, await h.call(tokenRequest({ profile: 'checkout' }, { origin: OTHER_ORIGIN })), 403, 'origin_not_allowed', null);
  });
});

describe('body', () => {
  it('Content-Type must be application/json (charset=utf-8 allowed)', async () => {
    const h = await harness();
    for (const contentType of [null, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/jsonp']) {
      await refused(h, await h.call(tokenRequest({ profile: 'checkout' }, { contentType })), 415, 'unsupported_media_type', ORIGIN);
    }
    expect((await h.call(tokenRequest({ profile: 'checkout' }, { contentType: 'application/json; charset=UTF-8' }))).status).toBe(200);
  });

  it('at most 2 KB, counted while reading: a false Content-Length or a chunked stream does not get past', async () => {
    const h = await harness();
    const big = JSON.stringify({ profile: 'checkout', scope: 'x'.repeat(2100) });
    await refused(h, await h.call(tokenRequest(big)), 413, 'payload_too_large', ORIGIN);
    // Declares 10 bytes, sends 3000: streamed, so the declared length is not enforced by the runtime.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 3; i++) controller.enqueue(new TextEncoder().encode(' '.repeat(1000)));
        controller.close();
      },
    });
    const lying = new Request('https://mint.example/v1/tokens', {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json', 'content-length': '10' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    await refused(h, await h.call(lying), 413, 'payload_too_large', ORIGIN);
    // 2048 bytes exactly is fine.
    const exact = JSON.stringify({ profile: 'checkout' });
    expect((await h.call(tokenRequest(exact + ' '.repeat(2048 - exact.length)))).status).toBe(200);
  });

  it('a client that disconnects mid-body gets a 4xx problem, logged below error level', async () => {
    const h = await harness();
    // What workerd hands the Worker when the client goes away: a body stream that errors after a chunk.
    const cut = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode('{"profile": "chec'));
        controller.error(new TypeError('Network connection lost.'));
      },
    });
    const request = new Request('https://mint.example/v1/tokens', { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: cut, duplex: 'half' } as RequestInit);
    await refused(h, await h.call(request), 400, 'incomplete_body', ORIGIN);
    expect(h.logs.filter((l) => l.level === 'error')).toEqual([]);
    expect(h.logs).toEqual([{ level: 'info', message: 'incomplete_body: POST /v1/tokens: the client stopped sending the body (TypeError)' }]);
  });

  it.each([
    ['not JSON', '{"profile": "checkout"'],
    ['empty', ''],
    ['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0x7d])],
  ])('malformed JSON (%s): 400 malformed_json', async (_, body) => {
    const h = await harness();
    const request = new Request('https://mint.example/v1/tokens', { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body });
    await refused(h, await h.call(request), 400, 'malformed_json', ORIGIN);
  });

  it('unknown fields are refused', async () => {
    const h = await harness();
    for (const body of [{ profile: 'checkout', audience: 'https://admin.example' }, { profile: 'checkout', scope: 'checkout', grant_type: 'x' }, { profile: 'checkout', __proto__: null, constructor: 1 }]) {
      await refused(h, await h.call(tokenRequest(body)), 400, 'unknown_field', ORIGIN);
    }
  });

  it.each([
    ['an array', []],
    ['no profile', {}],
    ['a number as profile', { profile: 1 }],
    ['a fractional expiresIn', { profile: 'checkout', expiresIn: 1.5 }],
    ['a zero expiresIn', { profile: 'checkout', expiresIn: 0 }],
    ['a string expiresIn', { profile: 'checkout', expiresIn: '60' }],
    ['a non-string scope', { profile: 'checkout', scope: ['checkout'] }],
  ])('wrong shapes (%s): 400 invalid_request', async (_, body) => {
    const h = await harness();
    await refused(h, await h.call(tokenRequest(body)), 400, 'invalid_request', ORIGIN);
  });

  it('unknown profile (including inherited property names): 400 unknown_profile', async () => {
    const h = await harness();
    for (const profile of ['nope', 'constructor', '__proto__', 'toString']) {
      await refused(h, await h.call(tokenRequest({ profile })), 400, 'unknown_profile', ORIGIN);
    }
  });
});

describe('scope and lifetime', () => {
  it('scope must be a subset of the allowed scopes: no escalation', async () => {
    const h = await harness();
    const scopes = ['admin', 'checkout admin', 'checkout  vault', ' checkout', 'checkout\tvault', '', 'CHECKOUT'];
    for (const [i, scope] of scopes.entries()) {
      // One client IP each: the rate limit (burst 3) comes before the scope check.
      await refused(h, await h.call(tokenRequest({ profile: 'checkout', scope }, { ip: `192.0.2.${i}` })), 400, 'invalid_scope', ORIGIN);
    }
  });

  it('an allowed subset is granted as asked (duplicates dropped); absent means the default scope', async () => {
    const h = await harness();
    const scopeOf = async (scope?: string) => ((await (await h.call(tokenRequest({ profile: 'checkout', ...(scope === undefined ? {} : { scope }) }))).json()) as { scope: string }).scope;
    expect(await scopeOf('refunds')).toBe('refunds');
    expect(await scopeOf('vault checkout vault')).toBe('vault checkout');
    expect(await scopeOf()).toBe('checkout');
  });

  it('expiresIn is clamped to maxExpiresIn; absent means maxExpiresIn', async () => {
    const h = await harness({ env: { TOKENMINT_CONFIG: testConfig((c) => void (c.profiles.checkout!.rateLimit = { burst: 10 })) } });
    const lifetime = async (expiresIn?: number) => ((await (await h.call(tokenRequest({ profile: 'checkout', ...(expiresIn === undefined ? {} : { expiresIn }) }))).json()) as { expiresIn: number }).expiresIn;
    expect(await lifetime(60)).toBe(60);
    expect(await lifetime(300)).toBe(300);
    expect(await lifetime(86_400)).toBe(300);
    expect(await lifetime(Number.MAX_SAFE_INTEGER)).toBe(300);
    expect(await lifetime()).toBe(300);
  });
});

describe('rate limit (per profile and client network, under a per-profile ceiling)', () => {
  it('a burst, then 429 with Retry-After; other IPs keep their own budget; tokens come back with time', async () => {
    const h = await harness(); // checkout: burst 3, 6 per minute (one every 10 s)
    for (let i = 0; i < 3; i++) expect((await h.call(tokenRequest({ profile: 'checkout' }))).status).toBe(200);
    const limited = await h.call(tokenRequest({ profile: 'checkout' }));
    expect(limited.status).toBe(429);
    expect((await problemOf(limited)).code).toBe('rate_limited');
    expect(limited.headers.get('retry-after')).toBe('10');
    expect(limited.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(limited.headers.get('access-control-expose-headers')).toBe('Retry-After');

    expect((await h.call(tokenRequest({ profile: 'checkout' }, { ip: '198.51.100.2' }))).status).toBe(200);
    h.clock.advance(9_000);
    expect((await h.call(tokenRequest({ profile: 'checkout' }))).headers.get('retry-after')).toBe('1');
    h.clock.advance(1_000);
    expect((await h.call(tokenRequest({ profile: 'checkout' }))).status).toBe(200);
    expect((await h.call(tokenRequest({ profile: 'checkout' }))).status).toBe(429);
  });

  it('is checked before scope and before any upstream call', async () => {
    const h = await harness();
    for (let i = 0; i < 3; i++) await h.call(tokenRequest({ profile: 'checkout', scope: 'admin' }));
    const response = await h.call(tokenRequest({ profile: 'checkout' }));
    expect(response.status).toBe(429);
    expect(upstreamCalls(h)).toBe(0);
  });

  it('IPv6 clients are one client per /64 (however the address is written); another /64 has its own budget', async () => {
    const h = await harness(); // checkout: burst 3
    for (const ip of ['2001:db8:1:2::a', '2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:0DB8:0001:0002:0:0:0:b']) {
      expect((await h.call(tokenRequest({ profile: 'checkout' }, { ip }))).status, ip).toBe(200);
    }
    expect((await h.call(tokenRequest({ profile: 'checkout' }, { ip: '2001:db8:1:2::c' }))).status).toBe(429);
    expect((await h.call(tokenRequest({ profile: 'checkout' }, { ip: '2001:db8:1:3::a' }))).status).toBe(200);
    // An IPv4-mapped address is that IPv4 client.
    for (let i = 0; i < 3; i++) await h.call(tokenRequest({ profile: 'checkout' }, { ip: '198.51.100.20' }));
    expect((await h.call(tokenRequest({ profile: 'checkout' }, { ip: '::ffff:198.51.100.20' }))).status).toBe(429);
  });

  it('another allowed Origin does not buy a client more requests (Origin is not authentication)', async () => {
    const h = await harness({ env: { TOKENMINT_CONFIG: testConfig((c) => void (c.profiles.widget!.rateLimit = { burst: 2, perMinute: 6 })) } });
    for (let i = 0; i < 2; i++) expect((await h.call(tokenRequest({ profile: 'widget' }))).status).toBe(200);
    expect((await h.call(tokenRequest({ profile: 'widget' }, { origin: OTHER_ORIGIN }))).status).toBe(429);
  });

  it('a per-profile ceiling holds however many clients share the load; by default too', async () => {
    const config = testConfig((c) => void (c.profiles.checkout!.rateLimit = { burst: 3, perMinute: 6, ceiling: { burst: 5, perMinute: 12 } }));
    const h = await harness({ env: { TOKENMINT_CONFIG: config } });
    for (let i = 0; i < 5; i++) expect((await h.call(tokenRequest({ profile: 'checkout' }, { ip: `192.0.2.${i}` }))).status).toBe(200);
    const limited = await h.call(tokenRequest({ profile: 'checkout' }, { ip: '192.0.2.99' }));
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '5']);
    expect((await h.call(tokenRequest({ profile: 'kite' }, { origin: OTHER_ORIGIN, ip: '192.0.2.99' }))).status).toBe(200); // per profile
    h.clock.advance(5_000);
    expect((await h.call(tokenRequest({ profile: 'checkout' }, { ip: '192.0.2.99' }))).status).toBe(200);
    // Without a ceiling in the config: 100 at once, 600 a minute.
    const d = await harness();
    let served = 0;
    for (let i = 0; i < 120; i++) if ((await d.call(tokenRequest({ profile: 'checkout' }, { ip: `10.0.${i}.1` }))).status === 200) served++;
    expect(served).toBe(100);
  });

  it('without CF-Connecting-IP (not behind Cloudflare) all clients are one client; the operator is told once', async () => {
    const h = await harness();
    const anonymous = () => {
      const request = tokenRequest({ profile: 'checkout' });
      request.headers.delete('cf-connecting-ip');
      return request;
    };
    for (let i = 0; i < 3; i++) expect((await h.call(anonymous())).status).toBe(200);
    expect((await h.call(anonymous())).status).toBe(429);
    expect((await h.call(tokenRequest({ profile: 'checkout' }))).status).toBe(200); // a client with an address: its own budget
    expect(h.logs.filter((l) => l.message.includes('CF-Connecting-IP'))).toEqual([{ level: 'warn', message: expect.stringContaining('share one rate-limit bucket per profile') }]);
  });

  it('a per-client limit above the ceiling is a config error', async () => {
    const config = testConfig((c) => void (c.profiles.checkout!.rateLimit = { burst: 200 }));
    const h = await harness({ env: { TOKENMINT_CONFIG: config } });
    expect((await h.call(tokenRequest({ profile: 'checkout' }))).status).toBe(503);
    expect(h.logs.map((l) => l.message)).toContainEqual(expect.stringMatching(/profile "checkout": rateLimit\.burst \(200\) is above rateLimit\.ceiling\.burst \(100\)/));
  });

  it("Cloudflare's binding is consulted after the bucket, keyed by profile and client network; success: false is a 429", async () => {
    const keys: string[] = [];
    let allow = true;
    const binding = { limit: async ({ key }: { key: string }) => (keys.push(key), { success: allow }) };
    const config = testConfig((c) => void (c.profiles.checkout!.rateLimit = { burst: 100, binding: 'MINT_LIMITER' }));
    const h = await harness({ env: { TOKENMINT_CONFIG: config, MINT_LIMITER: binding } });
    expect((await h.call(tokenRequest({ profile: 'checkout' }))).status).toBe(200);
    allow = false;
    const limited = await h.call(tokenRequest({ profile: 'checkout' }));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
    expect(keys).toEqual(['checkout 203.0.113.7', 'checkout 203.0.113.7']);
    expect(upstreamCalls(h)).toBe(1);
  });

  it('the ceiling consults its own binding, keyed by profile alone', async () => {
    const keys: string[] = [];
    let allow = true;
    const binding = { limit: async ({ key }: { key: string }) => (keys.push(key), { success: allow }) };
    const config = testConfig((c) => void (c.profiles.checkout!.rateLimit = { ceiling: { binding: 'MINT_CEILING' } }));
    const h = await harness({ env: { TOKENMINT_CONFIG: config, MINT_CEILING: binding } });
    expect((await h.call(tokenRequest({ profile: 'checkout' }, { ip: '2001:db8::1' }))).status).toBe(200);
    allow = false;
    expect((await h.call(tokenRequest({ profile: 'checkout' }, { ip: '192.0.2.1' }))).status).toBe(429);
    expect(keys).toEqual(['checkout', 'checkout']);
  });

  it('a failing binding falls back to the in-isolate bucket (logged once)', async () => {
    const binding = { limit: async () => Promise.reject(new Error('binding down')) };
    const config = testConfig((c) => void (c.profiles.checkout!.rateLimit = { burst: 1, binding: 'MINT_LIMITER' }));
    const h = await harness({ env: { TOKENMINT_CONFIG: config, MINT_LIMITER: binding } });
    expect((await h.call(tokenRequest({ profile: 'checkout' }))).status).toBe(200);
    expect((await h.call(tokenRequest({ profile: 'checkout' }))).status).toBe(429);
    expect(h.logs.filter((l) => l.message.includes('rateLimit.binding "MINT_LIMITER" failed'))).toHaveLength(1);
  });
});

describe('CORS preflight', () => {
  it('an allowed origin gets exactly POST + Content-Type, cached 10 minutes', async () => {
    const h = await harness();
    const response = await h.call(preflightRequest(OTHER_ORIGIN));
    expect(response.status).toBe(204);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'access-control-allow-origin': OTHER_ORIGIN,
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'Content-Type',
      'access-control-max-age': '600',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    expect(response.headers.get('vary')).toMatch(/^Origin\b/);
    expect(response.headers.has('access-control-allow-credentials')).toBe(false);
  });

  it.each([
    ['no Origin', null, 'POST', 'content-type', 403, 'origin_missing'],
    ['a foreign Origin', EVIL_ORIGIN, 'POST', 'content-type', 403, 'origin_not_allowed'],
    ['Origin null', 'null', 'POST', 'content-type', 403, 'origin_not_allowed'],
    ['another method', ORIGIN, 'PUT', 'content-type', 400, 'invalid_preflight'],
    ['another header', ORIGIN, 'POST', 'content-type, authorization', 400, 'invalid_preflight'],
  ])('refused: %s', async (_, origin, method, headers, status, code) => {
    const h = await harness();
    const response = await h.call(preflightRequest(origin, method, headers));
    expect(response.status).toBe(status);
    expect((await problemOf(response)).code).toBe(code);
    expect(response.headers.get('access-control-allow-methods')).toBeNull();
  });
});

describe('every response', () => {
  it('carries Cache-Control: no-store, Vary: Origin and nosniff; CORS only for allowed origins', async () => {
    const h = await harness();
    const requests: [Request, string | null][] = [
      [tokenRequest({ profile: 'checkout' }), ORIGIN],
      [tokenRequest({ profile: 'nope' }), ORIGIN],
      [tokenRequest({ profile: 'checkout' }, { origin: EVIL_ORIGIN }), null],
      [preflightRequest(ORIGIN), ORIGIN],
      [preflightRequest(EVIL_ORIGIN), null],
      [get('/healthz'), null],
      [get('/.well-known/jwks.json', { origin: ORIGIN }), ORIGIN],
      [get('/.well-known/jwks.json', { origin: EVIL_ORIGIN }), null],
      [get('/nope', { origin: ORIGIN }), null],
      [new Request('https://mint.example/v1/tokens', { headers: { origin: ORIGIN } }), null],
      [get('/__emulator'), null],
    ];
    for (const [request, cors] of requests) {
      const response = await h.call(request);
      expect(response.headers.get('cache-control'), request.url).toBe('no-store');
      expect(response.headers.get('vary')).toMatch(/^Origin\b/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('access-control-allow-origin')).toBe(cors);
    }
  });

  it('unknown paths are 404 and known paths with another method 405 with Allow, as problem+json', async () => {
    const h = await harness();
    expect(await problemOf(await h.call(get('/v1/token')))).toMatchObject({ status: 404, code: 'not_found' });
    const wrongMethod = await h.call(new Request('https://mint.example/v1/tokens', { method: 'GET' }));
    expect(await problemOf(wrongMethod)).toMatchObject({ status: 405, code: 'method_not_allowed' });
    expect(wrongMethod.headers.get('allow')).toBe('POST, OPTIONS');
    expect((await h.call(new Request('https://mint.example/healthz', { method: 'POST' }))).headers.get('allow')).toBe('GET, HEAD');
  });
});
