import * as v from 'valibot';
import { systemClock, TokenError, type AccessToken, type RefreshTokenHook, type TokenFlow } from '../../core/index.js';
import { buildFormRequest, configError, flowKey, oauthErrorFromResponse, optionalFunction, optionalString, parseJson, processTokenResponse, RefreshState, requireString, Seconds, sendRequest, validateBody, type FormParams } from '../../core/kit.js';
import { checkOptions, resolveBase, withFetch, type Environment, type ProviderOptions } from '../_shared.js';
import { defineProvider, type ProviderDescriptor } from '../descriptor.js';

const PROVIDER = 'cybersource';

/** @see docs/providers.md#cybersource-oauth (production also requires mutual TLS: pass an mTLS `fetch`). */
export const CYBERSOURCE_HOSTS: Readonly<Record<Environment, string>> = {
  sandbox: 'https://api-matest.cybersource.com',
  production: 'https://api-ma.cybersource.com',
};

// CyberSource documents this exact Accept value.
const ACCEPT = 'application/json;charset=utf-8';

export interface CyberSourceOptions extends ProviderOptions {
  clientId: string;
  clientSecret: string;
  /** The authorization code (valid 10 minutes, single use): for a first connection. */
  code?: string | undefined;
  /** A refresh token persisted earlier: to resume. Exactly one of `code` / `refreshToken`. */
  refreshToken?: string | undefined;
  /** Persist each new refresh token here (they rotate, and each lives a year from its last use). */
  onRefreshToken?: RefreshTokenHook | undefined;
  /** Sent as `v-c-client-correlation-id` (CyberSource echoes it back) to trace requests with support. */
  correlationId?: string | undefined;
}

// What CyberSource adds to RFC 6749 §5.1 (checked on top of the core schema). A code exchange must
// return a refresh token, or the flow could not continue after 15 minutes; a refresh may omit it.
const CodeGrantBody = v.object({ refresh_token: v.pipe(v.string(), v.minLength(1)), refresh_token_expires_in: v.optional(Seconds), client_status: v.optional(v.string()) });
const RefreshGrantBody = v.object({ refresh_token_expires_in: v.optional(Seconds), client_status: v.optional(v.string()) });

const REAUTHORIZE = 're-authorize: obtain a new authorization code and create the flow with it';

/**
 * CyberSource OAuth: exchanges the authorization code once, then refreshes with the (rotating) refresh
 * token, persisting each new one through `onRefreshToken` and tracking its own expiry. A refresh token
 * that is rejected or expired ends in `invalid_grant` telling the user to re-authorize. Server-only.
 * @see docs/providers.md#cybersource-oauth
 * @example
 * const flow = cybersource({ clientId, clientSecret: env.CYBS_SECRET, refreshToken: await db.get('cybs-rt'),
 *   onRefreshToken: (token) => db.put('cybs-rt', token) });
 */
