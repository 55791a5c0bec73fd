// The module wrangler runs (`main` in wrangler.toml): the production mint Worker, with no emulator and
// none of the opt-in parts (a Worker with the proxy, the vault or Prism's service is built with
// createMintWorker: docs/deploy.md). workerd treats every named export of this module as an entrypoint
// and refuses anything else, so it exports the Worker and its Durable Object class and nothing more; the
// library API lives in index.ts (`tokenmint/worker`).
export { default, TokenCoordinator } from './index.js';
