// What isolates and the vault (one Durable Object per profile and grant) say to each other. Requests
// name a profile, never a credential: the object reads secrets from its own env. No reply carries a
// refresh token; `token` carries the access token only.
import * as v from 'valibot';
import type { TokenReply } from '../coordinator/protocol.js';
import type { ProblemCode } from '../http/problem.js';

/** The Durable Object binding (`[[durable_objects.bindings]]` in wrangler.toml), class `TokenVault`. */
export const VAULT_BINDING = 'TOKENMINT_VAULT';
export const VAULT_ORIGIN = 'https://vault.tokenmint.invalid';

/** The object that owns a profile's refresh token: one per (profile, grant). */
export const vaultName = (profile: string, provider: string): string => `${profile}/${provider}`;

/** The problems the vault answers with instead of a token. */
export type VaultProblem = Extract<
  ProblemCode,
  'onboarding_required' | 'reauthorization_required' | 'vault_key_invalid' | 'secret_missing' | 'secret_invalid' | 'config_invalid' | 'config_missing' | 'unknown_profile' | 'onboarding_state_invalid' | 'onboarding_denied' | 'onboarding_code_missing' | 'onboarding_exchange_failed'
>;

export type VaultReply = TokenReply | { ok: false; problem: VaultProblem };

/** What `/status` reports: states and times, never a value. */
export interface VaultStatus {
  profile: string;
  provider: string;
  /** `ready`: a refresh token is held; the others need onboarding (or, for `vault_key_invalid`, the key). */
  state: 'ready' | 'onboarding_required' | 'reauthorization_required' | 'vault_key_invalid' | 'unavailable';
  /** Where the refresh token came from. */
  source?: 'seed' | 'onboarding';
  /** When the held refresh token expires (epoch ms), if the provider said. */
  refreshTokenExpiresAt?: number;
  /** Past 80 % of the refresh token's life. */
  expiresSoon?: boolean;
}

const Profile = { profile: v.pipe(v.string(), v.minLength(1), v.maxLength(64)) };
export const ProfileAsk: v.GenericSchema<unknown, { profile: string }> = v.object(Profile);
export const BeginAsk: v.GenericSchema<unknown, { profile: string; redirectUri: string; emulatorBase?: string | undefined }> = v.object({
  ...Profile,
  redirectUri: v.pipe(v.string(), v.url()),
  emulatorBase: v.optional(v.pipe(v.string(), v.url())),
});
export interface CompleteAsk {
  profile: string;
  state: string;
  code?: string | undefined;
  error?: string | undefined;
}
export const CompleteAsk: v.GenericSchema<unknown, CompleteAsk> = v.object({
  ...Profile,
  state: v.pipe(v.string(), v.maxLength(512)),
  code: v.optional(v.pipe(v.string(), v.maxLength(4096))),
  error: v.optional(v.pipe(v.string(), v.maxLength(256))),
});
