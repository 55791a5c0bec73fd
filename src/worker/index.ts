// tokenmint/worker: the mint Worker. The default export is ready for wrangler (`main` in wrangler.toml);
// its state is module-scoped, so it lives as long as the isolate. See docs/worker.md.
import { createMintWorker } from './worker.js';
import type { MintWorker } from './types.js';

export { createMintWorker } from './worker.js';
export type { LogLevel, Logger, MintEnv, MintWorker, MintWorkerOptions, RateLimitBinding, WaitUntilContext } from './types.js';
export type { EmulatorLifetimes, RateLimitConfig, RawConfig as MintConfigJson, RawProfile as MintProfileJson } from './config-schema.js';
export { parseConfig, DEV_EMULATOR_SWITCH, type ConfigResult, type MintConfig, type Profile } from './config.js';
export { PROVIDERS, type FlowInput, type ProviderEntry } from './registry.js';
export { PROBLEMS, MintProblem, type ProblemCode } from './problem.js';
export { MAX_BODY_BYTES, type TokenRequest } from './request.js';
export type { MintedToken } from './modes.js';
export { importSigningKeys, jwkThumbprint, type PublicJwk, type SigningKeys } from './keys.js';
export type { SessionClaims } from './session.js';

const worker: MintWorker = createMintWorker();
export default worker;
