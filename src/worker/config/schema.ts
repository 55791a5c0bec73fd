// The shape of TOKENMINT_CONFIG (JSON in a wrangler.toml var). Structure only; what needs the registry
// or the bindings (providers, their options, rate-limit bindings) is checked in config.ts.
// Every custom message is fixed text: issues never quote the value they reject (it might be a
// misplaced secret).
import * as v from 'valibot';

/** A binding name: secrets and rate-limit bindings. */
export const BindingName: v.GenericSchema<string> = v.pipe(v.string(), v.regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'must be an UPPER_SNAKE_CASE binding name'));

/** `scheme://host[:port]` exactly as browsers send it in `Origin`: no path, no `null`, no wildcard. */
function isSerializedOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}

const Origin = v.pipe(v.string(), v.check(isSerializedOrigin, 'must be a serialized origin such as "https://shop.example" (scheme://host[:port], nothing else)'));

/** RFC 6749 §3.3 scope-token. */
export const SCOPE_TOKEN: RegExp = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
const ScopeToken = v.pipe(v.string(), v.regex(SCOPE_TOKEN, 'must be a scope token (printable ASCII, no space, quote or backslash)'));

const Seconds = (max: number): v.GenericSchema<number> => v.pipe(v.number(), v.integer('must be an integer'), v.minValue(1, 'must be at least 1'), v.maxValue(max, `must be at most ${max}`));

/** A token bucket: `burst` at once, `perMinute` sustained, then optionally a `[[ratelimits]]` binding. */
export interface BucketConfig {
  burst: number;
  perMinute: number;
  /** A `[[ratelimits]]` binding consulted after the in-isolate bucket. */
  binding?: string | undefined;
}

/** Per profile and client (an IPv4 address or an IPv6 /64), under a ceiling for the whole profile. */
export interface RateLimitConfig extends BucketConfig {
  /** All clients of the profile together: what no spread of addresses can exceed. Default 100 at once, 600/min. */
  ceiling: BucketConfig;
}

const Count = (max: number) => v.pipe(v.number(), v.integer('must be an integer'), v.minValue(1, 'must be at least 1'), v.maxValue(max, `must be at most ${max}`));

const RateLimit: v.GenericSchema<unknown, RateLimitConfig> = v.strictObject({
  /** Requests a client may make at once. */
  burst: v.optional(Count(1000), 10),
  /** Sustained requests per minute. */
  perMinute: v.optional(Count(10_000), 30),
  /** A `[[ratelimits]]` binding consulted after the in-isolate bucket, keyed by profile and client. */
  binding: v.optional(BindingName),
  /** The whole profile: in this isolate, then (binding) in Cloudflare's location, keyed by profile. */
  ceiling: v.optional(v.strictObject({ burst: v.optional(Count(100_000), 100), perMinute: v.optional(Count(1_000_000), 600), binding: v.optional(BindingName) }), {}),
});

/** Browser tokens are short-lived: an hour at most. */
export const MAX_EXPIRES_IN = 3600;

/** One entry of `profiles` (see docs/worker.md). */
export interface RawProfile {
  mode: 'upstream' | 'session';
  /** A registry name (registry.ts). */
  provider: string;
  /** The provider's non-secret options. */
  options: Record<string, unknown>;
  /** Credential field → secret name, overriding the registry's defaults. */
  secrets: Record<string, string>;
  /** `emulator` (dev only) routes the flow to the in-isolate emulator. */
  upstream: 'provider' | 'emulator';
  allowedOrigins: string[];
  scopes: string[];
  /** Space-separated, a subset of `scopes`. */
  defaultScope: string;
  /** Seconds; requests for longer are clamped. */
  maxExpiresIn: number;
  /** Session mode: the `aud` claim. */
  audience?: string | undefined;
  /** Session mode: other session profiles may have the same `audience` (their tokens differ by the `profile` claim). */
  shareAudience?: boolean | undefined;
  rateLimit: RateLimitConfig;
  /**
   * Session mode: who fetches the server token. `durable-object`: one Durable Object per flow key for
   * every isolate (docs/scaling.md); `isolate`: each isolate on its own. Default: `durable-object`
   * when the TOKENMINT_COORDINATOR binding exists.
   */
  coordination?: 'isolate' | 'durable-object' | undefined;
  /** Session mode: the token-mediating proxy (`/v1/proxy/{profile}/…`); off when absent. */
  /** Checked by the proxy part (proxy/schema.ts), which a Worker without it does not carry. */
  proxy?: unknown;
}

