// Bench 1 — cost of a cached get(): ns per `await x.get()` once a token is cached, against the floor
// (`await` of an already-resolved promise) and the anchors; and the synchronous peek().
//
// Method: every contender fetches its first token from its own emulator (real clock, 1 h tokens, so no
// refresh falls inside the run), then each is timed in rounds of `iterations` awaited calls, contenders
// interleaved round by round (A B C D A B C D …) so drift of the machine hits them alike, after warm-up
// rounds that let V8 optimise. Each contender's loop is its own compiled function (new Function), so no
// call site is shared and turned megamorphic by the others. Reported: the median round, ns/op.
import { createEmulator } from '../../src/emulator/index.ts';
import { CONTENDERS } from '../lib/contenders.mjs';
import { section } from '../lib/section.mjs';
import { median } from '../lib/stats.mjs';

const now = () => process.hrtime.bigint();

/** A fresh copy of the timing loop: awaited calls of `fn`, or plain calls when `sync`. */
function makeLoop(sync) {
  const body = sync
    ? 'let sink; const t0 = now(); for (let i = 0; i < n; i++) sink = fn(); const t = now() - t0; if (sink === 1) throw 0; return Promise.resolve(t);'
    : 'return (async () => { let sink; const t0 = now(); for (let i = 0; i < n; i++) sink = await fn(); const t = now() - t0; if (sink === 1) throw 0; return t; })();';
  return new Function('fn', 'n', 'now', body);
}

/** Times every case in interleaved rounds; returns ns/op per case (median round). */
async function measure(cases, { iterations, warmup, rounds }) {
  const loops = cases.map((c) => makeLoop(c.sync));
  const samples = cases.map(() => []);
  for (let round = 0; round < warmup + rounds; round++) {
    for (let i = 0; i < cases.length; i++) {
      const ns = await loops[i](cases[i].fn, iterations, now);
      if (round >= warmup) samples[i].push(Number(ns) / iterations);
    }
  }
  return cases.map((c, i) => ({ id: c.id, label: c.label, nsPerOp: median(samples[i]), rounds: samples[i].map((v) => Math.round(v * 10) / 10) }));
}

await section(async ({ quick }) => {
  const settings = quick ? { iterations: 20_000, warmup: 2, rounds: 3 } : { iterations: 1_000_000, warmup: 3, rounds: 9 };
  const contenders = [];
  for (const spec of CONTENDERS) {
    const emulator = createEmulator();
    const contender = spec.create({ fetch: emulator.fetch });
    await contender.get(); // the cached token every timed call returns
    contenders.push({ spec, contender, emulator });
  }
  const resolved = Promise.resolve({ accessToken: 'x', expiresAt: Infinity });
  const constant = { accessToken: 'x', expiresAt: Infinity };
  const asyncCases = [
    { id: 'floor', label: 'floor: await of a resolved promise', fn: () => resolved },
    ...contenders.map(({ spec, contender }) => ({ id: spec.id, label: `${spec.label}: get()`, fn: contender.get })),
  ];
  const syncCases = [
    { id: 'floor-sync', label: 'floor: a function returning a constant', sync: true, fn: () => constant },
    ...contenders
      .filter(({ contender }) => contender.peek)
      .map(({ spec, contender }) => ({ id: `${spec.id}-peek`, label: `${spec.label}: ${spec.id === 'tokenmint' ? 'peek()' : 'synchronous expiry check'}`, sync: true, fn: contender.peek })),
  ];
  const async = await measure(asyncCases, settings);
  const sync = await measure(syncCases, settings);
  const upstream = Object.fromEntries(contenders.map(({ spec, emulator }) => [spec.id, emulator.requests.length]));
  for (const { contender } of contenders) contender.dispose();
  return { settings, async, sync, upstream };
});
