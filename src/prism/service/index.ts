// Prism's token RPC as a fetch handler (docs/prism-service.md): the mint Worker mounts it, and
// tokenmint/server serves it on Node, Deno and Bun.
export {
  createPrismService,
  hiddenKey,
  withHiddenKey,
  PRISM_HTTP_PATH,
  PRISM_RPC_PATHS,
  PRISM_PATHS,
  PROFILE_HEADER,
  MAX_BODY_BYTES,
  type PrismService,
  type HandleOptions,
  type PrismServiceOptions,
  type PrismServiceProfile,
  type PrismServiceEnvironment,
  type HeaderCredentialsOptions,
} from './service.js';
export { CONNECTOR_NUMBERS, type TokenRequestMessage, type TokenResponseMessage } from './messages.js';
