// Profile → flow: which provider flows a profile may name, which of their options come from the
// config (non-secret, validated at start-up) and which credential fields come from which Worker
// secrets. Built from the provider descriptors (src/providers/list.ts): a provider added there is a
// provider here, under its canonical name and any of its other names.
import * as v from 'valibot';
import { clientCredentials, type TokenFlow } from '../../core/index.js';
import { findIn } from '../../providers/descriptor.js';
import { CREDENTIAL_PROVIDERS, normaliseName, type FlowRequest, type ProviderDescriptor } from '../../providers/index.js';
import { CODE_GRANTS } from '../../providers/list.js';
import type { VaultGrant } from '../vault/grants.js';

/** What a registry entry's `create` is handed. */
export interface FlowInput<Options = Record<string, unknown>> {
  /** Credential field → value, read from the secrets the profile names. */
  credentials: Readonly<Record<string, string>>;
  /** The profile's `options`, as the entry's schema output them. */
  options: Options;
  /** The in-isolate emulator's base URL for this provider (`"upstream": "emulator"` only). */
  baseUrl?: string | undefined;
  /** The emulator's fetch (`"upstream": "emulator"`); otherwise the Worker's is used. */
  fetch?: typeof fetch | undefined;
  /** Upstream mode: the granted scope, for flows that can narrow their token. */
  scope?: string | undefined;
  /** Upstream mode: the granted lifetime in seconds, for flows that can ask for one. */
  expiresIn?: number | undefined;
  /** Vault entries: the refresh token the flow starts from (held by the vault, docs/vault.md). */
  refreshToken?: string | undefined;
}

export interface ProviderEntry {
  /** Credential field → default secret name (a profile's `secrets` may rename them). */
  readonly secrets: Readonly<Record<string, string>>;
  /** The profile's `options` (strict: unknown options are config errors). */
  readonly options: v.GenericSchema<unknown, unknown>;
  /** Path prefix of this provider in the emulator (`"upstream": "emulator"`). */
  readonly emulatorPrefix: string;
  /** Has sandbox and production hosts: a profile reaching the provider must name `options.environment`. */
  readonly environments: boolean;
  create(input: FlowInput<unknown>): TokenFlow;
  /** Set when the refresh token lives in the vault (one Durable Object per profile): how to onboard. */
  readonly vault?: VaultGrant;
}

interface EntrySpec<S extends v.GenericSchema> {
  secrets: Readonly<Record<string, string>>;
  options: S;
  emulatorPrefix: string;
  environments: boolean;
  create(input: FlowInput<v.InferOutput<S>>): TokenFlow;
}

function entry<S extends v.GenericSchema>(spec: EntrySpec<S>): ProviderEntry {
  return { ...spec, create: (input) => spec.create(input as FlowInput<v.InferOutput<S>>) };
}

