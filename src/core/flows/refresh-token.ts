import { buildFormRequest, oauthFlow, optionalParams } from '../oauth/grant.js';
import { optionalFunction, optionalString, parseFlowOptions, requireString, type FlowOptions } from '../oauth/options.js';
import { RefreshState, type RefreshTokenHook } from '../oauth/refresh-state.js';
import type { TokenFlow } from '../types.js';

export interface RefreshTokenFlowOptions extends FlowOptions {
  clientId: string;
  /** Omit for a public client. */
  clientSecret?: string | undefined;
  /** The refresh token to start from; rotated ones are kept by the flow and passed to `onRefreshToken`. */
  refreshToken: string;
  scope?: string | undefined;
  /** Persist each new refresh token here: after rotation the old one no longer works. */
  onRefreshToken?: RefreshTokenHook | undefined;
  extraParams?: Record<string, string> | undefined;
}

/**
 * Obtains access tokens from a refresh token, following rotation.
 * @see RFC 6749 §6, RFC 9700 §4.14.2 (refresh token rotation)
 */
export function refreshTokenFlow(options: RefreshTokenFlowOptions): TokenFlow {
  const { provider, tokenUrl, clientId, clientSecret, auth, fetch, defaultExpiresIn } = parseFlowOptions(options, 'refreshToken scope onRefreshToken extraParams', { clientId: true, clientSecret: false });
  const state = new RefreshState(requireString(provider, 'refreshToken', options.refreshToken), optionalFunction(provider, 'onRefreshToken', options.onRefreshToken));
  const params = optionalParams({ scope: optionalString(provider, 'scope', options.scope), ...options.extraParams });
  return oauthFlow({
    provider,
    grant: 'refresh_token',
    tokenUrl,
    clientId,
    identity: [clientSecret, auth, options.refreshToken, params],
    fetch,
    defaultExpiresIn,
    request: () => {
      const refreshToken = state.current!;
      return buildFormRequest(provider, tokenUrl, { clientId, clientSecret, auth }, [['grant_type', 'refresh_token'], ['refresh_token', refreshToken], ...params], options.headers, [refreshToken]);
    },
    accept: (token, ctx) => state.accept(token, ctx),
  });
}
