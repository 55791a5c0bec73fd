// tokenmint: what applications call — the token store, the flows, errors and their types. The building
// blocks for writing provider flows are the sub-entry tokenmint/kit (kit.ts, docs/kit.md).
export type { AccessToken, FlowContext, HttpPolicy, TokenFlow } from './types.js';
export { TokenError, OAUTH_ERROR_CODES, type TokenErrorCode, type TokenErrorOptions } from './errors.js';
export { systemClock, type Clock } from './clock.js';
export { createTokenStore, type GetOptions, type TokenSource, type TokenStore, type TokenStoreOptions } from './store/store.js';
export type { RefreshPolicy, RetryPolicy } from './store/policy.js';
export type { TokenEvent, TokenEventListener } from './store/events.js';
export { clientCredentials, type ClientCredentialsOptions } from './flows/client-credentials.js';
export { authorizationCode, type AuthorizationCodeOptions } from './flows/authorization-code.js';
export { refreshTokenFlow, type RefreshTokenFlowOptions } from './flows/refresh-token.js';
export { tokenExchange, TOKEN_EXCHANGE_GRANT, type TokenExchangeOptions } from './flows/token-exchange.js';
export { createPkce, type Pkce } from './pkce.js';
export type { ClientAuthMethod, FlowOptions } from './oauth/options.js';
export type { RefreshTokenHook } from './oauth/refresh-state.js';
