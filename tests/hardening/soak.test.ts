// Issue #9 part 5: 1,000 sources of mixed lifetimes (5 min – 9 h) under steady access (every source
// asked every simulated minute) for 24 simulated hours (2 in `npm test`), on the fake clock.
// Checked: one timer, upstream requests within the count the refresh policy implies, no heap growth.
//
// Heap method: V8's heap used by data (code and bytecode left out: heapAfterGc in _soak.ts) after forced full
// GCs with event-loop turns between them, read at hour 1 (warm: every source has its
// token, every code path ran) and at the end, with the emulator's request log emptied before each read
// (it is test tooling that keeps every request). "No growth" means end − hour 1 ≤ 256 KiB; the same
// reading on a store whose onEvent keeps every event (a leak of ~55 bytes per refresh) must exceed that
// tolerance within an hour, which shows the method sees a leak of that size.
import { afterAll, afterEach, beforeEach, expect, it, vi } from 'vitest';
import { clientCredentials, createTokenStore, type TokenEvent, type TokenSource } from '../../src/core/index.js';
import { createEmulator } from '../../src/emulator/index.js';
import { useFakeClock } from './_drive.js';
import { _report, size } from './_figures.js';
import { LIFETIMES, expectedRequests, heapAfterGc, soakEndpoint } from './_soak.js';

const SOURCES = 1_000;
const HOURS = size(2, 24);
const HOUR = 3_600_000;
const TOLERANCE = 256 * 1024;
const TIMEOUT = size(120_000, 900_000); // real time, for the simulated hours (a watchdog)

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

function soakStore(keepEvents: boolean) {
  const emulator = createEmulator({ endpoints: [soakEndpoint] });
  let requests = 0;
  const kept: TokenEvent[] = [];
  const store = createTokenStore({
    fetch: (input, init) => {
      requests++;
      return emulator.fetch(input, init);
    },
    ...(keepEvents ? { onEvent: (event: TokenEvent) => void kept.push(event) } : {}),
  });
  const tokenUrl = `${emulator.baseUrl('soak')}/token`;
  const sources: TokenSource[] = Array.from({ length: SOURCES }, (_, i) =>
    store.source(clientCredentials({ tokenUrl, clientId: `soak-${i}`, clientSecret: 'soak-secret', scope: `L${LIFETIMES[i % LIFETIMES.length]}` })),
  );
  /** One simulated minute: every source asked once (steady access), then the clock moves. */
  const minute = async (): Promise<void> => {
    await Promise.all(sources.map((source) => source.get()));
    await vi.advanceTimersByTimeAsync(60_000);
  };
  const heap = (): Promise<number> => {
    emulator.requests.length = 0;
    return heapAfterGc();
  };
  return { store, minute, heap, requests: () => requests, kept };
}

const figures: Record<string, unknown> = {};
afterAll(() => _report('soak', { sources: SOURCES, hours: HOURS, toleranceBytes: TOLERANCE, ...figures }));

it(`${SOURCES} sources, ${HOURS} simulated hours: one timer, the expected request count, a flat heap`, async () => {
  const { store, minute, heap, requests } = soakStore(false);
  const timers: number[] = [];
  const heaps: number[] = [];
  for (let hour = 1; hour <= HOURS; hour++) {
    for (let m = 0; m < 60; m++) await minute();
    timers.push(vi.getTimerCount());
    heaps.push(await heap());
  }
  const duration = HOURS * HOUR;
  const expected = { min: 0, mean: 0, max: 0 };
  for (let i = 0; i < SOURCES; i++) {
    const one = expectedRequests(LIFETIMES[i % LIFETIMES.length]!, duration);
    expected.min += one.min;
    expected.mean += one.mean;
    expected.max += one.max;
  }
  const growth = heaps.at(-1)! - heaps[0]!;
  Object.assign(figures, {
    requests: requests(),
    expected: { min: expected.min, mean: Math.round(expected.mean), max: expected.max },
    deviationFromMean: `${(((requests() - expected.mean) / expected.mean) * 100).toFixed(2)}%`,
    timersEachHour: [...new Set(timers)],
    heapMiBEachHour: heaps.map((h) => +(h / 2 ** 20).toFixed(2)),
    heapGrowthBytes: growth,
  });
  store.dispose();
  expect(new Set(timers)).toEqual(new Set([1]));
  expect(requests()).toBeGreaterThanOrEqual(expected.min);
  expect(requests()).toBeLessThanOrEqual(expected.max);
  expect(Math.abs(requests() - expected.mean) / expected.mean).toBeLessThan(0.01);
  expect(growth).toBeLessThan(TOLERANCE);
  expect(vi.getTimerCount()).toBe(0);
}, TIMEOUT);

it('the heap reading sees a leak of one event per refresh (control)', async () => {
  const { store, minute, heap, kept } = soakStore(true);
  for (let m = 0; m < 60; m++) await minute();
  const start = await heap();
  for (let m = 0; m < 60 * size(1, 4); m++) await minute();
  const growth = (await heap()) - start;
  figures.control = { leakedEvents: kept.length, heapGrowthBytes: growth };
  store.dispose();
  expect(growth).toBeGreaterThan(TOLERANCE);
}, TIMEOUT);
