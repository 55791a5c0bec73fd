import { buildFormRequest, oauthFlow, optionalParams } from '../oauth/grant.js';
import { optionalFunction, optionalString, requireAuthMethod, requireEndpoint, requireString, type ClientAuthMethod } from '../oauth/options.js';
import type { TokenFlow } from '../types.js';

export interface ClientCredentialsOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Space-separated scopes. */
  scope?: string;
  audience?: string;
  /** RFC 8707 resource indicator(s). */
  resource?: string | readonly string[];
  /** Default `client_secret_basic`. */
  auth?: ClientAuthMethod;
  /** More form parameters the server wants (they are part of the cache key). */
  extraParams?: Record<string, string>;
  /** More request headers (not part of the cache key; never put secrets here unless needed). */
  headers?: Record<string, string>;
  /** Name used in errors and events. Default `oauth2`. */
  provider?: string;
  /** Accepted `token_type`s, lower case. Default `['bearer']`. */
  tokenTypes?: readonly string[];
  fetch?: typeof fetch;
}

/**
 * The client credentials grant: a confidential client asks for a token for itself.
 * @see RFC 6749 §4.4
 * @example
 * const source = createTokenStore().source(clientCredentials({
 *   tokenUrl: 'https://auth.example.com/oauth/token', clientId: 'id', clientSecret: env.SECRET, scope: 'payments',
 * }));
 */
export function clientCredentials(options: ClientCredentialsOptions): TokenFlow {
  const provider = options.provider ?? 'oauth2';
  const tokenUrl = requireEndpoint(provider, 'tokenUrl', options.tokenUrl);
  const clientId = requireString(provider, 'clientId', options.clientId);
  const clientSecret = requireString(provider, 'clientSecret', options.clientSecret);
  const auth = requireAuthMethod(provider, options.auth);
  const scope = optionalString(provider, 'scope', options.scope);
  const params = [
    ['grant_type', 'client_credentials'] as [string, string],
    ...optionalParams({ scope, audience: options.audience, resource: options.resource, ...options.extraParams }),
  ];
  return oauthFlow({
    provider,
    grant: 'client_credentials',
    tokenUrl,
    clientId,
    identity: [clientSecret, auth, params],
    fetch: optionalFunction(provider, 'fetch', options.fetch),
    ...(options.tokenTypes ? { tokenTypes: options.tokenTypes } : {}),
    request: () => buildFormRequest(provider, tokenUrl, { clientId, clientSecret, auth }, params, options.headers),
  });
}
