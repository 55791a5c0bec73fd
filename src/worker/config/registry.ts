// Profile → flow: which provider flows a profile may name, which of their options come from the
// config (non-secret, validated at start-up) and which credential fields come from which Worker
// secrets. Adding a provider is one entry here.
import * as v from 'valibot';
import { clientCredentials, type TokenFlow } from '../../core/index.js';
import {
  airwallex,
  getnet,
  globalpay,
  iatapay,
  jpmorgan,
  kitegateway,
  openBankingPlatform,
  paypal,
  paypalClientToken,
  pinelabs,
  truelayer,
  trustpay,
  volt,
  type ProviderOptions,
} from '../../providers/index.js';
import type { VaultGrant } from '../vault/grants.js';
import { VAULT_PROVIDERS } from '../vault/providers.js';

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
function defined<T extends Record<string, unknown>>(object: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

const Host = v.strictObject({
  environment: v.optional(v.picklist(['sandbox', 'production'], 'must be "sandbox" or "production"')),
  baseUrl: v.optional(v.pipe(v.string(), v.url('must be an absolute URL'))),
});

/** The common case: a provider factory taking `environment`, `baseUrl`, `fetch` and its credentials. */
function provider<O extends ProviderOptions>(factory: (options: O) => TokenFlow, secrets: Readonly<Record<string, string>>, emulatorPrefix: string): ProviderEntry {
  return entry({
    secrets,
    options: Host,
    emulatorPrefix,
    environments: true,
    create: (input) => factory({ ...defined({ ...input.options, baseUrl: input.baseUrl ?? input.options.baseUrl, fetch: input.fetch }), ...input.credentials } as unknown as O),
  });
}

const clientSecrets = (prefix: string): Readonly<Record<string, string>> => ({ clientId: `${prefix}_CLIENT_ID`, clientSecret: `${prefix}_CLIENT_SECRET` });

/** Every provider flow a profile can name. Only `paypalClientToken` is browser-safe (`"mode": "upstream"`). */
export const PROVIDERS: Readonly<Record<string, ProviderEntry>> = {
  /** Any RFC 6749 server, client credentials. */
  oauth2: entry({
    secrets: clientSecrets('OAUTH2'),
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
  }),
  kitegateway: entry({
    secrets: { apiKey: 'KITEGATEWAY_API_KEY', secretKey: 'KITEGATEWAY_SECRET_KEY' },
    options: v.strictObject({ ...Host.entries, expiresIn: v.optional(v.pipe(v.number(), v.integer('must be an integer'), v.minValue(1, 'must be at least 1'))) }),
    emulatorPrefix: 'kitegateway',
    environments: true,
    create: (input) =>
      kitegateway({
        ...defined({ ...input.options, baseUrl: input.baseUrl ?? input.options.baseUrl, fetch: input.fetch }),
        apiKey: input.credentials.apiKey ?? '',
        secretKey: input.credentials.secretKey ?? '',
      }),
  }),
  openBankingPlatform: entry({
    secrets: clientSecrets('OPEN_BANKING'),
    options: v.strictObject({ ...Host.entries, scope: v.string('is required: API scopes plus one PSU context') }),
    emulatorPrefix: 'openbanking',
    environments: true,
    create: (input) =>
      openBankingPlatform({
        ...defined({ ...input.options, baseUrl: input.baseUrl ?? input.options.baseUrl, fetch: input.fetch }),
        clientId: input.credentials.clientId ?? '',
        clientSecret: input.credentials.clientSecret ?? '',
      }),
  }),
  paypal: provider(paypal, clientSecrets('PAYPAL'), 'paypal'),
  /** Browser-safe: the JS SDK's `data-client-token`; the server token it needs stays inside the flow. */
  paypalClientToken: provider(paypalClientToken, clientSecrets('PAYPAL'), 'paypal'),
  airwallex: provider(airwallex, { clientId: 'AIRWALLEX_CLIENT_ID', apiKey: 'AIRWALLEX_API_KEY' }, 'airwallex'),
  volt: provider(volt, { ...clientSecrets('VOLT'), username: 'VOLT_USERNAME', password: 'VOLT_PASSWORD' }, 'volt'),
  trustpay: provider(trustpay, { projectId: 'TRUSTPAY_PROJECT_ID', secretKey: 'TRUSTPAY_SECRET_KEY' }, 'trustpay'),
  globalpay: provider(globalpay, { appId: 'GLOBALPAY_APP_ID', appKey: 'GLOBALPAY_APP_KEY' }, 'globalpay'),
  iatapay: provider(iatapay, clientSecrets('IATAPAY'), 'iatapay'),
  jpmorgan: provider(jpmorgan, clientSecrets('JPMORGAN'), 'jpmorgan'),
  truelayer: provider(truelayer, clientSecrets('TRUELAYER'), 'truelayer'),
  getnet: provider(getnet, { apiKey: 'GETNET_API_KEY', apiSecret: 'GETNET_API_SECRET' }, 'getnet'),
  pinelabs: provider(pinelabs, clientSecrets('PINELABS'), 'pinelabs'),
  /** cybersource, authorizationCode: refresh tokens held by the vault (docs/vault.md). */
  ...VAULT_PROVIDERS,
};
