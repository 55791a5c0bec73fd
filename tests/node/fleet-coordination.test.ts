// A fleet in Miniflare (workerd): four copies of the bundled mint Worker, each its own isolate with its
// own memory, bound to one TokenCoordinator namespace (hosted by mint-0's script, as one deployed
// Worker's objects are), all reaching one upstream worker (the PayPal emulator) as their outbound
// service, so its counts are what the provider would see. workerd's clock and alarms are the real
// ones: time is controlled with short token lifetimes, each scenario under ~20 s.
import { Miniflare, convertV4MiniflareOptions } from 'miniflare';
import { afterEach, describe, expect, it } from 'vitest';
import { devVars } from '../../scripts/lib/dev-vars.mjs';
import { FLEET_PROFILE, fleetScripts, mintWorker, upstreamWorker } from './fixtures/fleet/miniflare.mjs';

const ORIGIN = 'https://shop.example';
const [mintScript, upstreamScript] = await fleetScripts();

const CONFIG = JSON.stringify({ profiles: { fleet: FLEET_PROFILE } });

interface Stats {
  attempts: number;
  tokens: number;
  failed: number;
}

async function startFleet(isolates: number, lifetime: number) {
  const { TOKENMINT_SESSION_KEY, PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET } = await devVars();
  const bindings = { TOKENMINT_CONFIG: CONFIG, TOKENMINT_SESSION_KEY, PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET };
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      workers: [...Array.from({ length: isolates }, (_, i) => mintWorker({ i, script: mintScript, host: `mint-${i}.fleet.test`, bindings })), upstreamWorker(upstreamScript, lifetime)],
    }),
  );
  await mf.ready;
  const workers = await Promise.all(Array.from({ length: isolates }, (_, i) => mf.getWorker(`mint-${i}`)));
  const upstream = await mf.getWorker('upstream');
  return {
    mf,
    /** A mint on isolate `i % isolates`; resolves to its status, the body read. */
    async mint(i: number): Promise<number> {
      const response = await mf.dispatchFetch(`https://mint-${i % isolates}.fleet.test/v1/tokens`, {
        method: 'POST',
        headers: { origin: ORIGIN, 'content-type': 'application/json' },
        body: JSON.stringify({ profile: 'fleet' }),
      });
      await response.arrayBuffer();
      return response.status;
    },
    stats: async (): Promise<Stats> => (await (await upstream.fetch('https://upstream.test/__upstream/stats')).json()) as Stats,
    /** Requests the Durable Object received (it runs in mint-0's isolate). */
    asks: async (): Promise<number> => ((await (await workers[0]!.fetch('https://mint.example/__fleet/asks')).json()) as { asks: number }).asks,
    upstream: async (state: 'down' | 'up'): Promise<void> => void (await (await upstream.fetch(`https://upstream.test/__upstream/${state}`, { method: 'POST' })).arrayBuffer()),
    /** Makes the object throw on every request (`break`), or stop (`mend`). */
    coordinator: async (state: 'break' | 'mend'): Promise<void> => void (await (await workers[0]!.fetch(`https://mint.example/__fleet/${state}`, { method: 'POST' })).arrayBuffer()),
  };
}

let fleet: Awaited<ReturnType<typeof startFleet>> | undefined;
afterEach(async () => {
  await fleet?.mf.dispose();
  fleet = undefined;
});

describe('a fleet of isolates coordinated by one Durable Object namespace (Miniflare)', () => {
  it('1,000 concurrent mints spread over 4 isolates: the upstream sees exactly one token request', { timeout: 30_000 }, async () => {
    fleet = await startFleet(4, 600);
    const statuses = await Promise.all(Array.from({ length: 1000 }, (_, i) => fleet!.mint(i)));
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(await fleet.stats()).toEqual({ attempts: 1, tokens: 1, failed: 0 });
    // Each isolate's store single-flights too: the object is asked once per isolate.
    expect(await fleet.asks()).toBe(4);
  });

  it('the upstream down for longer than a refresh period, shorter than the lifetime: zero failed mints', { timeout: 30_000 }, async () => {
    // 16 s tokens: the object refreshes at 7.2 s (half-life less a lead), isolates at ≥ 8 s; the old
    // token is handed out until 14.4 s. The upstream is down from 2 s to 11 s (9 s).
    fleet = await startFleet(4, 16);
    const start = performance.now();
    const elapsed = (): number => (performance.now() - start) / 1000;
    const statuses: number[] = [];
    let phase: 'before' | 'down' | 'after' = 'before';
    while (elapsed() < 18) {
      if (phase === 'before' && elapsed() >= 2) {
        phase = 'down';
        await fleet.upstream('down');
      }
      if (phase === 'down' && elapsed() >= 11) {
        phase = 'after';
        await fleet.upstream('up');
      }
      statuses.push(...(await Promise.all(Array.from({ length: 8 }, (_, i) => fleet!.mint(i)))));
      // Pacing the load, not waiting for an outcome: the runtime's alarms run on their own.
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    expect(statuses.length).toBeGreaterThan(400);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    const stats = await fleet.stats();
    expect(stats.failed).toBeGreaterThan(0); // refreshes were tried during the outage…
    expect(stats.tokens).toBe(2); // …and one succeeded after it, for the whole fleet
  });

  it('the object throwing: each isolate fetches its own token, no mint fails; once mended, one fetch serves them all again', { timeout: 30_000 }, async () => {
    // 6 s tokens: isolates refresh their copies at half-life (3 s), the object would at 2.7 s.
    fleet = await startFleet(4, 6);
    await fleet.coordinator('break');
    const statuses = await Promise.all(Array.from({ length: 100 }, (_, i) => fleet!.mint(i)));
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect([(await fleet.stats()).tokens, await fleet.asks()]).toEqual([4, 4]);

    await fleet.coordinator('mend');
    const start = performance.now();
    while (performance.now() - start < 4500) {
      statuses.push(...(await Promise.all(Array.from({ length: 8 }, (_, i) => fleet!.mint(i)))));
      await new Promise((resolve) => setTimeout(resolve, 150)); // pacing, as above
    }
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    // Their copies came due at 3 s: each isolate asked the object, which fetched once for all four.
    expect([(await fleet.stats()).tokens, await fleet.asks()]).toEqual([5, 8]);
  });
});
