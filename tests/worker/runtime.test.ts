// The Worker of wrangler.toml through the runtime (not an import of the module): the demo config, the
// bindings vitest.config.ts provides (a fresh session key, the emulator's demo credentials), the real
// `[[ratelimits]]` binding, and workerd's own ExecutionContext.
import { SELF } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import * as main from '../../src/worker/main.js';
import { verifySessionToken } from './_mint-helpers.js';

const DEMO_ORIGIN = 'http://127.0.0.1:8787';
type Fetch = (request: Request) => Promise<Response>;
const viaExports: Fetch = (request) => (exports as unknown as { default: { fetch: Fetch } }).default.fetch(request);
const viaSelf: Fetch = (request) => SELF.fetch(request);

const mint = (body: unknown, origin = DEMO_ORIGIN): Request =>
  new Request('http://127.0.0.1:8787/v1/tokens', { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify(body) });

// The vitest pool loads the module its own way; `wrangler dev` and deploys do not, and workerd refuses
// a main module whose named exports are not entrypoints.
it('the wrangler main module exports the Worker and its Durable Object class, nothing else', () => {
  expect(Object.keys(main).sort()).toEqual(['TokenCoordinator', 'default']);
  expect(typeof main.default.fetch).toBe('function');
});

describe.each([
  ['exports.default.fetch', viaExports],
  ['SELF.fetch', viaSelf],
])('through the runtime (%s)', (_, call) => {
  it('session mode: a JWT that verifies against the JWKS', async () => {
    const response = await call(mint({ profile: 'demo-session', scope: 'checkout vault', expiresIn: 600 }));
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(DEMO_ORIGIN);
    const body = (await response.json()) as { accessToken: string; expiresIn: number; scope: string };
    expect([body.expiresIn, body.scope]).toEqual([300, 'checkout vault']);
    const jwks = (await (await call(new Request('http://127.0.0.1:8787/.well-known/jwks.json'))).json()) as { keys: JsonWebKey[] };
    const { claims } = await verifySessionToken(body.accessToken, jwks, { audience: 'tokenmint-demo', now: Date.now() });
    expect(claims).toMatchObject({ iss: 'http://127.0.0.1:8787', origin: DEMO_ORIGIN, scope: 'checkout vault' });
  });

  it('upstream mode: a PayPal client token from the emulator', async () => {
    const response = await call(mint({ profile: 'demo-upstream' }, 'http://localhost:8787'));
    expect(response.status).toBe(200);
    // The real clock: the emulator's 900 s token has aged by the time the Worker answers (899 on a loaded machine).
    expect(await response.json()).toMatchObject({ tokenType: 'ClientToken', expiresIn: expect.toSatisfy((s: number) => s > 890 && s <= 900), scope: 'checkout' });
  });

  it('policy holds: foreign origin, preflight, headers', async () => {
    const refused = await call(mint({ profile: 'demo-session' }, 'https://evil.example'));
    expect([refused.status, refused.headers.get('access-control-allow-origin')]).toEqual([403, null]);
    const preflight = await call(
      new Request('http://127.0.0.1:8787/v1/tokens', { method: 'OPTIONS', headers: { origin: DEMO_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } }),
    );
    expect(preflight.status).toBe(204);
    for (const response of [refused, preflight]) {
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });
});

describe('through the runtime: the dev emulator surface of the demo config', () => {
  // A 400 is not retried, so nothing here waits on the Worker's backoff timers.
  it('an injected fault turns into a 502, then clears', async () => {
    const inject = await viaSelf(
      new Request('http://127.0.0.1:8787/__emulator/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ provider: 'paypal', status: 400 }) }),
    );
    expect(inject.status).toBe(201);
    const failed = await viaSelf(mint({ profile: 'demo-upstream' }));
    expect(failed.status).toBe(502);
    expect(((await failed.json()) as { code: string }).code).toBe('upstream_rejected');
    expect((await viaSelf(new Request('http://127.0.0.1:8787/__emulator/faults', { method: 'DELETE' }))).status).toBe(204);
    expect((await viaSelf(mint({ profile: 'demo-upstream' }))).status).toBe(200);
  });
});
