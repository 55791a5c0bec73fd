// A fleet in Miniflare (workerd): four copies of the bundled mint Worker, each its own isolate with its
// own memory, bound to one TokenCoordinator namespace (hosted by mint-0's script, as one deployed
// Worker's objects are), all reaching one upstream worker (the PayPal emulator) as their outbound
// service, so its counts are what the provider would see. workerd's clock and alarms are the real
// ones: time is controlled with short token lifetimes, each scenario under ~20 s, so this runs in
// `npm run test:slow`. Counts that depend on how far the real clock moved are asserted as bounds that
// hold on a loaded machine; counts that single-flight decides (not the clock) stay exact.
import { afterEach, describe, expect, it } from 'vitest';
import { devVars } from '../../scripts/lib/dev-vars.mjs';
import { ORIGIN, bundle, mintOn, startMiniflare } from './_miniflare.js';

const [mintScript, upstreamScript] = await Promise.all([bundle('tests/slow/fixtures/fleet/mint-entry.ts'), bundle('tests/slow/fixtures/fleet/upstream-entry.ts')]);

/** One session profile on PayPal, routed to the upstream worker; a rate limit out of the way. */
const CONFIG = JSON.stringify({
  issuer: 'https://mint.fleet.test',
  profiles: {
    fleet: {
      mode: 'session',
      provider: 'paypal',
      options: { environment: 'sandbox', baseUrl: 'https://upstream.test/paypal' },
      allowedOrigins: [ORIGIN],
      scopes: ['checkout'],
      defaultScope: 'checkout',
      maxExpiresIn: 300,
      audience: 'fleet-api',
      rateLimit: { burst: 1000, perMinute: 10_000, ceiling: { burst: 100_000, perMinute: 1_000_000 } },
    },
  },
});

interface Stats {
  attempts: number;
  tokens: number;
  failed: number;
}

async function startFleet(isolates: number, lifetime: number) {
  const { TOKENMINT_SESSION_KEY, PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET } = await devVars();
  const mf = await startMiniflare({
    isolates,
    mintScript,
    upstreamScript,
    bindings: { TOKENMINT_CONFIG: CONFIG, TOKENMINT_SESSION_KEY, PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET },
    object: { binding: 'TOKENMINT_COORDINATOR', className: 'TokenCoordinator' },
    upstreamBindings: { LIFETIME: String(lifetime) },
  });
  const workers = await Promise.all(Array.from({ length: isolates }, (_, i) => mf.getWorker(`mint-${i}`)));
  const upstream = await mf.getWorker('upstream');
  return {
    mf,
    /** A mint on isolate `i % isolates`; resolves to its status, the body read. */
    mint: (i: number): Promise<number> => mintOn(mf, `mint-${i % isolates}.fleet.test`, 'fleet'),
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
  it('1,000 concurrent mints spread over 4 isolates: the upstream sees exactly one token request', { timeout: 120_000 }, async () => {
    fleet = await startFleet(4, 600);
    const statuses = await Promise.all(Array.from({ length: 1000 }, (_, i) => fleet!.mint(i)));
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(await fleet.stats()).toEqual({ attempts: 1, tokens: 1, failed: 0 });
    // Each isolate's store single-flights too: the object is asked once per isolate.
    expect(await fleet.asks()).toBe(4);
  });

  it('the upstream down for longer than a refresh period, shorter than the lifetime: zero failed mints', { timeout: 120_000 }, async () => {
    // 16 s tokens: the object refreshes at 7.2 s (half-life less a lead), isolates at ≥ 8 s; the old
    // token is handed out until 14.4 s. The upstream is down from 2 s to 11 s (9 s).
    fleet = await startFleet(4, 16);
    const start = performance.now();
    const elapsed = (): number => (performance.now() - start) / 1000;
    const statuses = { before: [] as number[], down: [] as number[], after: [] as number[] };
    let phase: keyof typeof statuses = 'before';
    while (elapsed() < 18) {
      if (phase === 'before' && elapsed() >= 2) {
        phase = 'down';
        await fleet.upstream('down');
      }
      if (phase === 'down' && elapsed() >= 11) {
        phase = 'after';
        await fleet.upstream('up');
      }
      statuses[phase].push(...(await Promise.all(Array.from({ length: 8 }, (_, i) => fleet!.mint(i)))));
      // Pacing the load, not waiting for an outcome: the runtime's alarms run on their own.
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    // Mints in every phase (how many depends on the machine's speed), none failed.
    expect([statuses.before.length, statuses.down.length, statuses.after.length].every((n) => n >= 8)).toBe(true);
    expect([...statuses.before, ...statuses.down, ...statuses.after].filter((status) => status !== 200)).toEqual([]);
    const stats = await fleet.stats();
    expect(stats.failed).toBeGreaterThan(0); // refreshes were tried during the outage…
    // …and the fleet, not each isolate, fetched after it: the first token, the one after the outage, and
    // at most the next periodic refresh (due ~7 s after it, near the end of a slow run). One fetch per
    // isolate after the outage would make 1 + 4.
    expect(stats.tokens).toBeGreaterThanOrEqual(2);
    expect(stats.tokens).toBeLessThanOrEqual(3);
  });

  it('the object throwing: each isolate fetches its own token, no mint fails; once mended, one fetch serves them all again', { timeout: 120_000 }, async () => {
    // 6 s tokens: isolates refresh their copies at half-life (3 s), the object would at 2.7 s.
    fleet = await startFleet(4, 6);
    await fleet.coordinator('break');
    const statuses = await Promise.all(Array.from({ length: 100 }, (_, i) => fleet!.mint(i)));
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    // Each isolate asked the object, then the provider itself, once per refresh of its own store
    // (single-flight): once each, or twice if the burst outlasted the copies' 3 s on a slow machine.
    const broken = { tokens: (await fleet.stats()).tokens, asks: await fleet.asks() };
    expect(broken.asks).toBe(broken.tokens);
    expect(broken.tokens).toBeGreaterThanOrEqual(4);
    expect(broken.tokens).toBeLessThanOrEqual(8);

    await fleet.coordinator('mend');
    const start = performance.now();
    while (performance.now() - start < 4500) {
      statuses.push(...(await Promise.all(Array.from({ length: 8 }, (_, i) => fleet!.mint(i)))));
      await new Promise((resolve) => setTimeout(resolve, 150)); // pacing, as above
    }
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    // Their copies came due at 3 s: each isolate asked the object again, and the object served them
    // from its own fetches — at least one, and fewer than the isolates that asked (how many asks and
    // fetches fit in 4.5 s depends on the machine's speed; one fetch per ask would mean no sharing).
    const asked = (await fleet.asks()) - broken.asks;
    const fetched = (await fleet.stats()).tokens - broken.tokens;
    expect(asked).toBeGreaterThanOrEqual(4);
    expect(fetched).toBeGreaterThanOrEqual(1);
    expect(fetched).toBeLessThan(asked);
  });
});
