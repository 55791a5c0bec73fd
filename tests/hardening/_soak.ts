// The soak's pieces: a token endpoint whose lifetimes are mixed (the scope names the lifetime), the
// expected request count derived from the refresh policy, and a heap reading after full collections.
import { setTimeout as sleep } from 'node:timers/promises';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { json, type ProviderEmulator } from '../../src/emulator/index.js';

/** Lifetimes (s) of the soak's sources, assigned round-robin: 5 minutes to 9 hours. */
export const LIFETIMES = [300, 900, 1_800, 3_600, 7_200, 32_400];

/** `POST /soak/token` with `scope=L<seconds>`: a token living that long. Keeps nothing. */
export const soakEndpoint: ProviderEmulator = {
  prefix: 'soak',
  handle(request) {
    const lifetime = Number(/(?:^|&)scope=L(\d+)/.exec(request.body)?.[1]);
    return json(200, { access_token: `soak_${Math.random().toString(36).slice(2)}`, token_type: 'Bearer', expires_in: lifetime });
  },
  reset() {},
};

/**
 * Requests one source of lifetime L makes in T ms under the default policy (src/core/store/policy.ts):
 * one initial fetch, then a refresh every L·(0.8 − 0.05·u) with u uniform in [0, 1) — for L ≥ 300 s the
 * margin (60 s) and the half-life floor do not bind — so each interval is uniform in [0.75 L, 0.8 L].
 * `min`/`max`: every interval the longest/shortest. `mean`: 1 + the renewal function at T, computed on a
 * 1-second grid (u[t] = mean of u[t−d] for d in the interval range, with prefix sums).
 */
export function expectedRequests(lifetime: number, durationMs: number): { min: number; mean: number; max: number } {
  const T = Math.floor(durationMs / 1000);
  const a = Math.round(0.75 * lifetime);
  const b = Math.round(0.8 * lifetime);
  const u = new Float64Array(T + 1); // probability that a refresh happens at second t
  const prefix = new Float64Array(T + 2); // prefix[t + 1] = u[0] + … + u[t]
  u[0] = 1; // the initial fetch (counted separately below)
  prefix[1] = 1;
  for (let t = 1; t <= T; t++) {
    const hi = t - a;
    const lo = Math.max(0, t - b);
    u[t] = hi < 0 ? 0 : (prefix[hi + 1]! - prefix[lo]!) / (b - a + 1);
    prefix[t + 1] = prefix[t]! + u[t]!;
  }
  return { min: 1 + Math.floor(durationMs / (0.8 * lifetime * 1000)), mean: prefix[T + 1]!, max: 1 + Math.ceil(durationMs / (0.75 * lifetime * 1000)) };
}

let gc: (() => void) | undefined;

/**
 * Heap used by data (every space but V8's code, trusted — bytecode and its metadata — and read-only ones)
 * after full collections (V8's gc, exposed at run time: no `--expose-gc` flag needed), with turns of the real
 * event loop between them: FinalizationRegistry cleanups (undici registers one per Request made with a
 * signal) run as tasks of their own, and until they do, what they free reads as kept — a swing of hundreds
 * of KiB either way. `node:timers/promises` is not faked by the fake clock. Code is left out because it
 * comes and goes with the JIT (over 24 simulated hours: +96 KiB of code, +39 KiB of trusted space).
 */
export async function heapAfterGc(): Promise<number> {
  if (gc === undefined) {
    setFlagsFromString('--expose-gc');
    // Bytecode of functions unused for a few collections is flushed, which read as the heap shrinking by
    // ~0.5 MiB once the first soak's code went idle: readings compare data, not code.
    setFlagsFromString('--no-flush-bytecode');
    gc = runInNewContext('gc') as () => void;
  }
  for (let turn = 0; turn < 3; turn++) {
    gc();
    await sleep(10);
  }
  gc();
  gc();
  return getHeapSpaceStatistics()
    .filter((space) => !/code|trusted|read_only/.test(space.space_name))
    .reduce((sum, space) => sum + space.space_used_size, 0);
}
