import { configError } from '../errors.js';
import { buildFormRequest, oauthFlow, optionalParams } from '../oauth/grant.js';
import { parseFlowOptions, requireString, type FlowOptions } from '../oauth/options.js';
import type { TokenFlow } from '../types.js';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';

export interface TokenExchangeOptions extends FlowOptions {
  /** The token to exchange, or a function giving the current one (e.g. another source's `get`). */
  subjectToken: string | (() => string | Promise<string>);
  /** Names the subject in the cache key; required when `subjectToken` is a function (never the token itself). */
  subjectId?: string | undefined;
  /** e.g. `urn:ietf:params:oauth:token-type:access_token`. */
  subjectTokenType: string;
  audience?: string | undefined;
  resource?: string | readonly string[] | undefined;
  scope?: string | undefined;
  requestedTokenType?: string | undefined;
  actorToken?: string | undefined;
  actorTokenType?: string | undefined;
  /** Accepted `token_type`s, lower case. Default `['bearer', 'n_a']` (RFC 8693 §2.2.1). */
  tokenTypes?: readonly string[] | undefined;
}

/**
 * RFC 8693 token exchange: trades a subject (and optional actor) token for a new one.
 * @see RFC 8693 §2.1
 */
export function tokenExchange(options: TokenExchangeOptions): TokenFlow {
  const own = 'subjectToken subjectId subjectTokenType audience resource scope requestedTokenType actorToken actorTokenType tokenTypes';
  const { provider, tokenUrl, clientId, clientSecret, auth, fetch, defaultExpiresIn } = parseFlowOptions(options, own, { clientId: false, clientSecret: false });
  if (clientSecret !== undefined && clientId === undefined) throw configError(provider, 'clientId', 'is required when clientSecret is given');
  const subject = typeof options.subjectToken === 'function' ? options.subjectToken : requireString(provider, 'subjectToken', options.subjectToken);
  const subjectId = typeof subject === 'string' ? subject : requireString(provider, 'subjectId', options.subjectId);
  const subjectTokenType = requireString(provider, 'subjectTokenType', options.subjectTokenType);
  if (options.actorToken !== undefined) requireString(provider, 'actorTokenType', options.actorTokenType);
  const params = optionalParams({
    subject_token_type: subjectTokenType,
    audience: options.audience,
    resource: options.resource,
    scope: options.scope,
    requested_token_type: options.requestedTokenType,
    actor_token: options.actorToken,
    actor_token_type: options.actorTokenType,
  });
  return oauthFlow({
    provider,
    grant: 'token_exchange',
    tokenUrl,
    clientId,
    identity: [clientSecret, auth, subjectId, params],
    fetch,
    defaultExpiresIn,
    tokenTypes: options.tokenTypes ?? ['bearer', 'n_a'],
    request: async () => {
      const subjectToken = typeof subject === 'string' ? subject : requireString(provider, 'subjectToken', await subject());
      return buildFormRequest(
        provider,
        tokenUrl,
        { clientId, clientSecret, auth },
        [['grant_type', TOKEN_EXCHANGE_GRANT], ['subject_token', subjectToken], ...params],
        options.headers,
        [subjectToken, ...(options.actorToken ? [options.actorToken] : [])],
      );
    },
  });
}
