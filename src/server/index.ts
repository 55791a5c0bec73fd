// tokenmint/server: Prism's token RPC as a standalone server on Node, Deno and Bun, from the same
// fetch handler the mint Worker mounts (docs/prism-service.md).
export { servePrism, prismServiceFromConfig, type ServePrismOptions, type PrismServer } from './serve.js';
export { listen, type FetchHandler, type ListenOptions, type Listening } from './listen.js';
export {
  createPrismService,
  PRISM_HTTP_PATH,
  PRISM_RPC_PATHS,
  PROFILE_HEADER,
  type PrismService,
  type PrismServiceOptions,
  type PrismServiceProfile,
  type PrismServiceEnvironment,
  type HeaderCredentialsOptions,
} from '../prism/service/index.js';
export type { PrismServiceJson, PrismProfileJson } from '../worker/prism/config.js';
