import type { TokenErrorCode } from '../errors.js';

/**
 * What the store tells `onEvent`. Events carry the source key and times (epoch ms), never a token
 * or a secret, so they can go to logs as they are.
 */
export type TokenEvent =
  /** A token was obtained: first fetch, proactive refresh, or a forced `refresh()`. */
  | { type: 'token'; key: string; at: number; reason: 'initial' | 'refresh' | 'forced'; expiresAt: number; refreshAt: number }
  /** A refresh failed while the current token is still valid: callers keep getting it. */
  | { type: 'refresh-error'; key: string; at: number; code: TokenErrorCode; attempt: number; retryAt: number; expiresAt: number }
  /** A fetch failed with no valid token to fall back on: callers got this error. */
  | { type: 'error'; key: string; at: number; code: TokenErrorCode }
  /** Nobody asked for this source for `idleAfter` ms: it stopped refreshing until the next `get()`. */
  | { type: 'idle'; key: string; at: number }
  | { type: 'invalidate'; key: string; at: number }
  /** A user hook (e.g. `onRefreshToken`) threw; the token was kept. */
  | { type: 'hook-error'; key: string; at: number };

export type TokenEventListener = (event: TokenEvent) => void;
