// TOKENMINT_CONFIG → a checked MintConfig, or the list of what is wrong with it. Runs once per isolate
// (config-cache.ts). Messages are for the operator's log: they name fields, profiles, providers and
// binding names, never a value that could be a secret.
import * as v from 'valibot';
import { TokenError } from '../../core/index.js';
import { ConfigSchema, type RawConfig, type RawProfile } from './schema.js';
import { COORDINATOR_BINDING } from '../coordinator/protocol.js';
import { isNamespace } from '../durable-object.js';
import type { ProxyPolicy } from '../proxy/check.js';
import { missingPart, type MintFeatures } from '../features.js';
import type { PrismServiceConfig } from '../prism/config.js';
import { PROVIDERS, VAULT_NAMES, findEntry, type ProviderEntry } from './registry.js';
import type { MintEnv } from '../types.js';
import { VAULT_BINDING } from '../vault/protocol.js';

/** The var that unlocks `devEmulator`: set only in .dev.vars, so a deployed demo config fails closed. */
export const DEV_EMULATOR_SWITCH = 'TOKENMINT_DEV_EMULATOR';

export interface Profile extends RawProfile {
  readonly name: string;
  readonly entry: ProviderEntry;
  /** Credential field → secret name, defaults merged with the profile's `secrets`. */
  readonly secretNames: Readonly<Record<string, string>>;
  /** The provider options after the entry's schema. */
  readonly providerOptions: unknown;
  /** Resolved: `durable-object` only for session profiles, and only with the binding. */
  readonly coordination: 'isolate' | 'durable-object';
  /** The token-mediating proxy; undefined when the profile has none. */
  readonly proxyPolicy: ProxyPolicy | undefined;
}

export interface MintConfig {
  /** Set whenever a profile is in session mode (checked at start-up). */
  readonly issuer: string | undefined;
  readonly sessionKeySecret: string;
  readonly devEmulator: RawConfig['devEmulator'];
  readonly profiles: ReadonlyMap<string, Profile>;
  /** Every profile's allowed origins: preflights are answered for these. */
  readonly origins: ReadonlySet<string>;
  readonly hasSessionProfiles: boolean;
  /** Rate-limit binding names the profiles use (the cache re-checks they stay bound). */
  readonly bindings: readonly string[];
  /** Prism's token RPC, when configured (docs/prism-service.md). */
  readonly prismService: PrismServiceConfig | undefined;
}

export type ConfigResult = { ok: true; config: MintConfig } | { ok: false; code: 'config_missing' | 'config_invalid'; errors: string[] };

/** One issue as `path: what is expected`, without the rejected value. */
export function describeIssue(issue: v.BaseIssue<unknown>, root: string): string {
  const path = [root, v.getDotPath(issue)].filter(Boolean).join('.');
  if (issue.type === 'strict_object' && issue.expected === 'never') return `${path}: unknown field`;
  if (issue.received === 'undefined') return `${path}: is required`;
  // valibot's own messages end in "but received <the input>": only our fixed messages are used as they are.
  if (!issue.message.includes('received')) return `${path}: ${issue.message}`;
  return `${path}: expected ${issue.expected ?? issue.type}`;
}

/** What the Worker is built with, as far as its config is concerned. */
export interface ConfigParts extends MintFeatures {
  /** False for a Worker without the dev emulator (the production entry): `devEmulator` is then refused. */
  devEmulator?: boolean | undefined;
}

/**
 * TOKENMINT_CONFIG checked against the env's bindings and the opt-in `parts` the Worker is built with
 * (a profile with a proxy, a vault profile or `prismService` without its part is an error naming the import).
 */
