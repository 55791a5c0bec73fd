/** Time and timers, injectable so that tests never sleep. */
export interface Clock {
  now(): number;
  /**
   * `background`: nobody awaits it (the store's proactive refresh), so it must not keep the process
   * alive (unref where the runtime allows). Other timers — a retry's backoff, a request's timeout —
   * keep it alive: a caller is waiting on them.
   */
  setTimeout(callback: () => void, ms: number, background?: boolean): unknown;
  clearTimeout(handle: unknown): void;
}

// setTimeout takes a signed 32-bit delay; longer ones fire at once.
const MAX_DELAY = 2 ** 31 - 1;

/** The platform clock. Globals are looked up per call so that fake timers installed later apply. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms, background) {
    const handle = setTimeout(callback, Math.min(Math.max(0, ms), MAX_DELAY)) as unknown;
    // Node, Bun and Deno 2 return a Timeout with unref(); older Deno has Deno.unrefTimer(id); browsers: nothing to do.
    if (background) {
      (handle as { unref?: () => void } | null)?.unref?.();
      if (typeof handle === 'number') (globalThis as { Deno?: { unrefTimer?: (id: number) => void } }).Deno?.unrefTimer?.(handle);
    }
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Resolves after `ms` on the given clock; rejects with the signal's reason when aborted. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clock.clearTimeout(handle);
      reject(signal?.reason);
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Exponential backoff with full jitter: a random wait in [0, min(max, base·2^attempt)]. */
export function backoff(attempt: number, base: number, max: number, random: () => number): number {
  return Math.floor(random() * Math.min(max, base * 2 ** attempt));
}
