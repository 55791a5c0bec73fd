import { createTokenStore, systemClock, TokenError, type AccessToken, type Clock, type TokenFlow, type TokenStore } from '../core/index.js';
import { checkKeys, configError as optionError, redact } from '../core/kit.js';
import type { Environment } from '../providers/index.js';
import { API_KEY_CONNECTORS, TOKEN_CONNECTORS, type TokenConnector } from './connectors.js';
import { normaliseConnector, readCredentials, secretValues, type PrismCredentials, type SecretString } from './credentials.js';
import { statusOf, type OperationStatus } from './status.js';

export type PrismEnvironment = 'SANDBOX' | 'PRODUCTION';

/** Where tokens are kept and how requests go out; shared by both config shapes. */
export interface PrismRuntimeOptions {
  /** Default `'SANDBOX'`. */
  environment?: PrismEnvironment | undefined;
  /** Cache and refresh tokens here (e.g. one store for the whole app). Default: a store of this client's own. */
  store?: TokenStore | undefined;
  fetch?: typeof fetch | undefined;
  /** Clock for the default store and for `expiresIn`. Default: the platform's. */
  clock?: Clock | undefined;
}

/** The seed SDK's shape: one connector, an API key or credentials. */
export interface SeedClientConfig extends PrismRuntimeOptions {
  connector: string;
  apiKey?: string | SecretString | undefined;
  credentials?: PrismCredentials | undefined;
  /** Replaces the provider host (e.g. the emulator's `<origin>/<prefix>`). */
  baseUrl?: string | undefined;
}

/** The current SDK's shape: `{ connectorConfig: { paypal: { clientId, clientSecret, baseUrl? } }, options }`. */
export interface CurrentClientConfig {
  connectorConfig: Readonly<Record<string, PrismCredentials>>;
  options?: PrismRuntimeOptions | undefined;
}

export interface CreateAccessTokenRequest {
  scope?: string;
  /** Requested lifetime in seconds, for connectors that take one. Default 3600 (as the seed SDK). */
  expiresIn?: number;
}

export interface AccessTokenResponse {
  accessToken: string;
  tokenType: string;
  /** Seconds left (whole, rounded down). */
  expiresIn: number;
  /** ISO 8601. */
  expiresAt: string;
  statusCode: number;
}

export interface ServerAuthenticationTokenRequest {
  /** Echoed back, to match answers to your records. */
  merchantAccessTokenId?: string;
  /** true: sandbox hosts, false: production hosts. Default: the client's environment. */
  testMode?: boolean;
  scope?: string;
}

export interface ClientAuthenticationTokenRequest {
  /** Echoed back, to match answers to your records. */
  merchantAccessTokenId?: string;
  /** true: sandbox hosts, false: production hosts. Default: the client's environment. */
  testMode?: boolean;
  /** Vaulting (PayPal): the customer whose saved payment methods the page may show. Default: `customerId` in the connector config, if any. */
  customerId?: string;
}

export type ServerAuthenticationTokenResponse =
  | { status: 'SUCCESS'; statusCode: number; accessToken: string; tokenType: string; expiresInSeconds: number; merchantAccessTokenId?: string }
  | {
      status: Exclude<OperationStatus, 'SUCCESS'>;
      statusCode: number;
      merchantAccessTokenId?: string;
      /** `code` is a stable `TokenError` code; `message` never holds a secret or a token. */
      error: { code: string; message: string; retryable: boolean; retryAfter?: number };
    };

/** The same in-band shape as the server token's; `tokenType` is the connector's (PayPal: `'ClientToken'`). */
export type ClientAuthenticationTokenResponse = ServerAuthenticationTokenResponse;

const SEED_DEFAULT_EXPIRES_IN = 3600;

/**
 * Drop-in for Prism's `MerchantAuthenticationClient` on fetch only (the official SDK is Node-only):
 * takes the seed shape (`{ connector, apiKey | credentials, environment }`) or the current one
 * (`{ connectorConfig, options }`), and — unlike Prism — caches and refreshes tokens in a `TokenStore`.
 * Configuration errors (unknown connector, bad credentials) throw a `config` `TokenError` at once.
 * @see docs/providers.md#hyperswitch-prism
 * @example
 * const client = new MerchantAuthenticationClient({ connectorConfig: { cybersource: { clientId, clientSecret, refreshToken } } });
 * const { status, accessToken } = await client.createServerAuthenticationToken({ merchantAccessTokenId: 'mat_1' });
 */
