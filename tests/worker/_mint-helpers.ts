// Shared by the mint Worker tests: a Worker on a hand-driven clock, an emulator that accepts only the
// planted credentials, a test config, request builders, a JWT checker, and a record of every response
// so that a test can scan them all for planted secrets.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { devEmulatorFactory } from '../../src/worker/dev/emulator.js';
import { createMintWorker, type MintEnv, type MintWorker, type MintWorkerOptions } from '../../src/worker/index.js';
import { prismService } from '../../src/worker/prism/index.js';
import { proxy } from '../../src/worker/proxy/index.js';
import { vault } from '../../src/worker/vault/index.js';

export const NOW = Date.parse('2026-11-21T12:00:00Z');
export const ORIGIN = 'https://shop.example';
export const OTHER_ORIGIN = 'https://other-shop.example';
export const EVIL_ORIGIN = 'https://evil.example';

/** Recognisable secrets: no response may ever contain any of them. */
export const PLANTED = {
  PAYPAL_CLIENT_ID: 'PLANTED-paypal-client-id-5a1e',
  PAYPAL_CLIENT_SECRET: 'PLANTED-paypal-secret-9f3c7d',
  KITEGATEWAY_API_KEY: 'PLANTED-kite-api-key-42b8',
  KITEGATEWAY_SECRET_KEY: 'PLANTED-kite-secret-key-e71d',
};

export interface TestClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Moves time forward, running the timers that fall due. Nothing waits on the wall clock. */
  advance(ms: number): void;
}

/** Zero-delay timers (retry backoff with `random: () => 0`) run on the microtask queue; others wait for `advance`. */
export function testClock(start: number = NOW): TestClock {
  let now = start;
  let next = 0;
  const timers = new Map<number, { at: number; callback: () => void }>();
  return {
    now: () => now,
    setTimeout(callback, ms) {
      const id = ++next;
      timers.set(id, { at: now + Math.max(0, ms), callback });
      if (ms <= 0) queueMicrotask(() => timers.delete(id) && callback());
      return id;
    },
    clearTimeout: (handle) => void timers.delete(handle as number),
    advance(ms) {
      now += ms;
      for (const [id, timer] of [...timers].sort((a, b) => a[1].at - b[1].at)) {
        if (timer.at <= now && timers.delete(id)) timer.callback();
      }
    },
  };
}

/** A private EC P-256 JWK as a secret string, plus its parts. */
export async function generateKey(extra: Record<string, string> = {}): Promise<{ secret: string; jwk: JsonWebKey }> {
  const { privateKey } = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const { kty, crv, x, y, d } = (await crypto.subtle.exportKey('jwk', privateKey)) as JsonWebKey;
  const jwk = { kty, crv, x, y, d, ...extra } as JsonWebKey;
  return { secret: JSON.stringify(jwk), jwk };
}

type Json = Record<string, unknown>;

/** Profiles every test starts from: session and upstream on the emulator, plus a provider-routed one. */
export function testConfig(change: (config: Json & { profiles: Record<string, Json> }) => void = () => {}): string {
  const config = {
    issuer: 'https://mint.example',
    devEmulator: {},
    profiles: {
      checkout: {
        mode: 'session',
        provider: 'paypal',
        upstream: 'emulator',
        allowedOrigins: [ORIGIN],
        scopes: ['checkout', 'vault', 'refunds'],
        defaultScope: 'checkout',
        maxExpiresIn: 300,
        audience: 'https://api.shop.example',
        rateLimit: { burst: 3, perMinute: 6 },
      },
      widget: {
        mode: 'upstream',
        provider: 'paypalClientToken',
        upstream: 'emulator',
        allowedOrigins: [ORIGIN, OTHER_ORIGIN],
        scopes: ['checkout'],
        defaultScope: 'checkout',
        maxExpiresIn: 900,
      },
      kite: {
        mode: 'session',
        provider: 'kitegateway',
        upstream: 'emulator',
        options: { expiresIn: 900 },
        allowedOrigins: [OTHER_ORIGIN],
        scopes: ['pay'],
        defaultScope: 'pay',
        maxExpiresIn: 120,
        audience: 'kite-api',
      },
    },
  } as Json & { profiles: Record<string, Json> };
  change(config);
  return JSON.stringify(config);
}

export interface Harness {
  worker: MintWorker;
  env: MintEnv;
  clock: TestClock;
  logs: { level: string; message: string }[];
  /** Every emulator the Worker created (one, unless lifetimes changed). */
  emulators: Emulator[];
  /** Access and client tokens the emulator issued: the session tests prove none reaches a page. */
  issued: string[];
  /** Every response the harness returned, for the secret scan. */
  responses: Response[];
  /** Calls `worker.fetch(request, env, ctx)` and waits for its waitUntil work; also returns how many promises were handed to waitUntil. */
  call(request: Request, env?: MintEnv): Promise<Response>;
  waitUntilCount(): number;
}

