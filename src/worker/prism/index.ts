// tokenmint/worker/prism: Prism's token RPC served by the mint Worker (docs/prism-service.md). Hand
// `prismService()` to createMintWorker; a Worker built without it refuses a config with `prismService`.
import { PRISM_PATHS } from '../../prism/service/index.js';
import type { PrismServiceFeature } from '../features.js';
import { checkPrismService } from './config.js';
import { PRISM_ASK_PREFIX, prismAskFlow, prismRoute } from './route.js';

export type { PrismServiceFeature } from '../features.js';

/**
 * The Prism service part of a mint Worker.
 * @example
 * import { createMintWorker, createTokenCoordinator } from 'tokenmint/worker';
 * import { prismService } from 'tokenmint/worker/prism';
 * const mint = createMintWorker({ prismService: prismService() });
 * export default mint;
 * export const TokenCoordinator = createTokenCoordinator(mint);
 */
export function prismService(): PrismServiceFeature {
  return {
    part: 'prismService',
    route: (pathname) => (PRISM_PATHS.has(pathname) ? prismRoute : undefined),
    check: checkPrismService,
    askFlow: (state, env, ask) => (ask.startsWith(PRISM_ASK_PREFIX) ? prismAskFlow(state, env, ask) : undefined),
  };
}
