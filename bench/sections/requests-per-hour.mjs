// Bench 4 — upstream requests per hour for 900 s tokens, default settings, simulated time
// (bench/lib/sim.mjs; upstream latency 50 ms). Two traffic shapes, each over the same virtual day:
//   busy: one get() per second all day long;
//   idle: a single get() at the start, then nothing (what does a source nobody uses cost?).
import { createEmulator } from '../../src/emulator/index.ts';
import { CONTENDERS, TOKENMINT_LATE } from '../lib/contenders.mjs';
import { createSimulation, installDateNow, seededRandom, VirtualClock } from '../lib/sim.mjs';
import { section } from '../lib/section.mjs';

const LIFETIME_S = 900;
const LATENCY_MS = 50;

async function simulate(hours, intervalMs) {
  const clock = new VirtualClock();
  const restore = installDateNow(clock);
  const sim = createSimulation(clock);
  const runs = [...CONTENDERS, TOKENMINT_LATE].map((spec) => {
    const emulator = createEmulator({ clock, oauth2: { expiresIn: LIFETIME_S } });
    return { spec, emulator, contender: spec.create({ fetch: sim.upstream(emulator, LATENCY_MS), clock, random: seededRandom() }), latencies: [] };
  });
  const start = clock.now();
  const end = start + hours * 3_600_000;
  for (let at = start; at < end; at += intervalMs) {
    await sim.runUntil(at);
    for (const run of runs) sim.call(run.contender, run.latencies);
    await sim.settle();
  }
  await sim.runUntil(end);
  restore();
  const rows = runs.map(({ spec, emulator }) => {
    // Requests per hour of simulated time, counted hour by hour; the first hour includes the cold start.
    const perHour = Array.from({ length: hours }, (_, h) => emulator.requests.filter((r) => r.at >= start + h * 3_600_000 && r.at < start + (h + 1) * 3_600_000).length);
    return { id: spec.id, label: spec.label, refresh: spec.refresh, total: emulator.requests.length, perHour: emulator.requests.length / hours, steadyPerHour: hours > 1 ? perHour.slice(1).reduce((a, b) => a + b, 0) / (hours - 1) : NaN };
  });
  for (const run of runs) run.contender.dispose();
  return { rows, errors: sim.state.errors };
}

await section(async ({ quick }) => {
  const hours = quick ? 2 : 24;
  const busy = await simulate(hours, 1_000);
  const idle = await simulate(hours, Infinity);
  return { params: { lifetimeS: LIFETIME_S, latencyMs: LATENCY_MS, hours }, busy, idle };
});
