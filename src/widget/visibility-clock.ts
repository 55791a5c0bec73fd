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
      const box = { callback };
      const handle = base.setTimeout(() => (page?.hidden ? held.add(box.callback) : box.callback()), ms);
      return { handle, box };
    },
    clearTimeout(timer) {
      const { handle, box } = timer as { handle: unknown; box: { callback: () => void } };
      held.delete(box.callback);
      base.clearTimeout(handle);
    },
    dispose() {
      held.clear();
      page?.removeEventListener('visibilitychange', onChange);
    },
  };
}
