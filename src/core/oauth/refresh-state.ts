import type { AccessToken, FlowContext } from '../types.js';

/** Called with each new refresh token so the caller can persist it (they rotate: the old one dies). */
export type RefreshTokenHook = (refreshToken: string, info: { expiresAt?: number }) => void | Promise<void>;

/**
 * The refresh token a flow currently holds. It lives in the flow (not the store), so that
 * `invalidate()` — which drops the access token — never loses a rotated refresh token.
 */
export class RefreshState {
  current: string | undefined;
  readonly #hook: RefreshTokenHook | undefined;

  constructor(initial: string | undefined, hook: RefreshTokenHook | undefined) {
    this.current = initial;
    this.#hook = hook;
  }

  /** Records a rotated refresh token (persisting it through the hook) and keeps the current one on the token. */
  async accept(token: AccessToken, ctx: FlowContext): Promise<AccessToken> {
    if (token.refreshToken !== undefined && token.refreshToken !== this.current) {
      this.current = token.refreshToken;
      // A failing hook must not lose the new token: it is reported, and the token is still returned.
      try {
        await this.#hook?.(token.refreshToken, token.refreshTokenExpiresAt === undefined ? {} : { expiresAt: token.refreshTokenExpiresAt });
      } catch (error) {
        ctx.onHookError?.(error);
      }
    } else if (this.current !== undefined && token.refreshToken === undefined) {
      token.refreshToken = this.current; // RFC 6749 §6: the server may keep the old one valid
    }
    return token;
  }
}
