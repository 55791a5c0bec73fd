import { TokenError } from '../errors.js';
import { buildFormRequest, oauthFlow, optionalParams } from '../oauth/grant.js';
import { optionalFunction, parseFlowOptions, requireString, type FlowOptions } from '../oauth/options.js';
import { RefreshState, type RefreshTokenHook } from '../oauth/refresh-state.js';
import type { TokenFlow } from '../types.js';

export interface AuthorizationCodeOptions extends FlowOptions {
  clientId: string;
  /** Omit for a public client (then PKCE's `codeVerifier` is what proves possession). */
  clientSecret?: string | undefined;
  /** The authorization code from the redirect. Single use. */
  code: string;
  redirectUri?: string | undefined;
  /** The PKCE verifier whose challenge went into the authorization request (see `createPkce`). */
  codeVerifier?: string | undefined;
  /** Persist each new refresh token here. */
  onRefreshToken?: RefreshTokenHook | undefined;
  extraParams?: Record<string, string> | undefined;
}

/**
 * Exchanges an authorization code once, then keeps the token fresh with the refresh token it returned.
 * The code counts as spent once the server has answered (a network error leaves it usable). Once the
 * code is spent and no refresh token is held, a fetch fails with `invalid_grant` without
 * sending anything: the user has to authorize again.
 * @see RFC 6749 §4.1.3, §6; RFC 7636 §4.5 (PKCE)
 */
export function authorizationCode(options: AuthorizationCodeOptions): TokenFlow {
  const { provider, tokenUrl, clientId, clientSecret, auth, fetch, defaultExpiresIn } = parseFlowOptions(options, 'code redirectUri codeVerifier onRefreshToken extraParams', { clientId: true, clientSecret: false });
  const code = requireString(provider, 'code', options.code);
  const state = new RefreshState(undefined, optionalFunction(provider, 'onRefreshToken', options.onRefreshToken));
  const client = { clientId, clientSecret, auth };
  let codeSpent = false;
  const flow = oauthFlow({
    provider,
    grant: 'authorization_code',
    tokenUrl,
    clientId,
    identity: [clientSecret, auth, code, options.redirectUri, options.codeVerifier, options.extraParams],
    fetch,
    defaultExpiresIn,
    request: () => {
      if (state.current !== undefined) {
        return buildFormRequest(provider, tokenUrl, client, [['grant_type', 'refresh_token'], ['refresh_token', state.current]], options.headers, [state.current]);
      }
      if (codeSpent) {
        throw new TokenError('invalid_grant', `${provider}: the authorization code was already exchanged and no refresh token is held; authorize again`, { provider });
      }
      const params = optionalParams({ redirect_uri: options.redirectUri, code_verifier: options.codeVerifier, ...options.extraParams });
      return buildFormRequest(provider, tokenUrl, client, [['grant_type', 'authorization_code'], ['code', code], ...params], options.headers, [code, ...(options.codeVerifier ? [options.codeVerifier] : [])]);
    },
    accept: (token, ctx) => state.accept(token, ctx),
  });
  return {
    ...flow,
    async fetchToken(ctx) {
      const usesCode = state.current === undefined;
      try {
        const token = await flow.fetchToken(ctx);
        if (usesCode) codeSpent = true;
        return token;
      } catch (error) {
        // The code is spent once the server has answered (RFC 6749 §4.1.2: single use). After a
        // network error or a timeout it may never have arrived, so it is tried again, not thrown away.
        if (usesCode && error instanceof TokenError && error.status !== undefined) codeSpent = true;
        throw error;
      }
    },
  };
}