export function cybersource(options: CyberSourceOptions): TokenFlow {
  checkOptions(PROVIDER, options, 'clientId clientSecret code refreshToken onRefreshToken correlationId');
  const clientId = requireString(PROVIDER, 'clientId', options.clientId);
  const clientSecret = requireString(PROVIDER, 'clientSecret', options.clientSecret);
  if ((options.code === undefined) === (options.refreshToken === undefined)) {
    throw configError(PROVIDER, 'code', 'or refreshToken is required (exactly one of them)');
  }
  const code = optionalString(PROVIDER, 'code', options.code);
  const state = new RefreshState(optionalString(PROVIDER, 'refreshToken', options.refreshToken), optionalFunction(PROVIDER, 'onRefreshToken', options.onRefreshToken));
  const correlationId = optionalString(PROVIDER, 'correlationId', options.correlationId);
  const headers: Record<string, string> = correlationId === undefined ? {} : { 'v-c-client-correlation-id': correlationId };
  const url = `${resolveBase(PROVIDER, CYBERSOURCE_HOSTS, options)}/oauth2/v3/token`;
  const fetchFn = optionalFunction(PROVIDER, 'fetch', options.fetch);
  const client = { clientId, clientSecret, auth: 'client_secret_post' as const };
  let codeSpent = false;
  let refreshExpiresAt: number | undefined;

  /** The grant to send now, or an `invalid_grant` without any request when none is left. */
  const nextGrant = (now: number): { grant: 'authorization_code' | 'refresh_token'; value: string } => {
    if (state.current !== undefined) {
      if (refreshExpiresAt !== undefined && now >= refreshExpiresAt) {
        state.current = undefined;
        throw new TokenError('invalid_grant', `${PROVIDER}: the refresh token has expired; ${REAUTHORIZE}`, { provider: PROVIDER });
      }
      return { grant: 'refresh_token', value: state.current };
    }
    if (code !== undefined && !codeSpent) return { grant: 'authorization_code', value: code };
    throw new TokenError('invalid_grant', `${PROVIDER}: no usable authorization code or refresh token is left; ${REAUTHORIZE}`, { provider: PROVIDER });
  };

  return {
    key: flowKey(code === undefined ? 'refresh_token' : 'authorization_code', url, clientId, [clientSecret, code ?? options.refreshToken]),
    browserSafe: false,
    provider: PROVIDER,
    async fetchToken(ctx) {
      const clock = ctx.clock ?? systemClock;
      const { grant, value } = nextGrant(clock.now());
      const params: FormParams = [['grant_type', grant], [grant === 'refresh_token' ? 'refresh_token' : 'code', value]];
      const request = buildFormRequest(PROVIDER, url, client, params, headers, [value]);
      request.headers.accept = ACCEPT;
      const response = await sendRequest(withFetch(ctx, fetchFn), request);
      const now = clock.now();
      // A code counts as spent once the server gave a definite answer; after a network error or a 5xx
      // it may still be unused, and a second try is answered `invalid_grant` anyway if it was not.
      if (grant === 'authorization_code' && response.status < 500 && response.status !== 408 && response.status !== 429) codeSpent = true;
      if (response.status !== 200) {
        const error = oauthErrorFromResponse(request, response, now);
        if (error.code !== 'invalid_grant') throw error;
        if (grant === 'refresh_token') state.current = undefined; // dead: never sent again
        throw rejected(grant, error);
      }
      validateBody(request, response, grant === 'authorization_code' ? CodeGrantBody : RefreshGrantBody, parseJson(request, response));
      const token = processTokenResponse(request, response, { now });
      trackRefreshExpiry(token);
      return state.accept(token, ctx);
    },
  };

  /** Keeps `refreshExpiresAt` in step: a new token brings its own expiry; without one, the old one's is renewed or kept. */
  function trackRefreshExpiry(token: AccessToken): void {
    if (token.refreshTokenExpiresAt !== undefined) refreshExpiresAt = token.refreshTokenExpiresAt;
    else if (token.refreshToken !== undefined) refreshExpiresAt = undefined;
    else if (refreshExpiresAt !== undefined) token.refreshTokenExpiresAt = refreshExpiresAt;
  }
}

function rejected(grant: 'authorization_code' | 'refresh_token', error: TokenError): TokenError {
  const what =
    grant === 'refresh_token'
      ? 'the refresh token was rejected (expired, revoked or already rotated)'
      : 'the authorization code was rejected (already used, older than 10 minutes, or issued to another client)';
  return new TokenError('invalid_grant', `${PROVIDER}: ${what}; ${REAUTHORIZE}`, {
    provider: PROVIDER,
    cause: error,
    ...(error.status === undefined ? {} : { status: error.status }),
  });
}

/** The provider's descriptor (docs/providers.md#adding-a-provider). */
export const CYBERSOURCE_PROVIDER: ProviderDescriptor = /* @__PURE__ */ defineProvider(cybersource, {
  name: 'cybersource',
  prismNumber: 22,
  emulatorPrefix: 'cybersource',
  hosts: CYBERSOURCE_HOSTS,
  credentials: { clientId: 'CYBERSOURCE_CLIENT_ID', clientSecret: 'CYBERSOURCE_CLIENT_SECRET' },
  identifiers: ['clientId'],
  // The grant's start (a code, or a refresh token) and its hooks come with Prism's config; the Worker's
  // vault holds the refresh token instead (docs/vault.md).
  configFields: ['code', 'refreshToken', 'onRefreshToken', 'correlationId'],
  // The Business Center's "Redirect the Merchant" page. The test host is documented; production is the same
  // path on the production Business Center host (unverified: a Worker profile's `authorizeUrl` replaces it).
  // It takes no PKCE, and names its parameters sub, client_id, redirect_url, state.
  codeGrant: {
    authorizeUrls: { sandbox: 'https://businesscentertest.cybersource.com/ebc2/oauth/authorize', production: 'https://businesscenter.cybersource.com/ebc2/oauth/authorize' },
    authorizeQuery: ({ clientId, redirectUri, state }) => ({ sub: 'oauth', client_id: clientId, redirect_url: redirectUri, state }),
    pkce: false,
    seedSecret: 'CYBERSOURCE_REFRESH_TOKEN',
  },
});
