// tokenmint/prism: a Prism-compatible MerchantAuthenticationClient on fetch, with cached, refreshed tokens.
export {
  MerchantAuthenticationClient,
  type PrismEnvironment,
  type PrismRuntimeOptions,
  type SeedClientConfig,
  type CurrentClientConfig,
  type CreateAccessTokenRequest,
  type AccessTokenResponse,
  type ServerAuthenticationTokenRequest,
  type ServerAuthenticationTokenResponse,
  type ClientAuthenticationTokenRequest,
  type ClientAuthenticationTokenResponse,
} from './client.js';
export { TOKEN_CONNECTORS, API_KEY_CONNECTORS, tokenConnector, type TokenConnector, type ClientTokenRequest, type TokenConnectorSpec, type ConnectorRequest } from './connectors.js';
export { OPERATION_STATUS, type OperationStatus } from './status.js';
export type { PrismCredentials, SecretString } from './credentials.js';
