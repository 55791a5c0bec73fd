// Per profile, per origin + client IP: a token bucket in this isolate (cheap, exact for one isolate),
// then Cloudflare's rate-limiting binding when the profile names one (shared across isolates of a
// location). Both answer 429 with Retry-After before any upstream call.
import type { Clock } from '../core/index.js';
import type { RateLimitConfig } from './config-schema.js';
import type { OnceLogger } from './log.js';
import { problem } from './problem.js';
import type { MintEnv, RateLimitBinding } from './types.js';

// Buckets kept per isolate at most; full ones are dropped first, then the oldest.
const MAX_BUCKETS = 10_000;
// The binding reports no window; its period is 10 or 60 s, so 60 never sends a client back too early.
const BINDING_RETRY_AFTER = 60;

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  readonly #clock: Clock;
  readonly #buckets = new Map<string, Bucket>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  get size(): number {
    return this.#buckets.size;
  }

  /** Takes one token: 0 if allowed, else the seconds until the next token. */
  take(key: string, limit: RateLimitConfig): number {
    const now = this.#clock.now();
    const perMs = limit.perMinute / 60_000;
    const bucket = this.#buckets.get(key) ?? { tokens: limit.burst, at: now };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + Math.max(0, now - bucket.at) * perMs);
    bucket.at = now;
    this.#buckets.delete(key); // re-inserted last: Map order is then least recently used first
    this.#buckets.set(key, bucket);
    if (this.#buckets.size > MAX_BUCKETS) this.#evict(limit);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
  }

  #evict(limit: RateLimitConfig): void {
    const now = this.#clock.now();
    const perMs = limit.perMinute / 60_000;
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + (now - bucket.at) * perMs >= limit.burst) this.#buckets.delete(key);
    }
    for (const key of this.#buckets.keys()) {
      if (this.#buckets.size <= MAX_BUCKETS) break;
      this.#buckets.delete(key);
    }
  }
}

/** The client's IP as Cloudflare's edge reports it (it overwrites any client-sent value). */
export function clientIp(request: Request): string {
  return request.headers.get('cf-connecting-ip') ?? 'unknown';
}

export interface RateLimitCheck {
  buckets: TokenBuckets;
  env: MintEnv;
  log: OnceLogger;
  profile: string;
  origin: string;
  ip: string;
  limit: RateLimitConfig;
}

/** Throws a 429 problem with Retry-After when the client is over the profile's limit. */
export async function enforceRateLimit(check: RateLimitCheck): Promise<void> {
  const key = `${check.profile} ${check.origin} ${check.ip}`;
  const wait = check.buckets.take(key, check.limit);
  if (wait > 0) throw problem('rate_limited', { headers: { 'retry-after': String(wait) } });
  const name = check.limit.binding;
  if (name === undefined) return;
  let success: boolean;
  try {
    ({ success } = await (check.env[name] as RateLimitBinding).limit({ key }));
  } catch (error) {
    // The in-isolate bucket still holds: a failing binding degrades to it rather than refusing everyone.
    check.log.once('warn', `rateLimit.binding "${name}" failed (${error instanceof Error ? error.name : typeof error}); the in-isolate limit still applies`);
    return;
  }
  if (!success) throw problem('rate_limited', { headers: { 'retry-after': String(BINDING_RETRY_AFTER) } });
}
