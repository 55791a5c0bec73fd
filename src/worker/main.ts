// The module wrangler runs (`main` in wrangler.toml). workerd treats every named export of this module as
// an entrypoint and refuses anything else, so it exports the Worker and its Durable Object classes (bound
// in wrangler.toml) and nothing more; the library API lives in index.ts (`tokenmint/worker`).
export { default, TokenCoordinator, TokenVault } from './index.js';
