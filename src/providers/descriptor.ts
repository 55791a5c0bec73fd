// A provider described once, beside its flow: its names, hosts, credentials, flows and what a request
// may pass it. Prism's connectors, the Worker's registry and the test tables are built from the
// descriptors of the folders list.ts names (all.ts); the emulators are listed apart, keyed by
// `emulatorPrefix` (src/emulator/providers.ts), so that nothing built from the descriptors pulls an
// emulator in. docs/providers.md#adding-a-provider.
import type { TokenFlow } from '../core/index.js';
import type { Environment, ProviderOptions } from './options.js';

/** What a descriptor builds a flow from: a Prism config, a Worker profile, a test row. */
export interface FlowRequest {
  /** Credential and configuration values by option name; names the provider does not read are ignored. */
  credentials: Readonly<Record<string, unknown>>;
  environment?: Environment | undefined;
  baseUrl?: string | undefined;
  fetch?: typeof fetch | undefined;
  /** Reaches the flow only when the provider takes one (its descriptor's `scope`). */
  scope?: string | undefined;
  /** Seconds; reaches the flow only when the provider takes one (its descriptor's `expiresIn`). */
  expiresIn?: number | undefined;
}

/** What a browser-safe client-token flow is built from. */
export interface ClientTokenFlowRequest extends FlowRequest {
  /** The customer whose saved payment methods the page may show (vaulting). */
  customerId?: string | undefined;
}

export interface ProviderDescriptor {
  /** The canonical name: the factory's in tokenmint/providers and a Worker profile's `provider`. */
  readonly name: string;
  /** Prism's spelling of the connector, where it is not `name` (Prism lists the connector under it). */
  readonly prism?: string | undefined;
  /** Its number in Prism's `Connector` enum (the gRPC wire), where Prism has the connector. */
  readonly prismNumber?: number | undefined;
  /** The path prefix of its emulator (`/openbanking/…`), also the provider its errors name. */
  readonly emulatorPrefix: string;
  /** Further names it answers to. `name`, `prism` and `emulatorPrefix` are always accepted. */
  readonly aliases: readonly string[];
  /** The documented hosts (scheme and host), per environment. */
  readonly hosts: Readonly<Record<Environment, string>>;
  /** Credential option → the Worker secret holding it by default. Prism's config uses the option names. */
  readonly credentials: Readonly<Record<string, string>>;
  /** The credentials that name rather than prove (see `ProviderSpec.identifiers`); every other one is a secret. */
  readonly identifiers: readonly string[];
  /** Every option its flows read from a request's credentials: the credentials, a code or hook Prism's config may carry, `scope`, `expiresIn`. */
  readonly fields: readonly string[];
  /** Does a requested scope reach the provider (`required`: its flow needs one)? Absent: a scope is refused, never ignored. */
  readonly scope?: 'optional' | 'required' | undefined;
  /** Does a requested lifetime (`expiresIn`, seconds) reach the provider? If not, it is a hint and ignored. */
  readonly expiresIn: boolean;
  /** Its flow starts from an authorization code and lives on refresh tokens (the mint Worker's vault keeps them): how a merchant grants access. */
  readonly codeGrant?: CodeGrant | undefined;
  /** Its server-side token flow. The factory checks the values (a missing credential is a `config` error naming it). */
  flow(request: FlowRequest): TokenFlow;
  /** Its browser-safe client-token flow, if it has one, under its own name (a factory and a Worker provider). */
  readonly clientToken?: { readonly name: string; flow(request: ClientTokenFlowRequest): TokenFlow } | undefined;
}

/**
 * How a merchant grants access to a provider whose flow starts from an authorization code: the mint
 * Worker's vault sends the merchant to `authorizeUrls`, takes the code on its callback, exchanges it
 * through the descriptor's flow (given `code`) and refreshes through it (given `refreshToken`).
 */
export interface CodeGrant {
  /** The provider's page where a merchant grants access, per environment. */
  readonly authorizeUrls: Readonly<Record<Environment, string>>;
  /** The authorize request's query, in the provider's own parameter names. */
  authorizeQuery(request: { clientId: string; redirectUri: string; state: string }): Readonly<Record<string, string>>;
  /** Does the authorize page take a PKCE challenge (RFC 7636)? Then `code_challenge` and `code_challenge_method` are added. */
  readonly pkce: boolean;
  /** The Worker secret that may seed the first refresh token, by default. */
  readonly seedSecret: string;
}