export class MerchantAuthenticationClient implements Disposable {
  /** The normalised connector name. */
  readonly connector: string;
  readonly #connector: TokenConnector | undefined;
  readonly #credentials: Record<string, unknown>;
  readonly #secrets: string[];
  readonly #environment: Environment;
  readonly #baseUrl: string | undefined;
  readonly #fetch: typeof fetch | undefined;
  readonly #clock: Clock;
  readonly #store: TokenStore;
  readonly #ownsStore: boolean;
  readonly #flows = new Map<string, TokenFlow>();

  constructor(config: SeedClientConfig | CurrentClientConfig) {
    if (typeof config !== 'object' || config === null) throw configError('config', 'must be an object');
    const current = 'connectorConfig' in config;
    const runtime: PrismRuntimeOptions = current ? (config.options ?? {}) : config;
    const RUNTIME = 'environment store fetch clock';
    checkKeys('prism', config, current ? 'connectorConfig options' : `connector apiKey credentials baseUrl ${RUNTIME}`);
    if (current) checkKeys('prism', runtime, RUNTIME, 'options.');
    let name: string;
    let raw: unknown;
    if (current) {
      const entries = Object.entries(config.connectorConfig ?? {});
      if (entries.length !== 1) throw configError('connectorConfig', 'must name exactly one connector');
      [name, raw] = entries[0]!;
    } else {
      if (typeof config.connector !== 'string' || config.connector === '') throw configError('connector', 'is required');
      name = config.connector;
      raw = { ...(config.apiKey === undefined ? {} : { apiKey: config.apiKey }), ...config.credentials };
    }
    this.connector = normaliseConnector(name);
    this.#credentials = readCredentials(raw, current ? `connectorConfig.${this.connector}` : 'credentials');
    this.#secrets = secretValues(this.#credentials);
    this.#connector = TOKEN_CONNECTORS[this.connector];
    if (this.#connector === undefined && !API_KEY_CONNECTORS.includes(this.connector)) {
      const shown = /^[a-z0-9]{1,40}$/.test(this.connector) ? `"${this.connector}"` : 'the given connector';
      throw configError('connector', `${shown} is not supported (connectors with an access token: ${Object.keys(TOKEN_CONNECTORS).join(', ')})`);
    }
    this.#environment = readEnvironment(runtime.environment);
    const baseUrl = current ? this.#credentials.baseUrl : (config as SeedClientConfig).baseUrl;
    if (baseUrl !== undefined && typeof baseUrl !== 'string') throw configError('baseUrl', 'must be a string');
    this.#baseUrl = baseUrl;
    this.#fetch = runtime.fetch;
    this.#clock = runtime.clock ?? systemClock;
    this.#ownsStore = runtime.store === undefined;
    this.#store = runtime.store ?? createTokenStore({ clock: this.#clock });
    // Check the credentials now, unless the scope is to come with each request.
    if (this.#connector !== undefined && !(this.#connector.takesScope && this.#credentials.scope === undefined)) {
      this.#flow(this.#environment, undefined, undefined);
    }
  }

  /** The seed SDK's call. Throws a `TokenError` on failure. */
  async createAccessToken(request: CreateAccessTokenRequest = {}): Promise<AccessTokenResponse> {
    const expiresIn = request.expiresIn ?? SEED_DEFAULT_EXPIRES_IN;
    const token = await this.#token(this.#environment, request.scope, expiresIn);
    const left = this.#secondsLeft(token);
    return { accessToken: token.accessToken, tokenType: token.tokenType, expiresIn: left, expiresAt: new Date(token.expiresAt).toISOString(), statusCode: 200 };
  }

  /** The current SDK's call. Never throws: failures come back in-band with an OperationStatus. */
  createServerAuthenticationToken(request: ServerAuthenticationTokenRequest = {}): Promise<ServerAuthenticationTokenResponse> {
    return this.#inBand(request.merchantAccessTokenId, () => this.#token(this.#requestEnvironment(request.testMode), request.scope, undefined));
  }

