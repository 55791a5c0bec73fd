// Operator-facing log lines. Config and secret problems happen on every request until fixed: each
// distinct message is logged once per isolate so the log stays readable.
import type { Logger } from './types.js';

export const consoleLogger: Logger = (level, message) => {
  console[level](`tokenmint: ${message}`);
};

/** A logger plus `once`, which drops a message this isolate has already logged. */
export interface OnceLogger {
  log: Logger;
  once: Logger;
}

export function createOnceLogger(log: Logger): OnceLogger {
  const seen = new Set<string>();
  return {
    log,
    once(level, message) {
      if (seen.has(message)) return;
      if (seen.size > 1000) seen.clear(); // bounded: messages carry names chosen by the operator only
      seen.add(message);
      log(level, message);
    },
  };
}