/** The descriptor's own statements; `defineProvider` derives the rest from the factory. */
export interface ProviderSpec<O extends ProviderOptions> {
  name: string;
  prism?: string;
  prismNumber?: number;
  emulatorPrefix: string;
  aliases?: readonly string[];
  hosts: Readonly<Record<Environment, string>>;
  /** Typed against the factory's options: a misspelt credential does not compile. */
  credentials: { readonly [K in keyof O & string]?: string };
  /**
   * The credentials that name rather than prove: a client id, a user name, a project id, a public API
   * key. They may appear in flow keys, events and logs; every other credential is a secret that never does.
   */
  identifiers?: readonly (keyof O & string)[];
  /** Options Prism's config may carry besides the credentials (a code, a hook). */
  configFields?: readonly (keyof O & string)[];
  scope?: 'scope' extends keyof O ? 'optional' | 'required' : never;
  expiresIn?: 'expiresIn' extends keyof O ? true : never;
  /** Set when its flow starts from an authorization code; the flow then takes `code` and `refreshToken` (`configFields`). */
  codeGrant?: 'code' extends keyof O ? ('refreshToken' extends keyof O ? CodeGrant : never) : never;
  clientToken?: { name: string; factory: (options: O & { customerId?: string | undefined }) => TokenFlow };
}

/** Names compare without case or separators: `PINELABS_ONLINE`, `pinelabs-online`, `pinelabsOnline`. */
export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[\s_-]/g, '');
}

/** The descriptor of `descriptors` answering to `name` (any of its names, without case or separators), if any. */
export function findIn(descriptors: readonly ProviderDescriptor[], name: string): ProviderDescriptor | undefined {
  const wanted = normaliseName(name);
  return descriptors.find((descriptor) => namesOf(descriptor).includes(wanted));
}

/** Every name a descriptor answers to, normalised. */
export function namesOf(descriptor: ProviderDescriptor): string[] {
  const names = [descriptor.name, descriptor.prism, descriptor.emulatorPrefix, ...descriptor.aliases];
  return [...new Set(names.filter((name) => name !== undefined).map(normaliseName))];
}

/**
 * A factory's options for one request: the named `fields` copied from its credentials, then the
 * environment, base URL and fetch, and the requested scope and lifetime into the options `takes` names.
 */
export function optionsFor(fields: readonly string[], request: FlowRequest, takes: { scope?: string | undefined; expiresIn?: string | undefined } = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) if (request.credentials[field] !== undefined) out[field] = request.credentials[field];
  if (request.environment !== undefined) out.environment = request.environment;
  if (request.baseUrl !== undefined) out.baseUrl = request.baseUrl;
  if (request.fetch !== undefined) out.fetch = request.fetch;
  if (takes.scope !== undefined && request.scope !== undefined) out[takes.scope] = request.scope;
  if (takes.expiresIn !== undefined && request.expiresIn !== undefined) out[takes.expiresIn] = request.expiresIn;
  return out;
}

/**
 * Declares a provider from its factory. The request's credentials are copied by option name (only the
 * descriptor's credentials and config fields), then the environment, base URL, fetch and, where the
 * provider takes them, the requested scope and lifetime.
 * @example
 * export const PAYPAL_PROVIDER = defineProvider(paypal, { name: 'paypal', emulatorPrefix: 'paypal', hosts: PAYPAL_HOSTS, credentials: { clientId: 'PAYPAL_CLIENT_ID', clientSecret: 'PAYPAL_CLIENT_SECRET' } });
 */
export function defineProvider<O extends ProviderOptions>(
  factory: (options: O) => TokenFlow,
  spec: ProviderSpec<O>,
): ProviderDescriptor {
  const { configFields = [], clientToken: client, scope, expiresIn } = spec;
  const takes = { scope: scope && 'scope', expiresIn: expiresIn && 'expiresIn' };
  const fields = [...Object.keys(spec.credentials), ...configFields, ...Object.values(takes).filter((field) => field !== undefined)];
  // The one place loose values meet a typed factory: the factory checks each of them.
  const options = (request: ClientTokenFlowRequest): O & { customerId?: string } => ({ ...optionsFor(fields, request, takes), ...(request.customerId && { customerId: request.customerId }) }) as O;
  return {
    ...spec,
    credentials: spec.credentials as Readonly<Record<string, string>>,
    identifiers: spec.identifiers ?? [],
    aliases: spec.aliases ?? [],
    fields,
    expiresIn: expiresIn === true,
    flow: (request) => factory(options(request)),
    clientToken: client && { name: client.name, flow: (request) => client.factory(options(request)) },
  };
}
