// The allow-list as data, and the one path check every proxied request passes. A path is matched
// segment by segment after the URL parser resolved `.` and `..`; a segment that is not plain
// unreserved characters (percent-encodings such as %2F, %5C or %2E, an empty one from `//`, a
// scheme's colon) is refused outright, so nothing a client encodes can change which route it hits
// or which host it reaches.
import { ROUTE_PATTERN, type ProxyMethod } from './schema.js';

export interface ProxyRoute {
  /** As configured, for logs: `POST /v2/checkout/orders`. */
  readonly pattern: string;
  readonly method: ProxyMethod;
  /** A literal segment, or `null` for a `:param`. */
  readonly segments: readonly (string | null)[];
  readonly scope: string;
}

const PLAIN_SEGMENT = /^[A-Za-z0-9._~-]+$/;

/** The routes of `allow` (patterns already checked against ROUTE_PATTERN by the schema). */
export function compileRoutes(allow: Readonly<Record<string, readonly string[]>>): ProxyRoute[] {
  return Object.entries(allow).flatMap(([scope, patterns]) =>
    patterns.map((pattern) => {
      const match = ROUTE_PATTERN.exec(pattern)!;
      const segments = pattern.slice(match[1]!.length + 2).split('/').map((segment) => (segment.startsWith(':') ? null : segment));
      return { pattern, method: match[1] as ProxyMethod, segments, scope };
    }),
  );
}

/** The segments of an upstream path (`/v2/checkout/orders`), or undefined if any is not plain. */
export function pathSegments(path: string): string[] | undefined {
  if (!path.startsWith('/')) return undefined;
  const segments = path.slice(1).split('/');
  return segments.every((segment) => PLAIN_SEGMENT.test(segment) && segment !== '.' && segment !== '..') ? segments : undefined;
}

function matches(route: ProxyRoute, method: string, segments: readonly string[]): boolean {
  return route.method === method && route.segments.length === segments.length && route.segments.every((literal, i) => literal === null || literal === segments[i]);
}

/** The first route a session with `scopes` may call for `method` + `segments`, if any. */
export function allowedRoute(routes: readonly ProxyRoute[], scopes: ReadonlySet<string>, method: string, segments: readonly string[]): ProxyRoute | undefined {
  return routes.find((route) => scopes.has(route.scope) && matches(route, method, segments));
}