const Profile: v.GenericSchema<unknown, RawProfile> = v.strictObject({
  mode: v.picklist(['upstream', 'session'], 'must be "upstream" or "session"'),
  provider: v.pipe(v.string(), v.minLength(1, 'must name a provider')),
  options: v.optional(v.record(v.string(), v.unknown()), {}),
  /** Credential field → secret name, overriding the registry's defaults. */
  secrets: v.optional(v.record(v.string(), BindingName), {}),
  upstream: v.optional(v.picklist(['provider', 'emulator'], 'must be "provider" or "emulator"'), 'provider'),
  allowedOrigins: v.pipe(v.array(Origin), v.minLength(1, 'must list at least one origin')),
  scopes: v.pipe(v.array(ScopeToken), v.minLength(1, 'must list at least one scope')),
  defaultScope: v.pipe(v.string(), v.minLength(1, 'must name at least one scope')),
  maxExpiresIn: Seconds(MAX_EXPIRES_IN),
  /** Session mode: the `aud` claim. */
  audience: v.optional(v.pipe(v.string(), v.minLength(1, 'must not be empty'))),
  /** Session mode: other session profiles may share this audience. */
  shareAudience: v.optional(v.boolean()),
  rateLimit: v.optional(RateLimit, {}),
  /** Session mode: `durable-object` (default when bound) or `isolate`. */
  coordination: v.optional(v.picklist(['isolate', 'durable-object'], 'must be "isolate" or "durable-object"')),
  /** Session mode: the token-mediating proxy; off when absent. Its schema is the proxy part's (proxy/schema.ts). */
  proxy: v.optional(v.unknown()),
});

const Lifetime = v.optional(Seconds(86_400));

/**
 * Token lifetimes (seconds) of the dev emulator, for the emulated providers that choose them
 * (Kitegateway tokens live as long as the flow asks: its `expiresIn` option).
 */
export interface EmulatorLifetimes {
  oauth2?: number | undefined;
  openbanking?: number | undefined;
  /** PayPal server access tokens. */
  paypal?: number | undefined;
  /** PayPal client tokens (what upstream-mode profiles hand out). */
  paypalClientToken?: number | undefined;
}

export const EmulatorLifetimesSchema: v.GenericSchema<unknown, EmulatorLifetimes> = v.strictObject({
  oauth2: Lifetime,
  openbanking: Lifetime,
  paypal: Lifetime,
  paypalClientToken: Lifetime,
});

/** TOKENMINT_CONFIG. */
export interface RawConfig {
  /** `iss` of session tokens; required when a profile is in session mode. */
  issuer?: string | undefined;
  /** The secret holding the session signing key. Default `TOKENMINT_SESSION_KEY`. */
  sessionKeySecret: string;
  /** DEV ONLY: the in-isolate emulator. */
  devEmulator?: { lifetimes: EmulatorLifetimes } | undefined;
  profiles: Record<string, RawProfile>;
  /** Prism's token RPC on this Worker (docs/prism-service.md); off unless present. Checked by prism-config.ts. */
  prismService?: unknown;
}

export const ConfigSchema: v.GenericSchema<unknown, RawConfig> = v.pipe(
  v.strictObject({
  /** `iss` of session tokens; required when a profile is in session mode (never taken from the request's Host). */
  issuer: v.optional(v.pipe(v.string(), v.url('must be an absolute URL'))),
  /** The secret holding the session signing key (a private EC P-256 JWK). */
  sessionKeySecret: v.optional(BindingName, 'TOKENMINT_SESSION_KEY'),
  /** DEV ONLY: the in-isolate emulator (`"upstream": "emulator"`, `/__emulator/…`). */
  devEmulator: v.optional(
    v.strictObject({
      /** Token lifetimes in seconds, per emulated provider. */
      lifetimes: v.optional(EmulatorLifetimesSchema, {}),
    }),
  ),
  profiles: v.record(v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9_-]{0,63}$/i, 'profile names are letters, digits, "-" and "_" (64 at most)')), Profile),
  /** Prism's token RPC (docs/prism-service.md); its schema is in prism-config.ts. */
  prismService: v.optional(v.unknown()),
  }),
  // A Worker serving only Prism's token RPC may have no profile.
  v.forward(
    v.check((config) => Object.keys(config.profiles).length > 0 || config.prismService !== undefined, 'must define at least one profile'),
    ['profiles'],
  ),
);