export function parseConfig(env: MintEnv, parts: ConfigParts = {}): ConfigResult {
  const raw = env.TOKENMINT_CONFIG;
  if (raw === undefined || raw === '') return { ok: false, code: 'config_missing', errors: ['TOKENMINT_CONFIG is not set (a JSON var in wrangler.toml; see docs/worker.md)'] };
  let input: unknown = raw;
  if (typeof raw === 'string') {
    try {
      input = JSON.parse(raw);
    } catch {
      // The parser's message quotes the text around the error: not logged.
      return { ok: false, code: 'config_invalid', errors: ['TOKENMINT_CONFIG is not valid JSON'] };
    }
  }
  const parsed = v.safeParse(ConfigSchema, input);
  if (!parsed.success) return { ok: false, code: 'config_invalid', errors: parsed.issues.map((issue) => describeIssue(issue, 'TOKENMINT_CONFIG')) };
  const errors: string[] = [];
  const config = parsed.output;
  if (config.devEmulator !== undefined && env[DEV_EMULATOR_SWITCH] !== 'on') {
    errors.push(`devEmulator is for development only and needs ${DEV_EMULATOR_SWITCH}=on in .dev.vars (never set it in production; remove devEmulator from a deployed config)`);
  }
  // A production Worker has no emulator to route to: a dev config is an operator error, not a 404.
  if (parts.devEmulator === false && config.devEmulator !== undefined) {
    errors.push('devEmulator needs the development entry (src/worker/dev/main.ts, which `npm start` runs); this Worker has no emulator: remove devEmulator and "upstream": "emulator" from a deployed config');
  }
  const profiles = new Map<string, Profile>();
  for (const [name, profile] of Object.entries(config.profiles)) {
    const checked = checkProfile(name, profile, config, env, parts, errors);
    if (checked !== undefined) profiles.set(name, checked);
  }
  checkSessionIdentity(config, errors);
  let prismService: PrismServiceConfig | undefined;
  if (config.prismService !== undefined) {
    if (parts.prismService === undefined) errors.push(missingPart('prismService', 'TOKENMINT_CONFIG.prismService is set'));
    else prismService = parts.prismService.check(config.prismService, config.devEmulator !== undefined, env[DEV_EMULATOR_SWITCH] === 'on', env, errors, (issue) => describeIssue(issue, 'TOKENMINT_CONFIG.prismService'));
  }
  if (errors.length > 0) return { ok: false, code: 'config_invalid', errors };
  const all = [...profiles.values()];
  return {
    ok: true,
    config: {
      issuer: config.issuer,
      sessionKeySecret: config.sessionKeySecret,
      devEmulator: config.devEmulator,
      profiles,
      origins: new Set(all.flatMap((profile) => profile.allowedOrigins)),
      hasSessionProfiles: all.some((profile) => profile.mode === 'session'),
      bindings: all.flatMap(({ rateLimit }) => [rateLimit.binding, rateLimit.ceiling.binding].filter((name) => name !== undefined)),
      prismService,
    },
  };
}

/**
 * What tells session tokens apart for a verifier: `iss` is fixed by the config (a default taken from the
 * request's Host would be the client's choice), and two profiles share an `aud` only when both say so.
 */
function checkSessionIdentity(config: RawConfig, errors: string[]): void {
  const sessions = Object.entries(config.profiles).filter(([, profile]) => profile.mode === 'session');
  if (sessions.length > 0 && config.issuer === undefined) {
    errors.push(`issuer is required when a profile is in session mode (profile "${sessions[0]![0]}"): the "iss" claim verifiers check, e.g. "https://mint.shop.example"`);
  }
  const byAudience = new Map<string, string[]>();
  for (const [name, profile] of sessions) {
    if (profile.audience !== undefined) byAudience.set(profile.audience, [...(byAudience.get(profile.audience) ?? []), name]);
  }
  for (const names of byAudience.values()) {
    if (names.length < 2 || names.every((name) => config.profiles[name]!.shareAudience === true)) continue;
    errors.push(
      `profiles ${names.map((name) => `"${name}"`).join(' and ')} have the same audience: a verifier checking only "aud" would take either's tokens for the other's. Give each its own audience, or set "shareAudience": true on each of them and check the "profile" claim`,
    );
  }
}

