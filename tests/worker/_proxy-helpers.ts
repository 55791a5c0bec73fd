// Shared by the proxy tests: a harness whose `checkout` profile has a proxy, a session token minted
// through the Worker itself, proxied request builders, and a count of what reached the provider.
import { importSigningKeys } from '../../src/worker/index.js';
import { sessionClaims, signSession, type SessionClaims } from '../../src/worker/mint/session.js';
import { harness, NOW, ORIGIN, OTHER_ORIGIN, testConfig, tokenRequest, type Harness } from './_mint-helpers.js';
import type { MintEnv, MintWorkerOptions } from '../../src/worker/index.js';

type Json = Record<string, unknown>;
type Config = Json & { profiles: Record<string, Json> };

export const CHECKOUT_ROUTES = ['POST /v2/checkout/orders', 'GET /v2/checkout/orders/:id', 'GET /echo', 'POST /echo'];

/** The test config plus a proxy on `checkout` (also allowed from OTHER_ORIGIN) and on `kite`. */
export function proxyConfig(change: (config: Config) => void = () => {}): string {
  return testConfig((c) => {
    const checkout = c.profiles.checkout!;
    checkout.allowedOrigins = [ORIGIN, OTHER_ORIGIN];
    checkout.rateLimit = { burst: 50, perMinute: 600 };
    checkout.proxy = { allow: { checkout: CHECKOUT_ROUTES, refunds: ['POST /v2/payments/captures/:id/refund'] }, maxRequestBytes: 1024 };
    c.profiles.kite!.proxy = { allow: { pay: ['GET /echo'] } };
    change(c);
  });
}

export async function proxyHarness(options: { env?: MintEnv; worker?: MintWorkerOptions; config?: (config: Config) => void } = {}): Promise<Harness> {
  return harness({ env: { TOKENMINT_CONFIG: proxyConfig(options.config), ...options.env }, ...(options.worker === undefined ? {} : { worker: options.worker }) });
}

/** A session token minted by the Worker for `profile` (default checkout, scope checkout). */
export async function session(h: Harness, body: Json = { profile: 'checkout' }, origin = ORIGIN): Promise<string> {
  const response = await h.call(tokenRequest(body, { origin }));
  if (response.status !== 200) throw new Error(`mint failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

/** A session token signed with the Worker's own key, with claims changed by `change`. */
export async function craftedSession(h: Harness, change: (claims: SessionClaims & Json) => void): Promise<string> {
  const keys = await importSigningKeys(h.env.TOKENMINT_SESSION_KEY as string);
  const claims = sessionClaims({ issuer: 'https://mint.example', audience: 'https://api.shop.example', scope: 'checkout', origin: ORIGIN, profile: 'checkout', now: h.clock.now(), expiresIn: 300 }) as SessionClaims & Json;
  change(claims);
  return signSession(keys, claims);
}

export interface ProxiedInit {
  method?: string;
  token?: string | null;
  origin?: string | null;
  headers?: Record<string, string>;
  body?: BodyInit;
}

/** A call to `/v1/proxy/{path}` (path includes the profile) from ORIGIN with the session token. */
export function proxied(path: string, init: ProxiedInit = {}): Request {
  const headers = new Headers(init.headers);
  const origin = init.origin === undefined ? ORIGIN : init.origin;
  if (origin !== null) headers.set('origin', origin);
  if (init.token !== undefined && init.token !== null) headers.set('authorization', `Bearer ${init.token}`);
  headers.set('cf-connecting-ip', '203.0.113.9');
  return new Request(`https://mint.example/v1/proxy/${path}`, { method: init.method ?? 'GET', headers, ...(init.body === undefined ? {} : { body: init.body }) });
}

/** Requests the provider received other than token requests: what the proxy sent. */
export function apiCalls(h: Harness): { method: string; path: string; headers: Record<string, string>; body: string }[] {
  return h.emulators.flatMap((emulator) => emulator.requests).filter((request) => !/\/(oauth2\/token|auth\/token|identity\/generate-token)$/.test(request.path));
}

/** Every request the provider received (token requests included). */
export const upstreamCount = (h: Harness): number => h.emulators.reduce((sum, emulator) => sum + emulator.requests.length, 0);

export const ORDER = { intent: 'CAPTURE', purchase_units: [{ amount: { currency_code: 'EUR', value: '12.50' } }] };
export { NOW, ORIGIN, OTHER_ORIGIN };
