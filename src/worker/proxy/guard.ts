// The `guard` hook's types: the merchant's own check of a proxied call, for what an allow-list cannot
// express (an amount limit, a merchant id in the body).
import type { VerifiedSession } from './session-token.js';

/** What the guard knows about the call besides the request. */
export interface ProxySession {
  profile: string;
  /** The verified session token's claims (scope, origin, sub, jti, exp, …). */
  claims: VerifiedSession;
  /** The allow-list entry that matched: `POST /v2/checkout/orders`. */
  route: string;
  /** The upstream path that will be called: `/v2/checkout/orders`. */
  path: string;
}

/**
 * Sees the page's request (its body readable, already within the cap) and the session. Answer
 * `false` to refuse with 403 `guard_refused`; nothing has gone upstream yet.
 */
export type ProxyGuard = (request: Request, session: ProxySession) => boolean | Promise<boolean>;
