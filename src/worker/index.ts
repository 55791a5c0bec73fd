// tokenmint/worker: the mint Worker. The default export is ready for wrangler (`main` in wrangler.toml):
// the mint alone, without the opt-in parts (tokenmint/worker/proxy, /vault, /prism: build your own with
// createMintWorker to add them). Its state is module-scoped, so it lives as long as the isolate.
// `TokenCoordinator` is the Durable Object class that shares server tokens between isolates
// (docs/scaling.md). See docs/worker.md.
import { createTokenCoordinator } from './coordinator/object.js';
import type { DurableObjectClass } from './durable-object.js';
import { createMintWorker } from './worker.js';
import type { MintEnv, MintWorker } from './types.js';

export { createMintWorker } from './worker.js';
export { createTokenCoordinator } from './coordinator/object.js';
export { COORDINATOR_BINDING } from './coordinator/protocol.js';
export type { DurableObjectClass, DurableObjectLike, DurableObjectNamespaceLike, DurableObjectStateLike, DurableObjectStorageLike, DurableObjectStubLike } from './durable-object.js';
export type { DevEmulatorFactory, DevEmulatorSurface, LogLevel, Logger, MintEnv, MintShared, MintWorker, MintWorkerOptions, RateLimitBinding, WaitUntilContext } from './types.js';
export type { PrismServiceFeature, ProxyFeature, VaultFeature } from './features.js';
export type { BucketConfig, EmulatorLifetimes, RateLimitConfig, RawConfig as MintConfigJson, RawProfile as MintProfileJson } from './config/schema.js';
export { parseConfig, DEV_EMULATOR_SWITCH, type ConfigParts, type ConfigResult, type MintConfig, type Profile } from './config/parse.js';
export { PROVIDERS, type FlowInput, type ProviderEntry } from './config/registry.js';
export { PROBLEMS, MintProblem, type ProblemCode } from './http/problem.js';
export { MAX_BODY_BYTES, type TokenRequest } from './http/request.js';
export type { MintedToken } from './mint/token-answer.js';
export { importSigningKeys, jwkThumbprint, type PublicJwk, type SigningKeys } from './mint/keys.js';
export type { SessionClaims } from './mint/session.js';

const worker: MintWorker = createMintWorker();
export default worker;
/** The Durable Object class of the default Worker (binding `TOKENMINT_COORDINATOR`). */
export const TokenCoordinator: DurableObjectClass<MintEnv> = createTokenCoordinator(worker);
