// The server flow of a proxied call, kept per profile: building one (serverFlow) hashes the profile's
// credentials into its flow key, work a proxy answering call after call need not redo. Kept per token
// store (a dev emulator reset makes a new store, and so new flows) and made again when a credential
// changes. Vault profiles take their flow from the vault part each time, as on /v1/tokens.
import type { TokenFlow, TokenStore } from '../../core/index.js';
import type { MintConfig, Profile } from '../config/parse.js';
import { readCredentials } from '../config/secrets.js';
import { serverFlow } from '../mint/modes.js';
import type { MintState } from '../state.js';
import type { MintEnv } from '../types.js';

const kept = new WeakMap<TokenStore, WeakMap<Profile, { credentials: string; flow: TokenFlow }>>();

export function proxyFlow(state: MintState, config: MintConfig, env: MintEnv, profile: Profile): TokenFlow {
  if (profile.entry.vault !== undefined) return serverFlow({ state, config, env, profile });
  let byProfile = kept.get(state.store);
  if (byProfile === undefined) kept.set(state.store, (byProfile = new WeakMap()));
  const credentials = JSON.stringify(readCredentials(env, profile, state.log));
  const known = byProfile.get(profile);
  if (known?.credentials === credentials) return known.flow;
  const flow = serverFlow({ state, config, env, profile });
  byProfile.set(profile, { credentials, flow });
  return flow;
}
