// The mint Worker as a factory: the logic takes its clock, randomness, fetch and emulator from
// options, and index.ts binds the platform's (ofetch's split between fetch.ts and index.ts).
import { checkKeys, configError } from '../core/kit.js';
import { FEATURE_IMPORTS } from './features.js';
import { route } from './http/router.js';
import { MintState } from './state.js';
import type { MintWorker, MintWorkerOptions } from './types.js';

/**
 * Creates the mint Worker: `POST /v1/tokens`, `GET /.well-known/jwks.json`, `GET /healthz`, CORS
 * preflight, and the opt-in parts given (`proxy`, `vault`, `prismService`; docs/worker.md). Its state (config, signing key, rate limits, server tokens) lives as long as the returned
 * object: create it once, at module scope.
 * @example
 * // src/index.ts of your Worker
 * import { createMintWorker, createTokenCoordinator } from 'tokenmint/worker';
 * const mint = createMintWorker();
 * export default mint;
 * export const TokenCoordinator = createTokenCoordinator(mint); // optional: see docs/scaling.md
 */
export function createMintWorker(options: MintWorkerOptions = {}): MintWorker {
  checkKeys('worker', options, 'clock random fetch http log devEmulator proxy vault prismService');
  for (const part of ['proxy', 'vault', 'prismService'] as const) {
    const given: { part?: unknown } | undefined = options[part];
    if (given !== undefined && given?.part !== part) throw configError('worker', part, `must be ${FEATURE_IMPORTS[part]}`);
  }
  const state = new MintState(options);
  return {
    fetch: (request, env, ctx) => route({ request, url: new URL(request.url), env, ctx, state, cors: {} }),
    shared: state,
  };
}

/** The state `worker` hands to its Durable Object classes, or undefined if it was not made by `createMintWorker`. */
export function sharedState(worker: MintWorker | undefined): MintState | undefined {
  const shared: unknown = worker?.shared;
  return shared instanceof MintState ? shared : undefined;
}
