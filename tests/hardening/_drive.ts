// Driving vitest's fake clock until a promise settles: timer by timer, so elapsed time is exact and a
// promise that would wait forever is told apart (no timer left, still pending) from a slow one.
import { vi } from 'vitest';

export const NOW = Date.parse('2026-06-01T12:00:00Z');

/** Fake Date and timers; promises, streams and setImmediate stay real (they are not the clock). */
export function useFakeClock(now: number = NOW): void {
  vi.useFakeTimers({ now, toFake: ['Date', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
}

export type Settled<T> = { status: 'fulfilled'; value: T; elapsed: number } | { status: 'rejected'; reason: unknown; elapsed: number } | { status: 'pending'; elapsed: number; stuck: boolean };

const macrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

// WebCrypto digests (GlobalPay's SHA-512, PKCE's SHA-256 in the emulator) finish on Node's thread pool,
// in real time: the fake clock must not move while one is under way, or a timeout would fire first.
const pendingCrypto = new Set<Promise<unknown>>();

/** Tracks WebCrypto digests under way (until vi.restoreAllMocks), so `settle` waits for them. */
export function trackCrypto(): void {
  const digest = crypto.subtle.digest.bind(crypto.subtle);
  vi.spyOn(crypto.subtle, 'digest').mockImplementation((...args: Parameters<SubtleCrypto['digest']>) => {
    const promise = digest(...args);
    pendingCrypto.add(promise);
    void promise.finally(() => pendingCrypto.delete(promise)).catch(() => {});
    return promise;
  });
}

/** Lets promise chains and real background work (crypto, stream reads) run, without moving the clock. */
async function quiesce(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await macrotask();
    if (pendingCrypto.size > 0) {
      await Promise.allSettled([...pendingCrypto]);
      i = 0;
    }
  }
}

/**
 * Moves the fake clock to each next timer until `promise` settles or `limitMs` of fake time has
 * passed. `stuck` means it was still pending with no timer left: it would never settle.
 */
export async function settle<T>(promise: Promise<T>, limitMs: number): Promise<Settled<T>> {
  const start = Date.now();
  let result: Settled<T> | undefined;
  promise.then(
    (value) => void (result = { status: 'fulfilled', value, elapsed: Date.now() - start }),
    (reason: unknown) => void (result = { status: 'rejected', reason, elapsed: Date.now() - start }),
  );
  for (;;) {
    await quiesce();
    if (result !== undefined) return result;
    if (Date.now() - start > limitMs) return { status: 'pending', elapsed: Date.now() - start, stuck: false };
    if (vi.getTimerCount() === 0) {
      for (let i = 0; i < 20 && result === undefined; i++) await macrotask();
      if (result !== undefined) return result;
      return { status: 'pending', elapsed: Date.now() - start, stuck: true };
    }
    await vi.advanceTimersToNextTimerAsync();
  }
}
