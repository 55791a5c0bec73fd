import { systemClock, type Clock } from '../core/index.js';

interface PageLike {
  readonly hidden: boolean;
  addEventListener(type: 'visibilitychange', listener: () => void): void;
  removeEventListener(type: 'visibilitychange', listener: () => void): void;
}

/**
 * A clock whose timers hold their callbacks while the page is hidden and run them when it shows
 * again: a background tab makes no token requests, and catches up at once on `visibilitychange`.
 */
export function visibilityClock(page: PageLike | undefined, base: Clock = systemClock): Clock & { dispose(): void } {
  const held = new Set<() => void>();
  const onChange = (): void => {
    if (page?.hidden) return;
    const due = [...held];
    held.clear();
    for (const callback of due) callback();
  };
  page?.addEventListener('visibilitychange', onChange);
  return {
    now: () => base.now(),
    setTimeout(callback, ms) {
      return { handle: base.setTimeout(() => (page?.hidden ? held.add(callback) : callback()), ms), callback };
    },
    clearTimeout(timer) {
      const { handle, callback } = timer as { handle: unknown; callback: () => void };
      held.delete(callback);
      base.clearTimeout(handle);
    },
    dispose() {
      held.clear();
      page?.removeEventListener('visibilitychange', onChange);
    },
  };
}
