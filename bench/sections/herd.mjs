// Bench 2 — thundering herd: 10,000 concurrent get() on a cold cache; how many upstream requests went out.
// Every contender gets its own emulator (real clock) answering after 50 ms, so all callers arrive while the
// first request is still under way, as they would at a process's start. Same process run, one contender
// after the other.
import { createEmulator } from '../../src/emulator/index.ts';
import { CONTENDERS } from '../lib/contenders.mjs';
import { section } from '../lib/section.mjs';

await section(async ({ quick }) => {
  const callers = 10_000; // quick mode too: it is the figure asked for, and it takes well under a second per contender
  const latencyMs = 50;
  const rows = [];
  for (const spec of CONTENDERS) {
    const emulator = createEmulator();
    emulator.inject({ provider: 'oauth2', delay: latencyMs });
    const contender = spec.create({ fetch: emulator.fetch });
    const started = performance.now();
    const results = await Promise.allSettled(Array.from({ length: callers }, () => contender.get()));
    const ms = performance.now() - started;
    const tokens = new Set(results.filter((r) => r.status === 'fulfilled').map((r) => r.value.accessToken));
    rows.push({
      id: spec.id,
      label: spec.label,
      callers,
      upstream: emulator.requests.length,
      failed: results.filter((r) => r.status === 'rejected').length,
      distinctTokens: tokens.size,
      ms,
    });
    contender.dispose();
  }
  return { params: { callers, latencyMs, quick }, rows };
});
