import type { Filled } from '../oauth/options.js';

/** When tokens are refreshed and served. All durations in milliseconds. */
export interface RefreshPolicy {
  /** Refresh at this fraction of a token's lifetime. Default 0.8. */
  ratio?: number | undefined;
  /** Up to this fraction of the lifetime is taken off at random, so sources spread out. Default 0.05. */
  jitter?: number | undefined;
  /** Refresh no later than this long before expiry (short-lived tokens refresh at half-life). Default 60 000. */
  margin?: number | undefined;
  /** Tokens this close to expiry are not handed out (at most 10% of the lifetime). Default 5 000. */
  leeway?: number | undefined;
  /** A source unused for this long — and for a whole token lifetime — stops refreshing. Default 900 000. */
  idleAfter?: number | undefined;
  /** Lifetimes are capped at this, whatever the upstream says. Default 86 400 000 (a day). */
  maxLifetime?: number | undefined;
}

/** Backoff between failed refreshes while the current token is still valid. */
export interface RetryPolicy {
  /** First step. Default 1 000. */
  base?: number | undefined;
  /** Longest wait. Default 60 000. */
  max?: number | undefined;
  /** Shortest wait, so full jitter never turns into a tight loop. Default 250. */
  min?: number | undefined;
}

export const REFRESH_DEFAULTS: Filled<RefreshPolicy> = {
  ratio: 0.8,
  jitter: 0.05,
  margin: 60_000,
  leeway: 5_000,
  idleAfter: 900_000,
  maxLifetime: 86_400_000,
};

export const RETRY_DEFAULTS: Filled<RetryPolicy> = { base: 1_000, max: 60_000, min: 250 };