/** A Worker with a test clock, an emulator that knows only the planted credentials, and captured logs. */
export async function harness(options: { env?: MintEnv; worker?: MintWorkerOptions } = {}): Promise<Harness> {
  const clock = testClock();
  const logs: Harness['logs'] = [];
  const emulators: Emulator[] = [];
  const issued: string[] = [];
  const responses: Response[] = [];
  const key = await generateKey();
  const env: MintEnv = {
    TOKENMINT_CONFIG: testConfig(),
    TOKENMINT_DEV_EMULATOR: 'on',
    TOKENMINT_SESSION_KEY: key.secret,
    ...PLANTED,
    ...options.env,
  };
  const worker = createMintWorker({
    clock,
    random: () => 0,
    log: (level, message) => void logs.push({ level, message }),
    devEmulator: devEmulatorFactory((emulatorOptions) => {
      const emulator = createEmulator({
        ...emulatorOptions,
        paypal: { ...emulatorOptions.paypal, clients: { [PLANTED.PAYPAL_CLIENT_ID]: PLANTED.PAYPAL_CLIENT_SECRET } },
        kitegateway: { credentials: [{ apiKey: PLANTED.KITEGATEWAY_API_KEY, secretKey: PLANTED.KITEGATEWAY_SECRET_KEY }] },
      });
      emulators.push(emulator);
      // Records what the emulator hands out, then returns it unchanged.
      const fetchAndRecord: typeof fetch = async (input, init) => {
        const response = await emulator.fetch(input, init);
        try {
          const body = (await response.clone().json()) as { access_token?: string; client_token?: string; data?: { token?: string } };
          for (const token of [body.access_token, body.client_token, body.data?.token]) if (token) issued.push(token);
        } catch {
          // not JSON: nothing issued
        }
        return response;
      };
      return { ...emulator, fetch: fetchAndRecord };
    }),
    // Every opt-in part, as the dev entry has them (a test of a Worker without one passes `worker`).
    proxy: proxy(),
    vault: vault(),
    prismService: prismService(),
    ...options.worker,
  });
  let waited = 0;
  return {
    worker,
    env,
    clock,
    logs,
    emulators,
    issued,
    responses,
    waitUntilCount: () => waited,
    async call(request, callEnv = env) {
      const ctx = createExecutionContext();
      const waitUntil = ctx.waitUntil.bind(ctx);
      ctx.waitUntil = (promise) => {
        waited++;
        waitUntil(promise);
      };
      const response = await worker.fetch(request, callEnv, ctx);
      await waitOnExecutionContext(ctx);
      responses.push(response.clone());
      return response;
    },
  };
}

export interface TokenRequestInit {
  origin?: string | null;
  contentType?: string | null;
  ip?: string;
  headers?: Record<string, string>;
  method?: string;
}

/** `POST /v1/tokens` with a JSON body (or the raw string given) from ORIGIN. */
export function tokenRequest(body: unknown, init: TokenRequestInit = {}): Request {
  const headers = new Headers(init.headers);
  const origin = init.origin === undefined ? ORIGIN : init.origin;
  if (origin !== null) headers.set('origin', origin);
  const contentType = init.contentType === undefined ? 'application/json' : init.contentType;
  if (contentType !== null) headers.set('content-type', contentType);
  headers.set('cf-connecting-ip', init.ip ?? '203.0.113.7');
  return new Request('https://mint.example/v1/tokens', {
    method: init.method ?? 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export function preflightRequest(origin: string | null, method = 'POST', requestHeaders = 'content-type'): Request {
  const headers: Record<string, string> = { 'access-control-request-method': method, 'access-control-request-headers': requestHeaders };
  if (origin !== null) headers.origin = origin;
  return new Request('https://mint.example/v1/tokens', { method: 'OPTIONS', headers });
}

export const get = (path: string, headers: Record<string, string> = {}): Request => new Request(`https://mint.example${path}`, { headers });

/** A GET of the dev emulator's control surface, which answers loopback hosts only. */
export const devGet = (path: string): Request => new Request(`http://127.0.0.1:8787/__emulator${path}`);

/** The problem body of a response, after checking it is problem+json. */
export async function problemOf(response: Response): Promise<{ status: number; code: string; title: string; detail?: string }> {
  if (response.headers.get('content-type') !== 'application/problem+json') throw new Error(`not a problem: ${response.status} ${response.headers.get('content-type')}`);
  return (await response.json()) as { status: number; code: string; title: string };
}

export function base64urlDecode(text: string): Uint8Array {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)), (c) => c.charCodeAt(0));
}

const decodeJson = (part: string): Json => JSON.parse(new TextDecoder().decode(base64urlDecode(part))) as Json;

/**
 * Verifies a session JWT as a resource server would: the key by `kid` from the JWKS, the ES256
 * signature with WebCrypto, then `exp` and `aud`. Returns header and claims; throws on any failure.
 */
export async function verifySessionToken(
  token: string,
  jwks: { keys: JsonWebKey[] },
  expected: { audience: string; now: number },
): Promise<{ header: Json; claims: Json }> {
  const [headerPart = '', payloadPart = '', signaturePart = ''] = token.split('.');
  const header = decodeJson(headerPart);
  const claims = decodeJson(payloadPart);
  if (header.alg !== 'ES256' || header.typ !== 'JWT') throw new Error('unexpected header');
  const jwk = jwks.keys.find((key) => (key as { kid?: string }).kid === header.kid);
  if (jwk === undefined) throw new Error('no key with that kid');
  const key = await crypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
  const valid = await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, base64urlDecode(signaturePart), new TextEncoder().encode(`${headerPart}.${payloadPart}`));
  if (!valid) throw new Error('bad signature');
  if (!(typeof claims.exp === 'number' && claims.exp * 1000 > expected.now)) throw new Error('expired');
  if (claims.aud !== expected.audience) throw new Error('wrong audience');
  return { header, claims };
}
