// The `proxy` section of a session profile (docs/worker.md, "Proxy"): which upstream routes each scope
// may call, where the provider's API lives, and the body caps. Structure only; what needs the profile
// (its scopes, mode, provider, environment) is checked in check.ts.
import * as v from 'valibot';

/** Methods a route may name. */
export const PROXY_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type ProxyMethod = (typeof PROXY_METHODS)[number];

/**
 * `METHOD /segment/:param/...`: literal segments of RFC 3986 unreserved characters (never `.` or `..`),
 * `:name` matching one such segment. Nothing else: no wildcards, query strings or encoded characters.
 */
export const ROUTE_PATTERN: RegExp = /^(GET|POST|PUT|PATCH|DELETE) (\/(:[A-Za-z][A-Za-z0-9_]*|(?!\.{1,2}(?:\/|$))[A-Za-z0-9._~-]+))+$/;

export const DEFAULT_MAX_REQUEST_BYTES = 16_384;
export const DEFAULT_MAX_RESPONSE_BYTES = 262_144;
export const DEFAULT_PROXY_TIMEOUT = 10_000;

const Bytes = (max: number, fallback: number) =>
  v.optional(v.pipe(v.number(), v.integer('must be an integer'), v.minValue(0, 'must be at least 0'), v.maxValue(max, `must be at most ${max}`)), fallback);

/** A profile's `proxy` section. */
export interface ProxyConfigJson {
  /** Scope → the routes a session token with that scope may call (`"POST /v2/checkout/orders"`). */
  allow: Record<string, string[]>;
  /** The provider's API base URL (https, no query). Default: known for PayPal per `options.environment`. */
  apiBase?: string | undefined;
  /** Request body cap in bytes (413 above it). Default 16 384. */
  maxRequestBytes: number;
  /** Response body cap in bytes (502 above it). Default 262 144. */
  maxResponseBytes: number;
  /** Milliseconds for the upstream's response headers. Default 10 000. */
  timeout: number;
}

export const ProxySchema: v.GenericSchema<unknown, ProxyConfigJson> = v.strictObject({
  allow: v.pipe(
    v.record(v.string(), v.pipe(v.array(v.pipe(v.string(), v.regex(ROUTE_PATTERN, 'must be "METHOD /path" (GET, POST, PUT, PATCH or DELETE; segments of letters, digits, "-", ".", "_", "~", or ":name")'))), v.minLength(1, 'must list at least one route'))),
    v.check((allow) => Object.keys(allow).length > 0, 'must allow at least one scope'),
  ),
  apiBase: v.optional(v.pipe(v.string(), v.url('must be an absolute URL'))),
  maxRequestBytes: Bytes(1_048_576, DEFAULT_MAX_REQUEST_BYTES),
  maxResponseBytes: Bytes(8_388_608, DEFAULT_MAX_RESPONSE_BYTES),
  timeout: v.optional(v.pipe(v.number(), v.integer('must be an integer'), v.minValue(100, 'must be at least 100'), v.maxValue(60_000, 'must be at most 60000')), DEFAULT_PROXY_TIMEOUT),
});
