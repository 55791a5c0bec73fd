// tokenmint/worker/vault: the refresh-token vault (docs/vault.md). Hand `vault()` to createMintWorker and
// export `createTokenVault(worker)` as `TokenVault`; a Worker built without it refuses vault profiles.
import type { VaultFeature } from '../features.js';
import { vaultFlow } from './client.js';
import { VAULT_PROVIDERS } from './providers.js';
import { VAULT_PATH, vaultRoutes } from './routes.js';

export { createTokenVault } from './object.js';
export { VAULT_BINDING, type VaultStatus } from './protocol.js';
export { VAULT_KEYS_SECRET } from './seal.js';
export { ADMIN_SECRET } from './admin.js';
export type { VaultFeature } from '../features.js';

/**
 * The vault part of a mint Worker: the providers whose refresh tokens it keeps (CyberSource,
 * authorizationCode), its onboarding routes under `/v1/vault/` and the server tokens of vault profiles,
 * which its Durable Object (`createTokenVault`) alone refreshes.
 * @example
 * import { createMintWorker, createTokenCoordinator } from 'tokenmint/worker';
 * import { createTokenVault, vault } from 'tokenmint/worker/vault';
 * const mint = createMintWorker({ vault: vault() });
 * export default mint;
 * export const TokenCoordinator = createTokenCoordinator(mint);
 * export const TokenVault = createTokenVault(mint);
 */
export function vault(): VaultFeature {
  return {
    part: 'vault',
    providers: VAULT_PROVIDERS,
    route: (pathname) => (pathname.startsWith(`${VAULT_PATH}/`) ? vaultRoutes : undefined),
    flow: vaultFlow,
  };
}
