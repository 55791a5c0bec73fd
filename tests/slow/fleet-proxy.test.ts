// The proxy on a fleet in Miniflare (workerd): four copies of the bundled mint Worker, one
// TokenCoordinator namespace, one upstream (the PayPal emulator, Orders v2 included) as their outbound
// service. Proxied calls from every isolate share one server token; when the provider refuses it, the
// fleet fetches one new token between them (the isolates tell the object which token was refused).
import { Miniflare, convertV4MiniflareOptions } from 'miniflare';
import { afterEach, describe, expect, it } from 'vitest';
import { devVars } from '../../scripts/lib/dev-vars.mjs';
import { FLEET_PROFILE, fleetScripts, mintWorker, upstreamWorker } from './fixtures/fleet/miniflare.mjs';

const ORIGIN = 'https://shop.example';
const ISOLATES = 4;
const [mintScript, upstreamScript] = await fleetScripts();

// One issuer for every copy (the default, the Worker's own origin, differs per test host here).
const CONFIG = JSON.stringify({
  issuer: 'https://mint.fleet.test',
  profiles: {
    fleet: { ...FLEET_PROFILE, proxy: { allow: { checkout: ['POST /v2/checkout/orders', 'GET /v2/checkout/orders/:id'] }, apiBase: 'https://upstream.test/paypal' } },
  },
});

async function startFleet() {
  const { TOKENMINT_SESSION_KEY, PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET } = await devVars();
  const bindings = { TOKENMINT_CONFIG: CONFIG, TOKENMINT_SESSION_KEY, PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET };
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      workers: [...Array.from({ length: ISOLATES }, (_, i) => mintWorker({ i, script: mintScript, host: `mint-${i}.fleet.test`, bindings })), upstreamWorker(upstreamScript, 600)],
    }),
  );
  await mf.ready;
  const upstream = await mf.getWorker('upstream');
  const control = async (path: string) => (await upstream.fetch(`https://upstream.test/__upstream/${path}`, { method: path === 'revoke' ? 'POST' : 'GET' })).json().catch(() => undefined);
  // Every isolate shares the signing key: a session minted on one is good on all.
  const minted = await mf.dispatchFetch('https://mint-0.fleet.test/v1/tokens', { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify({ profile: 'fleet' }) });
  const { accessToken } = (await minted.json()) as { accessToken: string };
  return {
    mf,
    /** A proxied order create on isolate `i % ISOLATES`: its status. */
    async order(i: number): Promise<number> {
      const response = await mf.dispatchFetch(`https://mint-${i % ISOLATES}.fleet.test/v1/proxy/fleet/v2/checkout/orders`, {
        method: 'POST',
        headers: { origin: ORIGIN, authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ intent: 'CAPTURE', purchase_units: [{ amount: { currency_code: 'EUR', value: '5.00' } }] }),
      });
      await response.arrayBuffer();
      return response.status;
    },
    stats: async () => (await control('stats')) as { attempts: number; tokens: number; failed: number },
    api: async () => (await control('api')) as Record<string, number>,
    revoke: () => control('revoke'),
  };
}

let fleet: Awaited<ReturnType<typeof startFleet>> | undefined;
afterEach(async () => {
  await fleet?.mf.dispose();
  fleet = undefined;
});

describe('the proxy on a fleet of isolates (Miniflare)', () => {
  it('200 concurrent proxied calls over 4 isolates: one server-token request; after the provider refuses that token, one more for the whole fleet', { timeout: 60_000 }, async () => {
    fleet = await startFleet();
    const first = await Promise.all(Array.from({ length: 200 }, (_, i) => fleet!.order(i)));
    expect(first.filter((status) => status !== 201)).toEqual([]);
    expect(await fleet.stats()).toEqual({ attempts: 1, tokens: 1, failed: 0 });
    expect(await fleet.api()).toEqual({ 201: 200 });

    await fleet.revoke();
    const second = await Promise.all(Array.from({ length: 100 }, (_, i) => fleet!.order(i)));
    expect(second.filter((status) => status !== 201)).toEqual([]);
    expect(await fleet.stats()).toEqual({ attempts: 2, tokens: 2, failed: 0 });
    const api = await fleet.api();
    expect(api[201]).toBe(300);
    expect(api[401]).toBeGreaterThan(0); // refused calls, each retried once with the new token
  });
});
