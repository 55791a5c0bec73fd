// The Worker of wrangler.toml through the runtime (not an import of the module): the demo config, the
// bindings vitest.config.ts provides (a fresh session key, the emulator's demo credentials), the real
// `[[ratelimits]]` binding, and workerd's own ExecutionContext.
import { createExecutionContext, env, SELF } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import * as devMain from '../../src/worker/dev/main.js';
import * as main from '../../src/worker/main.js';
import { verifySessionToken } from './_mint-helpers.js';

const DEMO_ORIGIN = 'http://127.0.0.1:8787';
type Fetch = (request: Request) => Promise<Response>;
const viaExports: Fetch = (request) => (exports as unknown as { default: { fetch: Fetch } }).default.fetch(request);
const viaSelf: Fetch = (request) => SELF.fetch(request);

const mint = (body: unknown, origin = DEMO_ORIGIN): Request =>
  new Request('http://127.0.0.1:8787/v1/tokens', { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify(body) });

// The vitest pool loads the module its own way; `wrangler dev` and deploys do not, and workerd refuses
// a main module whose named exports are not entrypoints. Production (main.ts) and dev entry alike.
it.each([
  ['main.ts', main, ['TokenCoordinator', 'default']],
  ['dev/main.ts', devMain, ['TokenCoordinator', 'TokenVault', 'default']],
])('the wrangler main module %s exports the Worker and its Durable Object classes, nothing else', (_, module, names) => {
  expect(Object.keys(module).sort()).toEqual(names);
  expect(typeof module.default.fetch).toBe('function');
  expect(typeof module.TokenCoordinator).toBe('function');
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
    const body = (await response.json()) as { tokenType: string; expiresIn: number; scope: string };
    expect(body).toMatchObject({ tokenType: 'ClientToken', scope: 'checkout' });
    // The emulator's 900 s token, maybe cached by an earlier mint: seconds left on the real clock, so a
    // bound (an exact 900 failed under load, a second having passed since the first mint).
    expect(body.expiresIn).toBeLessThanOrEqual(900);
    expect(body.expiresIn).toBeGreaterThan(600);
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

describe('the production entry (main.ts) has no emulator', () => {
  const logs: string[] = [];
  const call = (module: typeof main, request: Request, bindings: Record<string, unknown>) => module.default.fetch(request, { ...env, ...bindings }, createExecutionContext());

  it('refuses the dev config (503 config_invalid), which the dev entry serves', async () => {
    const error = console.error;
    console.error = (message: string) => void logs.push(message);
    try {
      const refused = await call(main, mint({ profile: 'demo-session' }), {});
      expect(refused.status).toBe(503);
      expect(((await refused.json()) as { code: string }).code).toBe('config_invalid');
      expect(logs.join('\n')).toContain('devEmulator needs the development entry');
    } finally {
      console.error = error;
    }
    expect((await call(devMain, mint({ profile: 'demo-session' }), {})).status).toBe(200);
  });

  it('answers /__emulator with 404 under a production config', async () => {
    const config = { issuer: 'https://mint.example', profiles: { p: { mode: 'session', provider: 'paypal', options: { environment: 'sandbox' }, allowedOrigins: ['https://shop.example'], scopes: ['a'], defaultScope: 'a', maxExpiresIn: 60, audience: 'api' } } };
    const response = await call(main, new Request('http://127.0.0.1:8787/__emulator/requests'), { TOKENMINT_CONFIG: JSON.stringify(config) });
    expect(response.status).toBe(404);
  });
});
