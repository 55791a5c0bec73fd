import type { Clock } from './clock.js';

/** What every flow returns, normalised. Times are epoch milliseconds. */
export interface AccessToken {
  /** The token exactly as the provider returned it. */
  accessToken: string;
  /** `Bearer`, `JWT`, … (`bearer` is normalised to `Bearer`). */
  tokenType: string;
  /** When the token stops being valid (epoch ms, local clock). */
  expiresAt: number;
  scope?: string;
  /** Never leaves the server side: the Worker and widget never hand it out. */
  refreshToken?: string;
  refreshTokenExpiresAt?: number;
}

/** Transport settings of the one HTTP helper (see `http.ts`). */
export interface HttpPolicy {
  /** Per-attempt timeout in ms. Default 10 000. */
  timeout?: number | undefined;
  /** Retries after the first attempt on network errors, 408, 429 and 5xx. Default 2. */
  retries?: number | undefined;
  /** First backoff step in ms (exponential, full jitter). Default 250. */
  backoffBase?: number | undefined;
  /** Longest single wait in ms, also the largest `Retry-After` honoured in-line. Default 5 000. */
  backoffMax?: number | undefined;
  /** Largest response body accepted, in bytes. Default 64 KiB. */
  maxBytes?: number | undefined;
}

/** What a flow is handed on each fetch. */
export interface FlowContext {
  fetch: typeof fetch;
  signal: AbortSignal;
  /** The last token this source held, even if expired (for refresh-token grants). */
  previous?: AccessToken;
  clock?: Clock;
  http?: HttpPolicy;
  /** Source of randomness for jitter; tests inject a fixed one. */
  random?: () => number;
  /** Told when a user hook (e.g. `onRefreshToken`) throws; the token is kept regardless. */
  onHookError?: (error: unknown) => void;
}

/** One way to obtain a token. */
export interface TokenFlow {
  /** Stable cache identity, derived without exposing secrets. */
  readonly key: string;
  /** May its tokens be handed to a browser? */
  readonly browserSafe: boolean;
  /** Provider name used in errors and events (`oauth2`, `paypal`, …). */
  readonly provider?: string;
  fetchToken(ctx: FlowContext): Promise<AccessToken>;
  /** The `Authorization` header value; default `${tokenType} ${accessToken}`. */
  authorization?(token: AccessToken): string;
}
