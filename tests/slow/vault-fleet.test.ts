// A fleet in Miniflare (workerd): four copies of the bundled mint Worker, each its own isolate, bound to
// one TokenVault namespace (hosted by mint-0's script), all reaching one CyberSource emulator as their
// outbound service. The profile is onboarded through the vault routes; then concurrent mints, and the
// object's alarm racing the isolates at every refresh point on the real clock, spend the rotating
// refresh token exactly once per generation: a second refresh with the same token would be refused.
import { afterEach, describe, expect, it } from 'vitest';
import { devVars } from '../../scripts/lib/dev-vars.mjs';
import { ORIGIN, bundle, mintOn, startMiniflare } from './_miniflare.js';

const [mintScript, upstreamScript] = await Promise.all([bundle('tests/slow/fixtures/vault-fleet/mint-entry.ts'), bundle('tests/slow/fixtures/vault-fleet/upstream-entry.ts')]);

const CONFIG = JSON.stringify({
  issuer: 'https://mint.fleet.test',
  profiles: {
    fleet: {
      mode: 'session',
      provider: 'cybersource',
      options: { environment: 'sandbox', baseUrl: 'https://upstream.test/cybersource', authorizeUrl: 'https://upstream.test/cybersource/ebc2/oauth/authorize' },
      allowedOrigins: [ORIGIN],
      scopes: ['payments'],
      defaultScope: 'payments',
      maxExpiresIn: 300,
      audience: 'fleet-api',
      rateLimit: { burst: 1000, perMinute: 10_000, ceiling: { burst: 100_000, perMinute: 1_000_000 } },
    },
  },
});

interface Stats {
  refreshes: number;
  failed: number;
  codes: number;
  active: number;
}

async function startFleet(isolates: number, lifetime: number) {
  const vars = await devVars();
  const secrets = {
    TOKENMINT_SESSION_KEY: vars.TOKENMINT_SESSION_KEY,
    TOKENMINT_VAULT_KEYS: vars.TOKENMINT_VAULT_KEYS,
    TOKENMINT_ADMIN_TOKEN: vars.TOKENMINT_ADMIN_TOKEN,
    CYBERSOURCE_CLIENT_ID: vars.CYBERSOURCE_CLIENT_ID,
    CYBERSOURCE_CLIENT_SECRET: vars.CYBERSOURCE_CLIENT_SECRET,
  };
  const mf = await startMiniflare({
    isolates,
    mintScript,
    upstreamScript,
    bindings: { TOKENMINT_CONFIG: CONFIG, ...secrets },
    object: { binding: 'TOKENMINT_VAULT', className: 'TokenVault' },
    upstreamBindings: { LIFETIME: String(lifetime) },
  });
  const upstream = await mf.getWorker('upstream');
  return {
    mf,
    mint: (i: number): Promise<number> => mintOn(mf, `mint-${i % isolates}.fleet.test`, 'fleet'),
    /** Admin → the provider's authorize page (the emulator) → the callback, on isolate 1. */
    async onboard(): Promise<number> {
      const start = await mf.dispatchFetch('https://mint-1.fleet.test/v1/vault/fleet/authorize', { headers: { authorization: `Bearer ${secrets.TOKENMINT_ADMIN_TOKEN}` }, redirect: 'manual' });
      await start.arrayBuffer();
      const page = await upstream.fetch(start.headers.get('location')!, { redirect: 'manual' });
      await page.arrayBuffer();
      const done = await mf.dispatchFetch(page.headers.get('location')!);
      await done.arrayBuffer();
      return done.status;
    },
    stats: async (): Promise<Stats> => (await (await upstream.fetch('https://upstream.test/__upstream/stats')).json()) as Stats,
  };
}

let fleet: Awaited<ReturnType<typeof startFleet>> | undefined;
afterEach(async () => {
  await fleet?.mf.dispose();
  fleet = undefined;
});

describe('the vault in a fleet of isolates (Miniflare, CyberSource emulator)', () => {
  it('onboarded on one isolate, a burst of 200 mints, then the alarm and 4 isolates racing at every refresh point for 12 s: one refresh per generation, none refused, the chain intact', { timeout: 60_000 }, async () => {
    // 4 s access tokens: the object's alarm refreshes at ~2 s, isolates come due from ~2 s as well.
    fleet = await startFleet(4, 4);
    const onboarded = performance.now();
    expect(await fleet.onboard()).toBe(200);
    // A burst over the 4 isolates first: served by the code exchange's token, no refresh.
    const burst = await Promise.all(Array.from({ length: 200 }, (_, i) => fleet!.mint(i)));
    expect(burst.filter((status) => status !== 200)).toEqual([]);
    expect(await fleet.stats()).toMatchObject({ codes: 1, failed: 0, active: 1 });
    const start = performance.now();
    const statuses: number[] = [];
    while (performance.now() - start < 12_000) {
      statuses.push(...(await Promise.all(Array.from({ length: 8 }, (_, i) => fleet!.mint(i)))));
      await new Promise((resolve) => setTimeout(resolve, 100)); // pacing the load; the alarms run on their own
    }
    expect(statuses.length).toBeGreaterThan(200);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    const stats = await fleet.stats();
    // A second refresh with an already rotated token would be refused (failed) and break the chain (active 0).
    expect(stats.failed).toBe(0);
    expect(stats.active).toBe(1);
    expect(stats.refreshes).toBeGreaterThanOrEqual(2);
    // One refresh per generation: a token is refreshed no sooner than 1.8 s after it was obtained (half
    // its 4 s life less the object's lead), so the elapsed time bounds the count however slow the machine.
    expect(stats.refreshes).toBeLessThanOrEqual(Math.floor((performance.now() - onboarded) / 1800) + 1);
  });
});
