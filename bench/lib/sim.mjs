// Simulated time for the refresh benches: a virtual clock whose timers only fire when the simulation
// advances, and a driver that lets every promise chain run to a standstill before time moves on.
//
// Method. Time is a number owned by the VirtualClock. tokenmint gets it as its `clock`; the emulator gets
// it for its clock; `Date.now` is replaced by it (the anchors read `Date.now()` directly), so every
// library sees the same instant. The upstream's latency is a virtual-clock sleep in front of the
// emulator. The driver alternates two steps: fire the earliest due virtual timer (or issue the next
// scheduled get() calls), then `settle()`: yield to the real event loop (setImmediate rounds) until no
// counted activity happened for a few rounds and nothing is runnable — every pending get() is waiting
// for an upstream that sleeps on a virtual timer. Only then does time jump to the next event. tokenmint's
// jitter draws from a seeded PRNG, so a simulated run repeats exactly. A get()
// answered from memory therefore completes at the very instant it was called (latency 0), and one that
// waits on the upstream completes exactly 50 ms of virtual time later, whatever the machine's speed.
import { setImmediate as immediate } from 'node:timers/promises';

/** A min-heap of timers ordered by (due time, creation order). */
class TimerHeap {
  /** @type {{ at: number, seq: number, callback: () => void, state: 'armed' | 'fired' | 'cleared' }[]} */
  items = [];
  #less = (a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq);
  push(item) {
    const items = this.items;
    items.push(item);
    for (let i = items.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.#less(items[i], items[parent])) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }
  pop() {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && this.#less(items[l], items[m])) m = l;
        if (r < items.length && this.#less(items[r], items[m])) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m], items[i]];
        i = m;
      }
    }
    return top;
  }
}

/** Time that only moves when told to; implements tokenmint's `Clock` and the emulator's clock. */
export class VirtualClock {
  #now;
  #seq = 0;
  #heap = new TimerHeap();
  /** Timers armed and neither fired nor cleared. */
  live = 0;
  /** Timers ever armed. */
  armed = 0;

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start;
  }

  now = () => this.#now;

  setTimeout = (callback, ms) => {
    const timer = { at: this.#now + Math.max(0, Number(ms) || 0), seq: this.#seq++, callback, state: 'armed' };
    this.#heap.push(timer);
    this.live++;
    this.armed++;
    return timer;
  };

  clearTimeout = (timer) => {
    if (timer?.state !== 'armed') return;
    timer.state = 'cleared';
    this.live--;
  };

  sleep = (ms) => new Promise((resolve) => this.setTimeout(resolve, ms));

  /** Due time of the earliest armed timer, or Infinity. */
  nextAt() {
    const items = this.#heap.items;
    while (items.length > 0 && items[0].state !== 'armed') this.#heap.pop();
    return items[0]?.at ?? Infinity;
  }

  /** Fires the earliest armed timer, moving time to its due time. */
  fireNext() {
    if (this.nextAt() === Infinity) return;
    const timer = this.#heap.pop();
    this.#now = Math.max(this.#now, timer.at);
    timer.state = 'fired';
    this.live--;
    timer.callback();
  }

  advanceTo(at) {
    this.#now = Math.max(this.#now, at);
  }
}

/**
 * The driver. `upstream(emulator, latency)` wraps an emulator's fetch in a virtual-clock latency;
 * `call(contender, latencies)` issues one get() and records its virtual latency; `runUntil(t)` fires every
 * timer due by `t`, settling after each.
 */
export function createSimulation(clock) {
  const state = { activity: 0, fetchActivity: 0, running: 0, sleeping: 0, pending: 0, errors: 0, rounds: 0 };

  const upstream = (emulator, latency) => async (input, init) => {
    state.activity++;
    state.fetchActivity++;
    state.sleeping++;
    await clock.sleep(latency);
    state.sleeping--;
    state.running++;
    try {
      return await emulator.fetch(input, init);
    } finally {
      state.running--;
      state.activity++;
      state.fetchActivity++;
    }
  };

  /** @param {{ get(): Promise<unknown> }} contender @param {number[]} latencies */
  const call = (contender, latencies) => {
    const at = clock.now();
    state.pending++;
    contender.get().then(
      () => {
        state.pending--;
        state.activity++;
        latencies.push(clock.now() - at);
      },
      () => {
        state.pending--;
        state.activity++;
        state.errors++;
      },
    );
  };

  /** Yields to the event loop until nothing can run without time moving on. */
  const settle = async () => {
    const fetchesBefore = state.fetchActivity;
    let quiet = 0;
    for (let rounds = 0; ; rounds++) {
      const before = state.activity;
      await immediate();
      state.rounds++;
      const runnable = state.running > 0 || (state.pending > 0 && state.sleeping === 0);
      quiet = state.activity !== before || runnable ? 0 : quiet + 1;
      // After any upstream traffic, wait longer: a response is parsed and cached in several turns.
      if (quiet >= (state.fetchActivity === fetchesBefore ? 1 : 4)) return;
      if (rounds > 100_000) throw new Error('simulation: the system never settled (a get() waits on something other than the virtual clock)');
    }
  };

  const runUntil = async (at) => {
    while (clock.nextAt() <= at) {
      clock.fireNext();
      await settle();
    }
    clock.advanceTo(at);
  };

  return { state, upstream, call, settle, runUntil };
}

/** Replaces `Date.now` with the virtual clock (the anchors read it directly); returns the undo. */
export function installDateNow(clock) {
  const original = Date.now;
  Date.now = clock.now;
  return () => {
    Date.now = original;
  };
}

/** A seeded PRNG (mulberry32) for tokenmint's jitter, so that simulated runs repeat exactly. */
export function seededRandom(seed = 0x7a11) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
