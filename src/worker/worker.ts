// The mint Worker as a factory: the logic takes its clock, randomness, fetch and emulator from
// options, and index.ts binds the platform's (ofetch's split between fetch.ts and index.ts).
import { route } from './http/router.js';
import { MintState } from './state.js';
import type { MintWorker, MintWorkerOptions } from './types.js';

// Each Worker's state, for the token coordinator class made from it (coordinator.ts): the object then
// shares the Worker's clock, logger and, in development, its emulator.
const states = new WeakMap<MintWorker, MintState>();

/**
 * Creates the mint Worker: `POST /v1/tokens`, `GET /.well-known/jwks.json`, `GET /healthz`, CORS
 * preflight. Its state (config, signing key, rate limits, server tokens) lives as long as the returned
 * object: create it once, at module scope.
 * @example
 * // src/index.ts of your Worker
 * import { createMintWorker, createTokenCoordinator } from 'tokenmint/worker';
 * const mint = createMintWorker();
 * export default mint;
 * export const TokenCoordinator = createTokenCoordinator(mint); // optional: see docs/scaling.md
 */
export function createMintWorker(options: MintWorkerOptions = {}): MintWorker {
  const state = new MintState(options);
  const worker: MintWorker = {
    fetch: (request, env, ctx) => route({ request, url: new URL(request.url), env, ctx, state, cors: {} }),
  };
  states.set(worker, state);
  return worker;
}

/** The state behind a Worker made by `createMintWorker`. */
export function stateOf(worker: MintWorker): MintState | undefined {
  return states.get(worker);
}