function checkProfile(name: string, raw: RawProfile, config: RawConfig, env: MintEnv, parts: MintFeatures, errors: string[]): Profile | undefined {
  const at = `profile "${name}"`;
  const before = errors.length;
  const found = findEntry(raw.provider, parts.vault === undefined ? PROVIDERS : { ...PROVIDERS, ...parts.vault.providers });
  if (found === undefined) {
    errors.push(`${at}: provider "${raw.provider}" is unknown (known: ${[...Object.keys(PROVIDERS), ...VAULT_NAMES].join(', ')})`);
    return undefined;
  }
  // Another name of a provider (`openbanking`) reads as its canonical one: the vault and logs key on it.
  const [provider, entry] = found;
  if (entry === undefined) {
    errors.push(missingPart('vault', `${at} keeps its refresh token in the vault`));
    return undefined;
  }
  const profile: RawProfile = { ...raw, provider };
  const options = v.safeParse(entry.options, profile.options);
  if (!options.success) errors.push(...options.issues.map((issue) => `${at}: ${describeIssue(issue, 'options')}`));
  for (const field of Object.keys(profile.secrets)) {
    if (!Object.hasOwn(entry.secrets, field)) errors.push(`${at}: secrets.${field}: provider "${profile.provider}" has no credential "${field}" (it has: ${Object.keys(entry.secrets).join(', ') || 'none'})`);
  }
  const emulated = profile.upstream === 'emulator';
  // The providers' factories default to the sandbox; a Worker reaching the provider must say which it means.
  if (entry.environments && !emulated && profile.options.environment === undefined) {
    errors.push(`${at}: options.environment is required for provider "${profile.provider}" ("sandbox" or "production"; it has both and nothing here guesses)`);
  }
  if (emulated && config.devEmulator === undefined) errors.push(`${at}: "upstream": "emulator" needs devEmulator (development only)`);
  if (emulated && (Object.hasOwn(profile.options, 'baseUrl') || Object.hasOwn(profile.options, 'tokenUrl'))) {
    errors.push(`${at}: options.baseUrl/tokenUrl conflict with "upstream": "emulator" (the emulator's URL is used)`);
  }
  const unknownDefault = profile.defaultScope.split(' ').filter((scope) => !profile.scopes.includes(scope));
  if (unknownDefault.length > 0) errors.push(`${at}: defaultScope must be space-separated values from scopes (${unknownDefault.length} are not)`);
  if (profile.mode === 'session' && profile.audience === undefined) errors.push(`${at}: audience is required in session mode (the "aud" claim verifiers check)`);
  if (profile.mode === 'upstream' && profile.audience !== undefined) errors.push(`${at}: audience applies to session mode only (upstream tokens carry the provider's own)`);
  if (profile.mode === 'upstream' && profile.shareAudience !== undefined) errors.push(`${at}: shareAudience applies to session mode only`);
  if (profile.coordination === 'durable-object' && profile.mode === 'upstream') {
    errors.push(`${at}: coordination applies to session mode only (upstream mode mints a fresh token per request; there is no server token to share)`);
  } else if (profile.coordination === 'durable-object' && !isNamespace(env[COORDINATOR_BINDING])) {
    errors.push(`${at}: coordination "durable-object" needs the Durable Object binding ${COORDINATOR_BINDING} (add [[durable_objects.bindings]] name = "${COORDINATOR_BINDING}", class_name = "TokenCoordinator" and its migration to wrangler.toml; see docs/scaling.md), or set "isolate"`);
  }
  let proxyPolicy: ProxyPolicy | undefined;
  if (profile.proxy !== undefined) {
    if (parts.proxy === undefined) errors.push(missingPart('proxy', `${at} has a proxy`));
    else proxyPolicy = parts.proxy.check(at, profile, errors, (issue) => describeIssue(issue, `TOKENMINT_CONFIG.profiles.${name}.proxy`));
  }
  // (A Worker without the vault part has no entry for a vault provider: refused above.)
  if (entry.vault !== undefined && profile.mode === 'session' && !isNamespace(env[VAULT_BINDING])) {
    errors.push(`${at}: provider "${profile.provider}" keeps its refresh token in the vault, which needs the Durable Object binding ${VAULT_BINDING} (add [[durable_objects.bindings]] name = "${VAULT_BINDING}", class_name = "TokenVault" and its migration to wrangler.toml; see docs/vault.md)`);
  }
  const { rateLimit } = profile;
  for (const [field, binding] of [['rateLimit.binding', rateLimit.binding], ['rateLimit.ceiling.binding', rateLimit.ceiling.binding]] as const) {
    if (binding !== undefined && typeof (env[binding] as { limit?: unknown } | undefined)?.limit !== 'function') {
      errors.push(`${at}: ${field} "${binding}" is not bound (add [[ratelimits]] name = "${binding}" to wrangler.toml, or remove it)`);
    }
  }
  for (const field of ['burst', 'perMinute'] as const) {
    if (rateLimit[field] > rateLimit.ceiling[field]) errors.push(`${at}: rateLimit.${field} (${rateLimit[field]}) is above rateLimit.ceiling.${field} (${rateLimit.ceiling[field]}): one client could use the whole profile`);
  }
  if (errors.length > before || !options.success) return undefined;
  // A dry run with placeholder credentials: the factory checks its options without any request, and
  // the flow says whether its tokens may reach a browser.
  const secretNames = { ...entry.secrets, ...profile.secrets };
  const placeholders = Object.fromEntries(Object.keys(secretNames).map((field) => [field, 'placeholder-for-config-check']));
  try {
    const flow = entry.create({
      credentials: placeholders,
      options: options.output,
      ...(entry.vault === undefined ? {} : { refreshToken: 'placeholder-for-config-check' }),
      ...(emulated ? { baseUrl: `https://emulator.invalid/${entry.emulatorPrefix}` } : {}),
      ...(profile.mode === 'upstream' ? { scope: profile.defaultScope, expiresIn: profile.maxExpiresIn } : {}),
    });
    if (profile.mode === 'upstream' && !flow.browserSafe) {
      errors.push(`${at}: mode "upstream" hands the provider's token to the browser, but provider "${profile.provider}" is server-only (browserSafe: false); use mode "session"`);
      return undefined;
    }
  } catch (error) {
    errors.push(`${at}: ${error instanceof TokenError ? error.message : `provider "${profile.provider}" refused its options`}`);
    return undefined;
  }
  const coordination = profile.mode === 'session' ? (profile.coordination ?? (isNamespace(env[COORDINATOR_BINDING]) ? 'durable-object' : 'isolate')) : 'isolate';
  return { ...profile, name, entry, secretNames, providerOptions: options.output, coordination, proxyPolicy };
}
