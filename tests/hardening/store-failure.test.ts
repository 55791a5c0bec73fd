// Issue #9 part 2: the store under failure, at scale. Many sources hold valid tokens; the upstream goes
// down (503, hang, dropped connections, malformed bodies) through their refresh point; callers keep
// asking every few seconds. Counted: calls served (each at once, from memory), calls refused while a
// token was valid (must be 0), refresh failures, sources recovered once the upstream returns; then,
// down past expiry, the typed error; up again, a token; after dispose(), zero timers and zero requests.
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TokenError, clientCredentials, createTokenStore, type AccessToken, type TokenEvent, type TokenSource } from '../../src/core/index.js';
import { createEmulator } from '../../src/emulator/index.js';
import { settle, useFakeClock } from './_drive.js';
import { _report, size } from './_figures.js';
import { ID, SECRET, plantedEmulatorOptions } from './_planted.js';

const SOURCES = size(40, 400);
const LIFETIME = 600; // s
const TICK = 5_000; // a round of calls every 5 s
const figures: Record<string, unknown> = {};

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());
afterAll(() => _report('store-failure', { sources: SOURCES, lifetimeSeconds: LIFETIME, ...figures }));

type Outage = '503' | 'hang' | 'drop' | 'malformed';
const OUTAGES: Outage[] = ['503', 'hang', 'drop', 'malformed'];
const CODES: Record<Outage, string> = { '503': 'upstream_error', hang: 'timeout', drop: 'network', malformed: 'invalid_response' };

function setup() {
  const emulator = createEmulator({ ...plantedEmulatorOptions(), oauth2: { clients: { [ID.oauth2]: SECRET.oauth2 }, expiresIn: LIFETIME } });
  let down: Outage | undefined;
  let requests = 0;
  const fetchFn: typeof fetch = (input, init) => {
    requests++;
    return down === 'drop' ? Promise.reject(new TypeError('fetch failed')) : emulator.fetch(input, init);
  };
  const setDown = (outage: Outage | undefined): void => {
    down = outage;
    emulator.clearFaults();
    if (outage === '503') emulator.inject({ status: 503 });
    if (outage === 'hang') emulator.inject({ hang: true });
    if (outage === 'malformed') emulator.inject({ body: 'malformed-json' });
  };
  const events: TokenEvent[] = [];
  const store = createTokenStore({ fetch: fetchFn, onEvent: (event) => events.push(event) });
  const tokenUrl = `${emulator.baseUrl('oauth2')}/token`;
  const sources = Array.from({ length: SOURCES }, (_, i) => store.source(clientCredentials({ tokenUrl, clientId: ID.oauth2, clientSecret: SECRET.oauth2, scope: `s${i}` })));
  return { store, sources, events, setDown, requests: () => requests };
}

/** One round: every source asked once; each call must settle without the clock moving. */
async function round(sources: TokenSource[]) {
  const calls = sources.map((source) => {
    const state: { token?: AccessToken; error?: unknown } = {};
    source.get().then((token) => void (state.token = token), (error: unknown) => void (state.error = error));
    return state;
  });
  for (let i = 0; i < 20; i++) await Promise.resolve();
  return calls;
}

describe.each(OUTAGES)('outage: %s', (outage) => {
  it('valid tokens keep being served through failed refreshes, and sources recover before expiry', async () => {
    const { store, sources, events, setDown } = setup();
    const first = await settle(Promise.all(sources.map((s) => s.get())), 60_000);
    expect(first.status).toBe('fulfilled');
    const originals = (first as { value: AccessToken[] }).value;
    const expiry = Math.min(...originals.map((t) => t.expiresAt));
    setDown(outage);
    let served = 0;
    let refusedWhileValid = 0;
    let pendingWhileValid = 0;
    // Down from the start through every source's refresh point (75–80% of the lifetime), up at 85%: the
    // longest retry wait (retry.max, 60 s) then still lands before the tokens stop being handed out.
    const upAt = Date.now() + LIFETIME * 850;
    while (Date.now() < upAt) {
      for (const call of await round(sources)) {
        if (call.token && call.token.expiresAt > Date.now()) served++;
        else if (call.error) refusedWhileValid++;
        else pendingWhileValid++;
      }
      await vi.advanceTimersByTimeAsync(TICK);
    }
    const refreshErrors = events.filter((e) => e.type === 'refresh-error').length;
    setDown(undefined);
    // Back up: every source gets a new token before the old one expires, and no caller sees an error.
    while (Date.now() < expiry - 5_000) {
      for (const call of await round(sources)) if (!call.token) refusedWhileValid++;
      await vi.advanceTimersByTimeAsync(TICK);
    }
    const renewed = sources.filter((s, i) => s.peek() !== undefined && s.peek() !== originals[i]).length;
    figures[outage] = { served, refusedWhileValid, pendingWhileValid, refreshErrors, renewedBeforeExpiry: `${renewed}/${SOURCES}` };
    expect({ refusedWhileValid, pendingWhileValid }).toEqual({ refusedWhileValid: 0, pendingWhileValid: 0 });
    expect(served).toBeGreaterThan(SOURCES * 100);
    // Nearly every source failed at least once (a hanging refresh that started last may span the return).
    expect(refreshErrors).toBeGreaterThan(SOURCES / 2);
    expect(renewed).toBe(SOURCES);
    store.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('down past expiry: callers get the typed error, never a stale token; up again: a token', async () => {
    const { store, sources, setDown } = setup();
    await settle(Promise.all(sources.map((s) => s.get())), 60_000);
    setDown(outage);
    await vi.advanceTimersByTimeAsync(LIFETIME * 1000 + 1_000);
    const failed = await settle(Promise.allSettled(sources.map((s) => s.get())), 200_000);
    const outcomes = (failed as { value: PromiseSettledResult<AccessToken>[] }).value;
    const stale = outcomes.filter((o) => o.status === 'fulfilled' && o.value.expiresAt <= Date.now()).length;
    const typed = outcomes.filter((o) => o.status === 'rejected' && o.reason instanceof TokenError && o.reason.code === CODES[outage]).length;
    expect({ stale, typed }).toEqual({ stale: 0, typed: SOURCES });
    setDown(undefined);
    const back = await settle(Promise.all(sources.map((s) => s.get())), 60_000);
    expect(back.status).toBe('fulfilled');
    store.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });
});

it('dispose() with requests under way and refreshes scheduled: zero timers, zero requests afterwards', async () => {
  const { store, sources, setDown, requests } = setup();
  await settle(Promise.all(sources.map((s) => s.get())), 60_000);
  setDown('hang');
  await vi.advanceTimersByTimeAsync(LIFETIME * 800); // refreshes are hanging now
  const inFlight = sources.map((s) => s.refresh().catch((error: unknown) => error));
  store.dispose();
  const reasons = await Promise.all(inFlight);
  expect(reasons.every((reason) => reason instanceof TokenError && reason.code === 'aborted')).toBe(true);
  expect(vi.getTimerCount()).toBe(0);
  const before = requests();
  await vi.advanceTimersByTimeAsync(7 * 86_400_000);
  expect(requests()).toBe(before);
  await expect(sources[0]!.get()).rejects.toMatchObject({ code: 'aborted' });
  figures.dispose = { timersAfter: vi.getTimerCount(), requestsAfter: requests() - before };
});
