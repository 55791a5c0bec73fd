// The mint Worker as a factory: the logic takes its clock, randomness, fetch and emulator from
// options, and index.ts binds the platform's (ofetch's split between fetch.ts and index.ts).
import { route } from './router.js';
import { MintState } from './state.js';
import type { MintWorker, MintWorkerOptions } from './types.js';

/**
 * Creates the mint Worker: `POST /v1/tokens`, `GET /.well-known/jwks.json`, `GET /healthz`, CORS
 * preflight. Its state (config, signing key, rate limits, server tokens) lives as long as the returned
 * object: create it once, at module scope.
 * @example
 * // src/index.ts of your Worker
 * import { createMintWorker } from 'tokenmint/worker';
 * export default createMintWorker();
 */
export function createMintWorker(options: MintWorkerOptions = {}): MintWorker {
  const state = new MintState(options);
  return {
    fetch: (request, env, ctx) => route({ request, url: new URL(request.url), env, ctx, state, cors: {} }),
  };
}
