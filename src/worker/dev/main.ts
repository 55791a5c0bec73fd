// DEV ONLY: the module `npm start` and the workerd tests run instead of main.ts. The Worker with every
// opt-in part (proxy, vault, Prism's service) and the in-isolate emulator that `"upstream": "emulator"`
// profiles and the playground's /__emulator/… controls use. As for main.ts, workerd treats every named
// export as an entrypoint, so this exports the Worker and its Durable Object classes and nothing more.
import { createTokenCoordinator } from '../coordinator/object.js';
import type { DurableObjectClass } from '../durable-object.js';
import { prismService } from '../prism/index.js';
import { proxy } from '../proxy/index.js';
import type { MintEnv, MintWorker } from '../types.js';
import { createTokenVault, vault } from '../vault/index.js';
import { createMintWorker } from '../worker.js';
import { devEmulatorFactory } from './emulator.js';

const worker: MintWorker = createMintWorker({ devEmulator: devEmulatorFactory(), proxy: proxy(), vault: vault(), prismService: prismService() });
export default worker;
/** The Durable Object class of the dev Worker (binding `TOKENMINT_COORDINATOR`). */
export const TokenCoordinator: DurableObjectClass<MintEnv> = createTokenCoordinator(worker);
/** The vault's Durable Object class of the dev Worker (binding `TOKENMINT_VAULT`). */
export const TokenVault: DurableObjectClass<MintEnv> = createTokenVault(worker);
