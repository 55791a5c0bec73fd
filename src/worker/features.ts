// The Worker's opt-in parts. The mint itself (`/v1/tokens`, JWKS, the coordinator) is always there; the
// proxy, the vault and Prism's service are each imported from their own entry and handed to
// `createMintWorker`, so a Worker that does not use one does not carry its code (docs/worker.md,
// "What a Worker carries"). A config that needs a part the Worker was built without is refused by name.
import type * as v from 'valibot';
import type { TokenFlow } from '../core/index.js';
import type { Profile } from './config/parse.js';
import type { ProviderEntry } from './config/registry.js';
import type { RawProfile } from './config/schema.js';
import type { PrismServiceConfig } from './prism/config.js';
import type { ProxyPolicy } from './proxy/check.js';
import type { Handler } from './http/context.js';
import type { MintState } from './state.js';
import type { MintEnv } from './types.js';

/** Names a valibot issue's field, from the config's root (config/parse.ts). */
export type Describe = (issue: v.BaseIssue<unknown>) => string;

/** What every part gives the router: the handler of the paths it serves, or undefined. */
interface Routes {
  /** The handler for `pathname`, or undefined when the path is not this part's. */
  route(pathname: string): Handler | undefined;
}

/** The token-mediating proxy, `/v1/proxy/…`: made by `proxy()` from `tokenmint/worker/proxy`. */
export interface ProxyFeature extends Routes {
  readonly part: 'proxy';
  /** A profile's `proxy` section checked against the profile, or undefined after pushing what is wrong. */
  check(at: string, profile: RawProfile, errors: string[], describe: Describe): ProxyPolicy | undefined;
}

/** The refresh-token vault, `/v1/vault/…`: made by `vault()` from `tokenmint/worker/vault`. */
export interface VaultFeature extends Routes {
  readonly part: 'vault';
  /** The providers whose refresh tokens it keeps (CyberSource, authorizationCode), by name. */
  readonly providers: Readonly<Record<string, ProviderEntry>>;
  /** The flow of a vault profile's server token: asks the profile's vault object. */
  flow(state: MintState, env: MintEnv, profile: Profile): TokenFlow;
}

/** Prism's token RPC: made by `prismService()` from `tokenmint/worker/prism`. */
export interface PrismServiceFeature extends Routes {
  readonly part: 'prismService';
  /** TOKENMINT_CONFIG.prismService checked, or undefined after pushing what is wrong. */
  check(input: unknown, devEmulator: boolean, devSwitch: boolean, env: MintEnv, errors: string[], describe: Describe): PrismServiceConfig | undefined;
  /** The coordinator's side: the flow a `prism:…` ask names, undefined for other asks, or why not. */
  askFlow(state: MintState, env: MintEnv, ask: string): TokenFlow | string | undefined;
}

/** The parts a Worker was built with, by option name. */
export interface MintFeatures {
  readonly proxy?: ProxyFeature | undefined;
  readonly vault?: VaultFeature | undefined;
  readonly prismService?: PrismServiceFeature | undefined;
}

/** The import that adds each part, for the error that says it is missing. */
export const FEATURE_IMPORTS: Readonly<Record<keyof MintFeatures, string>> = {
  proxy: "proxy() from 'tokenmint/worker/proxy'",
  vault: "vault() and createTokenVault from 'tokenmint/worker/vault'",
  prismService: "prismService() from 'tokenmint/worker/prism'",
};

/** The config error for `what`, which needs a part the Worker was built without. */
export const missingPart = (part: keyof MintFeatures, what: string): string =>
  `${what}, but this Worker was built without it: pass ${FEATURE_IMPORTS[part]} to createMintWorker (docs/worker.md, "What a Worker carries")`;
