import { oauthFlow, optionalParams } from '../oauth/grant.js';
import { optionalString, parseFlowOptions, type FlowOptions } from '../oauth/options.js';
import type { TokenFlow } from '../types.js';

export interface ClientCredentialsOptions extends FlowOptions {
  clientId: string;
  clientSecret: string;
  /** Space-separated scopes. */
  scope?: string | undefined;
  audience?: string | undefined;
  /** RFC 8707 resource indicator(s). */
  resource?: string | readonly string[] | undefined;
  /** More form parameters the server wants (they are part of the cache key). */
  extraParams?: Record<string, string> | undefined;
  /** Accepted `token_type`s, lower case. Default `['bearer']`. */
  tokenTypes?: readonly string[] | undefined;
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
  const { provider, tokenUrl, clientId, clientSecret, auth, fetch, defaultExpiresIn } = parseFlowOptions(options, 'scope audience resource extraParams tokenTypes', { clientId: true, clientSecret: true });
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
    fetch,
    tokenTypes: options.tokenTypes,
    defaultExpiresIn,
    // Kept encoded: one short string per flow rather than the arrays (a store may hold many flows).
    // split/join makes it one flat string: URLSearchParams builds it by concatenation, and V8 would
    // keep every piece of that rope (~100 B more a flow).
    form: new URLSearchParams(params).toString().split('&').join('&'),
    clientSecret,
    auth,
    headers: options.headers,
  });
}
