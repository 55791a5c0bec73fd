// Bench 3 — refresh under load: a steady stream of get() over 100 token lifetimes, upstream latency 50 ms,
// in simulated time (bench/lib/sim.mjs). Every contender gets the same calls at the same virtual instants
// from its own emulator instance (same code, same lifetime, same latency), all in this one process run.
// Reported per contender: calls that had to wait for the upstream, virtual latency percentiles, upstream
// requests. Times are virtual milliseconds: what the callers would have waited, not CPU time.
import { createEmulator } from '../../src/emulator/index.ts';
import { CONTENDERS, TOKENMINT_LATE } from '../lib/contenders.mjs';
import { createSimulation, installDateNow, seededRandom, VirtualClock } from '../lib/sim.mjs';
import { section } from '../lib/section.mjs';
import { latencySummary } from '../lib/stats.mjs';

export const LATENCY_MS = 50;

await section(async ({ quick }) => {
  const lifetimeS = 300;
  const lifetimes = quick ? 5 : 100;
  const intervalMs = 25; // 40 get() per second per contender, evenly spaced
  const clock = new VirtualClock();
  const restore = installDateNow(clock);
  const sim = createSimulation(clock);
  const runs = [...CONTENDERS, TOKENMINT_LATE].map((spec) => {
    const emulator = createEmulator({ clock, oauth2: { expiresIn: lifetimeS } });
    return { spec, emulator, contender: spec.create({ fetch: sim.upstream(emulator, LATENCY_MS), clock, random: seededRandom() }), latencies: [] };
  });
  // Cold start first (every contender's first call waits for its first token), then the measured stream.
  for (const run of runs) sim.call(run.contender, []);
  await sim.settle();
  await sim.runUntil(clock.now() + LATENCY_MS);
  const started = performance.now();
  const end = clock.now() + lifetimes * lifetimeS * 1000;
  const upstreamBefore = runs.map((run) => run.emulator.requests.length);
  for (let at = clock.now(); at < end; at += intervalMs) {
    await sim.runUntil(at);
    for (const run of runs) sim.call(run.contender, run.latencies);
    await sim.settle();
  }
  await sim.runUntil(end);
  const wallMs = performance.now() - started;
  for (const run of runs) run.contender.dispose();
  restore();
  return {
    params: { lifetimeS, lifetimes, intervalMs, latencyMs: LATENCY_MS, virtualHours: (lifetimes * lifetimeS) / 3600 },
    wallMs,
    settleRounds: sim.state.rounds,
    errors: sim.state.errors,
    rows: runs.map(({ spec, emulator, latencies }, i) => ({
      id: spec.id,
      label: spec.label,
      refresh: spec.refresh,
      upstream: emulator.requests.length - upstreamBefore[i],
      ...latencySummary(latencies),
    })),
  };
});
