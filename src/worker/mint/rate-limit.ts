// Per profile and client network (an IPv4 address or an IPv6 /64; never the Origin, which any client
// can send), under a ceiling for the whole profile that no spread of addresses exceeds: token buckets in
// this isolate (cheap, exact for one isolate), then Cloudflare's rate-limiting bindings when the profile
// names them (shared by the isolates of a location). All answer 429 with Retry-After before any upstream call.
import type { Clock } from '../../core/index.js';
import type { BucketConfig, RateLimitConfig } from '../config/schema.js';
import type { OnceLogger } from '../log.js';
import { problem } from '../http/problem.js';
import type { MintEnv, RateLimitBinding } from '../types.js';

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
  take(key: string, limit: BucketConfig): number {
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

  #evict(limit: BucketConfig): void {
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

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * The client as far as the rate limit can tell: its IPv4 address, or the /64 of its IPv6 address (one
 * subscriber usually holds a whole /64, so each of its addresses is not a new client). From
 * CF-Connecting-IP, which Cloudflare's edge sets and overwrites. Undefined without a usable one.
 */
export function clientNetwork(request: Request): string | undefined {
  const ip = request.headers.get('cf-connecting-ip')?.trim() ?? '';
  let host: string;
  try {
    host = new URL(`http://${ip.includes(':') ? `[${ip}]` : ip}/`).hostname; // canonical form, or a throw
  } catch {
    return undefined;
  }
  if (IPV4.test(host)) return host;
  if (!host.startsWith('[')) return undefined;
  const [head = '', tail] = host.slice(1, -1).split('::');
  const groups = head === '' ? [] : head.split(':');
  if (tail !== undefined) {
    const rest = tail === '' ? [] : tail.split(':');
    groups.push(...Array<string>(8 - groups.length - rest.length).fill('0'), ...rest);
  }
  // ::ffff:a.b.c.d is that IPv4 client (the URL parser writes its last 32 bits as two hex groups).
  if (groups.slice(0, 6).join(':') === '0:0:0:0:0:ffff') {
    const [high, low] = groups.slice(6).map((group) => Number.parseInt(group, 16));
    return [high! >> 8, high! & 255, low! >> 8, low! & 255].join('.');
  }
  return `${groups.slice(0, 4).join(':')}::/64`;
}

export interface RateLimitCheck {
  state: { buckets: TokenBuckets; ceilings: TokenBuckets; log: OnceLogger };
  env: MintEnv;
  profile: string;
  /** From `clientNetwork`; undefined: every such request is one client. */
  client: string | undefined;
  limit: RateLimitConfig;
}

/**
 * Throws a 429 problem with Retry-After when the client is over its limit or the profile over its
 * ceiling: the client's bucket, the ceiling's bucket, then the bindings of each (shared by the isolates
 * of a Cloudflare location).
 */
export async function enforceRateLimit(check: RateLimitCheck): Promise<void> {
  const { state, limit, profile } = check;
  if (check.client === undefined) {
    state.log.once('warn', 'requests without CF-Connecting-IP (not behind Cloudflare\'s edge?) share one rate-limit bucket per profile; the per-profile ceiling applies as always');
  }
  const key = `${profile} ${check.client ?? 'no-client-address'}`;
  for (const [buckets, bucketKey, bucket] of [
    [state.buckets, key, limit],
    [state.ceilings, profile, limit.ceiling],
  ] as const) {
    const wait = buckets.take(bucketKey, bucket);
    if (wait > 0) throw problem('rate_limited', { headers: { 'retry-after': String(wait) } });
  }
  await consultBinding(check, limit.binding, key, 'rateLimit.binding');
  await consultBinding(check, limit.ceiling.binding, profile, 'rateLimit.ceiling.binding');
}

async function consultBinding(check: RateLimitCheck, name: string | undefined, key: string, field: string): Promise<void> {
  if (name === undefined) return;
  let success: boolean;
  try {
    ({ success } = await (check.env[name] as RateLimitBinding).limit({ key }));
  } catch (error) {
    // The in-isolate bucket still holds: a failing binding degrades to it rather than refusing everyone.
    check.state.log.once('warn', `${field} "${name}" failed (${error instanceof Error ? error.name : typeof error}); the in-isolate limit still applies`);
    return;
  }
  if (!success) throw problem('rate_limited', { headers: { 'retry-after': String(BINDING_RETRY_AFTER) } });
}
