// When the coordinator refreshes, and how it backs off. Isolates keep their copy in a TokenStore with
// the core's default policy; the object refreshes no later than the earliest moment any isolate can
// find its copy due, so an isolate that asks gets a token it has not seen: one request per isolate
// per token.
import { backoff, REFRESH_DEFAULTS, RETRY_DEFAULTS } from '../../core/kit.js';

const { ratio, jitter, margin, leeway, maxLifetime } = REFRESH_DEFAULTS;

// Refresh this much before the isolates' earliest point (5% of the lifetime, at most 30 s), so an
// alarm that fires a little late has still refreshed before anyone asks.
const LEAD_RATIO = 0.05;
const MAX_LEAD = 30_000;

/**
 * The object's refresh point for a token obtained at `now`. An isolate that receives the token at
 * `now + x` (x ≥ 0) computes `max(min(t + r·(L−x), expiry − margin), t + (L−x)/2)` with
 * r ≥ ratio − jitter; that is nondecreasing in x, so its value at x = 0 with r = ratio − jitter is
 * the earliest any isolate asks again.
 */
export function objectRefreshAt(now: number, expiresAt: number): number {
  const expiry = Math.min(expiresAt, now + maxLifetime);
  const lifetime = expiry - now;
  const earliest = Math.max(Math.min(now + lifetime * (ratio - jitter), expiry - margin), now + lifetime / 2);
  // Whole milliseconds: the alarm keeps no fraction, and the stored schedule should match it.
  return Math.floor(earliest - Math.min(lifetime * LEAD_RATIO, MAX_LEAD));
}

/** Until when the object hands a token out: the store's own leeway, so isolates accept it. */
export function usableUntil(now: number, expiresAt: number): number {
  return expiresAt - Math.min(leeway, Math.max(0, expiresAt - now) * 0.1);
}

/**
 * When to try again after `failures` failed attempts (full-jitter backoff, `Retry-After` honoured).
 * While a token is still valid the wait is capped at half its remaining use, so several attempts
 * fall inside its life however short it is.
 */
export function retryAt(now: number, failures: number, random: () => number, retryAfterSeconds: number | undefined, validUntil: number | undefined): number {
  const { base, max, min } = RETRY_DEFAULTS;
  let wait = Math.max(min, backoff(failures - 1, base, max, random));
  if (validUntil !== undefined && validUntil > now) wait = Math.min(wait, Math.max(min, (validUntil - now) / 2));
  return Math.floor(now + Math.max(wait, (retryAfterSeconds ?? 0) * 1000));
}
