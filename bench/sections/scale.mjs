// Bench 5 — scale: 100,000 sources, each holding its cached token. Memory per source and timers alive.
//
// Method (one contender after the other, in this one process run started with --expose-gc):
//   gc() ×3, heapUsed → create N sources (N distinct scopes of the demo client, each its own cache entry)
//   and get() a token for each, in batches, through one emulator whose request log is emptied as it goes
//   → gc() ×3, heapUsed. (delta / N) is the memory a cached source costs: the library's objects, the
//   flow/client configuration and the token itself. The sources stay referenced while measured.
// Timers: global setTimeout/setInterval are wrapped to count timers alive (armed, not fired, not
// cleared), which catches every library's timers; tokenmint additionally gets a counting clock (its
// `clock` injection), which must agree.
import { createEmulator } from '../../src/emulator/index.ts';
import { clientCredentials, createTokenStore, systemClock } from '../../src/core/index.ts';
import { CONTENDERS, TOKEN_URL } from '../lib/contenders.mjs';
import { OAUTH2_DEMO } from '../../src/emulator/index.ts';
import { section } from '../lib/section.mjs';

/** Counts live timers created through the globals. */
function countGlobalTimers() {
  const live = new Set();
  const { setTimeout: st, clearTimeout: ct, setInterval: si, clearInterval: ci } = globalThis;
  globalThis.setTimeout = function (callback, ms, ...args) {
    const handle = st(
      (...a) => {
        live.delete(handle);
        callback(...a);
      },
      ms,
      ...args,
    );
    live.add(handle);
    return handle;
  };
  globalThis.clearTimeout = function (handle) {
    live.delete(handle);
    return ct(handle);
  };
  globalThis.setInterval = function (callback, ms, ...args) {
    const handle = si(callback, ms, ...args);
    live.add(handle);
    return handle;
  };
  globalThis.clearInterval = function (handle) {
    live.delete(handle);
    return ci(handle);
  };
  return { get live() {
    return live.size;
  } };
}

/** tokenmint's clock with counting: the store's own view of its timers. */
function countingClock() {
  const live = new Set();
  return {
    live,
    clock: {
      now: () => systemClock.now(),
      setTimeout(callback, ms) {
        const handle = systemClock.setTimeout(() => {
          live.delete(handle);
          callback();
        }, ms);
        live.add(handle);
        return handle;
      },
      clearTimeout(handle) {
        live.delete(handle);
        systemClock.clearTimeout(handle);
      },
    },
  };
}

/**
 * Heap in use once it stops shrinking: rounds of (a turn of the event loop, full collection) until two
 * agree within 64 KiB. The turns matter: objects a WeakRef touched (undici's Request keeps one to its
 * signal) stay alive until the current job ends, and FinalizationRegistry callbacks run between turns.
 * A turn is a short timer, not setImmediate: V8 posts the registry's cleanup as a task of its own, which
 * a run of immediates never lets through (undici registers one per Request made with a signal, and those
 * cells, ~140 B each, were counted as if they were kept).
 */
const heap = async () => {
  let last = Infinity;
  for (let round = 0; round < 20; round++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    globalThis.gc();
    const used = process.memoryUsage().heapUsed;
    if (Math.abs(last - used) < 65_536) return used;
    last = used;
  }
  return last;
};

/**
 * One contender: N sources with a cached token each. Its own function, so that nothing of it stays on the
 * stack (a suspended async frame keeps its registers) when the next contender measures its baseline.
 */
async function measure(spec, n, batch, timers) {
  const emulator = createEmulator();
  // tokenmint: one store for all sources, as documented (one timer, one heap); its clock counts timers.
  const counting = spec.id === 'tokenmint' ? countingClock() : undefined;
  const store = counting ? createTokenStore({ fetch: emulator.fetch, clock: counting.clock }) : undefined;
  const before = await heap();
  const timersBefore = timers.live;
  const started = performance.now();
  const sources = [];
  for (let i = 0; i < n; i += batch) {
    const created = [];
    for (let j = i; j < Math.min(n, i + batch); j++) created.push(spec.create({ fetch: emulator.fetch, scope: `s${j}`, ...(store ? { store } : {}) }));
    await Promise.all(created.map((c) => c.get()));
    sources.push(...created);
    emulator.requests.length = 0;
  }
  const setupMs = performance.now() - started;
  const after = await heap();
  const row = {
    id: spec.id,
    label: spec.label,
    sources: sources.length,
    storeSize: store?.size,
    bytesPerSource: (after - before) / n,
    heapDeltaMB: (after - before) / 2 ** 20,
    timersAlive: timers.live - timersBefore,
    timersByClock: counting?.live.size,
    setupMs,
    setupUsPerSource: (setupMs * 1000) / n,
  };
  for (const source of sources) source.dispose();
  store?.dispose();
  return row;
}

/** The flows alone (tokenmint's clientCredentials objects, no store), to split tokenmint's figure. */
async function flowBytes(n) {
  const before = await heap();
  const started = performance.now();
  const flows = Array.from({ length: n }, (_, j) => clientCredentials({ tokenUrl: TOKEN_URL, ...OAUTH2_DEMO, scope: `s${j}` }));
  const ms = performance.now() - started;
  const after = await heap();
  return { bytes: flows.length > 0 ? (after - before) / n : NaN, usPerFlow: (ms * 1000) / n };
}

await section(async ({ quick }) => {
  if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc');
  const n = quick ? 2_000 : 100_000;
  const batch = 1_000;
  const timers = countGlobalTimers();
  const rows = [];
  for (const spec of CONTENDERS) rows.push(await measure(spec, n, batch, timers));
  const flows = await flowBytes(n);
  return { params: { n, batch }, rows, tokenmintFlowBytes: flows.bytes, tokenmintFlowUs: flows.usPerFlow };
});