/** Only the fields that are set: exactOptionalPropertyTypes keeps absent options absent. */
export function defined<T extends Record<string, unknown>>(object: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

const Host = v.strictObject({
  environment: v.optional(v.picklist(['sandbox', 'production'], 'must be "sandbox" or "production"')),
  baseUrl: v.optional(v.pipe(v.string(), v.url('must be an absolute URL'))),
});

/** A descriptor's profile options: which host (environment, baseUrl), and the scope and lifetime its flow takes. */
function descriptorOptions(descriptor: ProviderDescriptor): v.GenericSchema<unknown, DescriptorOptions> {
  const entries: v.ObjectEntries = { ...Host.entries };
  if (descriptor.scope !== undefined) entries.scope = descriptor.scope === 'required' ? v.string('is required') : v.optional(v.string());
  if (descriptor.expiresIn) entries.expiresIn = v.optional(v.pipe(v.number(), v.integer('must be an integer'), v.minValue(1, 'must be at least 1')));
  // The entries vary per descriptor; what they output is always a part of DescriptorOptions.
  return v.strictObject(entries) as v.GenericSchema<unknown, DescriptorOptions>;
}

interface DescriptorOptions {
  environment?: 'sandbox' | 'production' | undefined;
  baseUrl?: string | undefined;
  scope?: string | undefined;
  expiresIn?: number | undefined;
}

/** A descriptor's entry: `flow` is its server flow, or its browser-safe client-token flow. */
export function descriptorEntry(descriptor: ProviderDescriptor, flow: (request: FlowRequest) => TokenFlow = descriptor.flow): ProviderEntry {
  return entry({
    secrets: descriptor.credentials,
    options: descriptorOptions(descriptor),
    emulatorPrefix: descriptor.emulatorPrefix,
    environments: true,
    create: ({ credentials, options, baseUrl, fetch }) => flow({ ...options, credentials, baseUrl: baseUrl ?? options.baseUrl, fetch }),
  });
}

/** Any RFC 6749 server, client credentials. */
const OAUTH2: ProviderEntry = entry({
  secrets: { clientId: 'OAUTH2_CLIENT_ID', clientSecret: 'OAUTH2_CLIENT_SECRET' },
  options: v.strictObject({
    tokenUrl: v.optional(v.pipe(v.string(), v.url('must be an absolute URL'))),
    scope: v.optional(v.string()),
    audience: v.optional(v.string()),
    auth: v.optional(v.picklist(['client_secret_basic', 'client_secret_post'], 'must be "client_secret_basic" or "client_secret_post"')),
  }),
  emulatorPrefix: 'oauth2',
  environments: false,
  create: (input) =>
    clientCredentials({
      ...defined({ ...input.options, fetch: input.fetch }),
      tokenUrl: input.baseUrl === undefined ? (input.options.tokenUrl ?? '') : `${input.baseUrl}/token`,
      clientId: input.credentials.clientId ?? '',
      clientSecret: input.credentials.clientSecret ?? '',
    }),
});

/**
 * The entries of these descriptors: each under its canonical name, its client-token flow (browser-safe,
 * the only kind `"mode": "upstream"` takes) under that flow's name; then the generic client credentials.
 * A provider whose flow starts from a code (CyberSource) has none here: the vault part brings its entry
 * (tokenmint/worker/vault), so a Worker without the vault carries none of that code.
 */
export function providerEntries(descriptors: readonly ProviderDescriptor[]): Record<string, ProviderEntry> {
  const entries: Record<string, ProviderEntry> = { oauth2: OAUTH2 };
  for (const descriptor of descriptors) {
    if (descriptor.codeGrant) continue;
    entries[descriptor.name] = descriptorEntry(descriptor);
    if (descriptor.clientToken !== undefined) entries[descriptor.clientToken.name] = descriptorEntry(descriptor, descriptor.clientToken.flow);
  }
  return entries;
}

/** Every provider flow a profile can name without the vault part. */
export const PROVIDERS: Readonly<Record<string, ProviderEntry>> = providerEntries(CREDENTIAL_PROVIDERS);

/**
 * The providers the vault part brings: any RFC 6749 server through a code, and each code-grant provider by
 * the name of its folder in the list (names only: their descriptors would bring their code).
 */
export const VAULT_NAMES: readonly string[] = ['authorizationCode', ...CODE_GRANTS];

/**
 * The provider a profile's `provider` names, and its entry in `entries` (undefined: a vault provider, and
 * the Worker has no vault part): a key of `entries` or VAULT_NAMES, or any name of a provider's descriptor
 * without case or separators (`openbanking`, `pinelabsOnline`).
 */
export function findEntry(name: string, entries: Readonly<Record<string, ProviderEntry>> = PROVIDERS, descriptors: readonly ProviderDescriptor[] = CREDENTIAL_PROVIDERS): [string, ProviderEntry | undefined] | undefined {
  const key = Object.hasOwn(entries, name) ? name : (VAULT_NAMES.find((vault) => normaliseName(vault) === normaliseName(name)) ?? findIn(descriptors, name)?.name);
  return key === undefined ? undefined : [key, entries[key]];
}