  /**
   * A browser-safe client token (PayPal: for the JS SDK's `data-client-token`), cached and refreshed in the
   * store apart from the server token. Never throws; a connector without a client token answers
   * `INVALID_REQUEST` — its server token is never handed out in its place.
   * @example
   * const answer = await client.createClientAuthenticationToken({ merchantAccessTokenId: 'mat_1' });
   * if (answer.status === 'SUCCESS') page.clientToken = answer.accessToken; // tokenType 'ClientToken'
   */
  createClientAuthenticationToken(request: ClientAuthenticationTokenRequest = {}): Promise<ClientAuthenticationTokenResponse> {
    return this.#inBand(request.merchantAccessTokenId, () => {
      const customerId = request.customerId ?? this.#credentials.customerId;
      return this.#store.source(this.#clientFlow(this.#requestEnvironment(request.testMode), customerId as string | undefined)).get();
    });
  }

  /** Runs `get` and answers in Prism's in-band shape: failures become an OperationStatus, never a throw or a secret. */
  async #inBand(merchantAccessTokenId: string | undefined, get: () => Promise<AccessToken>): Promise<ServerAuthenticationTokenResponse> {
    const echo = merchantAccessTokenId === undefined ? {} : { merchantAccessTokenId };
    try {
      const token = await get();
      return { status: 'SUCCESS', statusCode: 200, accessToken: token.accessToken, tokenType: token.tokenType, expiresInSeconds: this.#secondsLeft(token), ...echo };
    } catch (error) {
      const [status, statusCode] = statusOf(error);
      const known = error instanceof TokenError;
      const message = known ? redact(error.message, this.#secrets) : `prism: unexpected failure (${error instanceof Error ? error.name : typeof error})`;
      return {
        status: status === 'SUCCESS' ? 'FAILURE' : status,
        statusCode,
        ...echo,
        error: { code: known ? error.code : 'upstream_error', message, retryable: known && error.retryable, ...(known && error.retryAfter !== undefined ? { retryAfter: error.retryAfter } : {}) },
      };
    }
  }

  /** Disposes the token store, if this client created it. */
  dispose(): void {
    if (this.#ownsStore) this.#store.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  #token(environment: Environment, scope: string | undefined, expiresIn: number | undefined): Promise<AccessToken> {
    try {
      return this.#store.source(this.#flow(environment, scope, expiresIn)).get();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #requestEnvironment(testMode: boolean | undefined): Environment {
    return testMode === undefined ? this.#environment : testMode ? 'sandbox' : 'production';
  }

  /** The client-token flow for these parameters, built once (PayPal's holds the server token that authorises it). */
  #clientFlow(environment: Environment, customerId: string | undefined): TokenFlow {
    const connector = this.#connector;
    if (connector?.clientToken === undefined) {
      const withOne = Object.keys(TOKEN_CONNECTORS).filter((name) => TOKEN_CONNECTORS[name]!.clientToken !== undefined);
      const message = `prism: ${this.connector} has no client token (connectors with one: ${withOne.join(', ')}); its server credentials stay on the server`;
      throw new TokenError('config', message, { provider: 'prism' });
    }
    const key = JSON.stringify(['client', environment, customerId ?? null]);
    let flow = this.#flows.get(key);
    if (flow === undefined) {
      flow = connector.clientToken({ credentials: this.#credentials, environment, baseUrl: this.#baseUrl, fetch: this.#fetch, customerId });
      if (!flow.browserSafe) throw new TokenError('config', `prism: ${this.connector}'s client-token flow is not browser-safe`, { provider: 'prism' });
      this.#flows.set(key, flow);
    }
    return flow;
  }

  /** The flow for these request parameters, built once (a cybersource flow holds its refresh token). */
  #flow(environment: Environment, scope: string | undefined, expiresIn: number | undefined): TokenFlow {
    const connector = this.#connector;
    if (connector === undefined) {
      const message = `prism: ${this.connector} authenticates with an API key and has no access token; call its API with the key itself`;
      throw new TokenError('config', message, { provider: 'prism' });
    }
    if (scope !== undefined && !connector.takesScope) throw new TokenError('invalid_scope', `prism: ${this.connector} takes no scope`, { provider: this.connector });
    if (expiresIn !== undefined && (!Number.isInteger(expiresIn) || expiresIn < 1)) throw configError('expiresIn', 'must be a positive integer (seconds)');
    const lifetime = connector.takesExpiresIn ? expiresIn : undefined;
    const key = JSON.stringify(['server', environment, scope ?? null, lifetime ?? null]);
    let flow = this.#flows.get(key);
    if (flow === undefined) {
      flow = connector.flow({ credentials: this.#credentials, environment, baseUrl: this.#baseUrl, fetch: this.#fetch, scope, expiresIn: lifetime });
      this.#flows.set(key, flow);
    }
    return flow;
  }

  #secondsLeft(token: AccessToken): number {
    return Math.max(0, Math.floor((token.expiresAt - this.#clock.now()) / 1000));
  }
}

const configError = (field: string, problem: string): TokenError => optionError('prism', field, problem);

function readEnvironment(value: unknown): Environment {
  if (value === undefined) return 'sandbox';
  if (typeof value === 'string' && /^(sandbox|production)$/i.test(value)) return value.toLowerCase() as Environment;
  throw configError('environment', 'must be "SANDBOX" or "PRODUCTION"');
}
