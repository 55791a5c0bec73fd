// createPrismService: Prism's MerchantAuthenticationService token RPC as one fetch handler, answered
// by the facade (MerchantAuthenticationClient) over one TokenStore, so statuses, in-band errors and
// redaction are the facade's own. This file decides who may call, which credentials answer, and
// which connector is meant; protocols.ts and messages.ts speak the wire.
import { TokenError, createTokenStore, systemClock, type Clock, type TokenFlow, type TokenSource, type TokenStore } from '../../core/index.js';
import { bearerCredential, configError, redact, sameDigest, sha256Hex } from '../../core/kit.js';
import { MerchantAuthenticationClient, type ServerAuthenticationTokenResponse } from '../client.js';
import { API_KEY_CONNECTORS, TOKEN_CONNECTORS } from '../connectors.js';
import { normaliseConnector, readCredentials, secretValues } from '../credentials.js';
import type { TokenRequestMessage, TokenResponseMessage } from './messages.js';
import { RpcError, isJsonRequest, readRequest, renderError, renderResponse, rpcProtocol, type Protocol } from './protocols.js';

/** The HTTP JSON route of Prism's server. */
export const PRISM_HTTP_PATH: string = '/payments/server_authentication_token';
/** The RPC paths: the current service and method, and the seed's. */
export const PRISM_RPC_PATHS: readonly string[] = ['/types.MerchantAuthenticationService/CreateServerAuthenticationToken', '/ucs.v2.MerchantAuthenticationService/CreateAccessToken'];
/** Every path the service answers. */
export const PRISM_PATHS: ReadonlySet<string> = new Set([PRISM_HTTP_PATH, ...PRISM_RPC_PATHS]);

/** The request header that picks a profile when its name is not the connector's. */
export const PROFILE_HEADER: string = 'x-tokenmint-profile';

/** The request is tiny; anything near this is not the message. */
export const MAX_BODY_BYTES: number = 16 * 1024;
/** One header's value, and all of them together (names and values). */
export const MAX_HEADER_BYTES: number = 8 * 1024;
export const MAX_HEADERS_BYTES: number = 32 * 1024;

export type PrismServiceEnvironment = 'sandbox' | 'production';

/** One credential set, by name: the default way, and the only one on a service reachable from the internet. */
export interface PrismServiceProfile {
  /** A Prism connector name (`paypal`, `PINELABS_ONLINE`, `kitegateway`). Default: the profile's name. */
  connector?: string | undefined;
  /** The connector's credentials as Prism names them (`client_id` or `clientId`, plain or `{ value }`). */
  credentials: Readonly<Record<string, unknown>>;
  /** The hosts used when a request has no `test_mode`. Required: nothing falls back to a sandbox. */
  environment: PrismServiceEnvironment;
  /** Replaces the provider host (e.g. an emulator's `<origin>/<prefix>`). */
  baseUrl?: string | undefined;
  /** The fetch this profile's provider calls use. Default: the service's. */
  fetch?: typeof fetch | undefined;
}

/** Taking credentials from `x-connector` / `x-connector-config`, as Prism's own server does. */
export interface HeaderCredentialsOptions {
  /** The hosts used when a request has no `test_mode`. */
  environment: PrismServiceEnvironment;
  /** Where a connector's token endpoint is (an emulator, in tests). Default: the provider's own host. */
  baseUrl?: ((connector: string) => string | undefined) | undefined;
}

export interface PrismServiceOptions {
  /** Bearer keys callers present (`Authorization: Bearer <key>`); at least one, each 16 characters or more. */
  apiKeys: readonly string[];
  /** Named credential sets. A request picks one by its connector's name or the `x-tokenmint-profile` header. */
  profiles?: Readonly<Record<string, PrismServiceProfile>> | undefined;
  /** Off unless given: credentials from request headers. Never on a service browsers or strangers can reach. */
  headerCredentials?: HeaderCredentialsOptions | undefined;
  /** Tokens are cached here. Default: a store of the service's own. */
  store?: TokenStore | undefined;
  fetch?: typeof fetch | undefined;
  clock?: Clock | undefined;
  /**
   * Wraps each flow before the store sees it (the mint Worker routes it through a Durable Object).
   * The flow's key is already a digest that reveals no credential.
   */
  wrapFlow?: ((flow: TokenFlow, profile: string | undefined) => TokenFlow) | undefined;
}

/** Per call. */
export interface HandleOptions {
  /** Keeps a background refresh alive past the answer (Workers: `ctx.waitUntil.bind(ctx)`). */
  waitUntil?: ((promise: Promise<unknown>) => void) | undefined;
}

export interface PrismService extends Disposable {
  /** Answers the service's paths; `undefined` for any other path (mount it beside other routes). */
  handle(request: Request, options?: HandleOptions): Promise<Response> | undefined;
  /** Like `handle`, with a 404 for other paths. */
  fetch(request: Request, options?: HandleOptions): Promise<Response>;
  dispose(): void;
}

const OPTION_KEYS = new Set(['apiKeys', 'profiles', 'headerCredentials', 'store', 'fetch', 'clock', 'wrapFlow']);
const PROFILE_KEYS = new Set(['connector', 'credentials', 'environment', 'baseUrl', 'fetch']);
const MAX_HEADER_CLIENTS = 256;
/** The longest API key configured or presented. */
const MAX_KEY_LENGTH = 512;

const fail = (field: string, problem: string): TokenError => configError('prism service', field, problem);

function strict(value: object, known: ReadonlySet<string>, at: string): void {
  for (const key of Object.keys(value)) if (!known.has(key)) throw fail(`${at}${key}`, 'is not an option');
}

function checkEnvironment(value: unknown, field: string): PrismServiceEnvironment {
  if (value !== 'sandbox' && value !== 'production') throw fail(field, 'must be "sandbox" or "production"');
  return value;
}

/** The flow's key as a digest: client ids and other credential parts never reach the store's keys, events or logs. */
export function hiddenKey(flow: TokenFlow): string {
  return `prism ${sha256Hex(flow.key).slice(0, 32)}`;
}

/** The flow under its hidden key (same token, same authorization). */
export function withHiddenKey(flow: TokenFlow): TokenFlow {
  return {
    key: hiddenKey(flow),
    browserSafe: flow.browserSafe,
    ...(flow.provider === undefined ? {} : { provider: flow.provider }),
    ...(flow.authorization === undefined ? {} : { authorization: flow.authorization.bind(flow) }),
    fetchToken: (ctx) => flow.fetchToken(ctx),
  };
}

type WaitUntil = NonNullable<HandleOptions['waitUntil']>;

/** The source, with the calling request's `waitUntil` on every `get`. */
function withWaitUntil(source: TokenSource, waitUntil: WaitUntil): TokenSource {
  return {
    key: source.key,
    get: (options) => source.get({ waitUntil, ...options }),
    peek: () => source.peek(),
    authorization: (options) => source.authorization({ waitUntil, ...options }),
    refresh: () => source.refresh(),
    invalidate: () => source.invalidate(),
  };
}

/**
 * A store that hands flows to `inner` under their hidden key (then through `wrap`), once per flow
 * object; `waitUntil()` is the calling request's, read while the facade asks for the source.
 */
function hidingStore(inner: TokenStore, profile: string | undefined, wrap: PrismServiceOptions['wrapFlow'], waitUntil: () => WaitUntil | undefined): TokenStore {
  const wrapped = new WeakMap<TokenFlow, TokenFlow>();
  return {
    get size() {
      return inner.size;
    },
    source(flow: TokenFlow): TokenSource {
      let hidden = wrapped.get(flow);
      if (hidden === undefined) {
        hidden = withHiddenKey(flow);
        if (wrap !== undefined) hidden = wrap(hidden, profile);
        wrapped.set(flow, hidden);
      }
      const source = inner.source(hidden);
      const current = waitUntil();
      return current === undefined ? source : withWaitUntil(source, current);
    },
    // The service owns and disposes the real store.
    dispose() {},
    [Symbol.dispose]() {},
    async [Symbol.asyncDispose]() {},
  };
}

/** Constant-time comparison of a presented key with each configured one (through digests of equal length). */
function keyMatches(presented: string, digests: readonly string[]): boolean {
  const digest = sha256Hex(presented);
  let match = false;
  // Every configured key is compared, so the time does not tell which one matched.
  for (const known of digests) match = sameDigest(known, digest) || match;
  return match;
}

/** An in-band refusal of the method: the answer Prism gives for a request it cannot serve. */
const invalid = (message: string, echo: TokenRequestMessage): TokenResponseMessage => ({
  status: 'INVALID_REQUEST',
  statusCode: 400,
  error: { code: 'invalid_request', message: `prism service: ${message}` },
  ...(echo.merchantAccessTokenId === undefined ? {} : { merchantAccessTokenId: echo.merchantAccessTokenId }),
});

function toMessage(answer: ServerAuthenticationTokenResponse): TokenResponseMessage {
  const echo = answer.merchantAccessTokenId === undefined ? {} : { merchantAccessTokenId: answer.merchantAccessTokenId };
  if (answer.status === 'SUCCESS') {
    return { accessToken: answer.accessToken, tokenType: answer.tokenType, expiresInSeconds: answer.expiresInSeconds, status: 'SUCCESS', statusCode: answer.statusCode, ...echo };
  }
  return { status: answer.status, statusCode: answer.statusCode, error: { code: answer.error.code, message: answer.error.message }, ...echo };
}

/**
 * Prism's `MerchantAuthenticationService` token RPC over the network, answered from a TokenStore:
 * `POST /payments/server_authentication_token` (Prism's HTTP JSON), and
 * `types.MerchantAuthenticationService/CreateServerAuthenticationToken` and the seed's
 * `ucs.v2.MerchantAuthenticationService/CreateAccessToken` over Connect (JSON, protobuf) and gRPC-web.
 * See docs/prism-service.md.
 * @example
 * const service = createPrismService({
 *   apiKeys: [process.env.PRISM_API_KEY],
 *   profiles: { paypal: { credentials: { client_id: id, client_secret: secret }, environment: 'production' } },
 * });
 * export default { fetch: service.fetch };
 */
export function createPrismService(options: PrismServiceOptions): PrismService {
  if (typeof options !== 'object' || options === null) throw fail('options', 'must be an object');
  strict(options, OPTION_KEYS, '');
  if (!Array.isArray(options.apiKeys) || options.apiKeys.length === 0) throw fail('apiKeys', 'must list at least one key');
  for (const key of options.apiKeys) if (typeof key !== 'string' || key.length < 16 || key.length > MAX_KEY_LENGTH) throw fail('apiKeys', `each key must be a string of 16 to ${MAX_KEY_LENGTH} characters`);
  const digests = options.apiKeys.map((key) => sha256Hex(key));
  const clock = options.clock ?? systemClock;
  const ownsStore = options.store === undefined;
  const store = options.store ?? createTokenStore({ clock, ...(options.fetch === undefined ? {} : { fetch: options.fetch }) });
  const header = options.headerCredentials;
  if (header !== undefined) {
    if (typeof header !== 'object' || header === null) throw fail('headerCredentials', 'must be an object');
    strict(header, new Set(['environment', 'baseUrl']), 'headerCredentials.');
    checkEnvironment(header.environment, 'headerCredentials.environment');
  }

  // The facade asks the store for a source synchronously when a call starts: the calling request's
  // waitUntil is set around that call only.
  let currentWaitUntil: WaitUntil | undefined;
  const clientOf = (connector: string, credentials: unknown, environment: PrismServiceEnvironment, profile: string | undefined, baseUrl?: string, fetchFn?: typeof fetch) =>
    new MerchantAuthenticationClient({
      connectorConfig: { [connector]: { ...(credentials as object), ...(baseUrl === undefined ? {} : { baseUrl }) } },
      options: { environment: environment === 'sandbox' ? 'SANDBOX' : 'PRODUCTION', store: hidingStore(store, profile, options.wrapFlow, () => currentWaitUntil), clock, ...(fetchFn ?? options.fetch ? { fetch: (fetchFn ?? options.fetch)! } : {}) },
    });

  // Profiles are built now: a bad one is a config error at start-up, not a failure per request.
  const profiles = new Map<string, { connector: string; client: MerchantAuthenticationClient }>();
  for (const [name, profile] of Object.entries(options.profiles ?? {})) {
    const at = `profiles.${name}`;
    if (typeof profile !== 'object' || profile === null) throw fail(at, 'must be an object');
    strict(profile, PROFILE_KEYS, `${at}.`);
    const connector = normaliseConnector(profile.connector ?? name);
    if (typeof profile.credentials !== 'object' || profile.credentials === null) throw fail(`${at}.credentials`, 'must be an object');
    const environment = checkEnvironment(profile.environment, `${at}.environment`);
    profiles.set(name, { connector, client: clientOf(connector, profile.credentials, environment, name, profile.baseUrl, profile.fetch) });
  }
  if (profiles.size === 0 && header === undefined) throw fail('profiles', 'must define at least one profile (or enable headerCredentials)');

  // Header credentials: one client per connector and config, under a digest of both.
  const headerClients = new Map<string, MerchantAuthenticationClient>();
  function headerClient(connector: string, raw: string, echo: TokenRequestMessage): MerchantAuthenticationClient | TokenResponseMessage {
    const id = sha256Hex(`${connector}\n${raw}`);
    const known = headerClients.get(id);
    if (known !== undefined) return known;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return invalid('x-connector-config is not valid JSON (expected {"config":{"<Connector>":{…credentials}}})', echo);
    }
    const config = (parsed as { config?: unknown } | null)?.config;
    const entries = typeof config === 'object' && config !== null && !Array.isArray(config) ? Object.entries(config) : [];
    if (entries.length !== 1 || Object.keys(parsed as object).length !== 1) return invalid('x-connector-config must be {"config":{"<Connector>":{…credentials}}} with one connector', echo);
    const [name, credentials] = entries[0]!;
    if (normaliseConnector(name) !== connector) return invalid('x-connector-config names another connector than x-connector', echo);
    let client: MerchantAuthenticationClient;
    try {
      client = clientOf(connector, credentials, header!.environment, undefined, header!.baseUrl?.(connector));
    } catch (error) {
      const secrets = typeof credentials === 'object' && credentials !== null ? secretValues(readCredentials(credentials, 'x-connector-config')) : [];
      return invalid(error instanceof TokenError ? redact(error.message, secrets) : 'x-connector-config has unusable credentials', echo);
    }
    if (headerClients.size >= MAX_HEADER_CLIENTS) headerClients.delete(headerClients.keys().next().value!);
    headerClients.set(id, client);
    return client;
  }

  function connectorOf(request: Request, message: TokenRequestMessage): string | TokenResponseMessage {
    const named = request.headers.get('x-connector');
    const fromHeader = named === null ? undefined : normaliseConnector(named);
    const fromBody = message.connector === undefined ? undefined : normaliseConnector(message.connector);
    if (fromHeader !== undefined && fromBody !== undefined && fromHeader !== fromBody) return invalid('the x-connector header and the connector field name different connectors', message);
    const connector = fromHeader ?? fromBody;
    if (connector === undefined) return invalid('name the connector (the connector field or the x-connector header)', message);
    if (!/^[a-z0-9]{1,40}$/.test(connector) || (TOKEN_CONNECTORS[connector] === undefined && !API_KEY_CONNECTORS.includes(connector))) {
      return invalid(`the connector is not supported (connectors with an access token: ${Object.keys(TOKEN_CONNECTORS).join(', ')})`, message);
    }
    return connector;
  }

  async function answer(request: Request, message: TokenRequestMessage, waitUntil: WaitUntil | undefined): Promise<TokenResponseMessage> {
    const connector = connectorOf(request, message);
    if (typeof connector !== 'string') return connector;
    const raw = request.headers.get('x-connector-config');
    let client: MerchantAuthenticationClient;
    if (raw !== null) {
      if (header === undefined) return invalid('this service takes credentials from its profiles; x-connector-config is not accepted', message);
      const found = headerClient(connector, raw, message);
      if (!(found instanceof MerchantAuthenticationClient)) return found;
      client = found;
    } else {
      const name = request.headers.get(PROFILE_HEADER) ?? connector;
      const profile = profiles.get(name);
      if (profile === undefined) return invalid(`no profile ${/^[A-Za-z0-9_-]{1,64}$/.test(name) ? `"${name}"` : 'of that name'} on this service`, message);
      if (profile.connector !== connector) return invalid('the profile is for another connector', message);
      client = profile.client;
    }
    currentWaitUntil = waitUntil;
    let answered: Promise<ServerAuthenticationTokenResponse>;
    try {
      answered = client.createServerAuthenticationToken({
        ...(message.merchantAccessTokenId === undefined ? {} : { merchantAccessTokenId: message.merchantAccessTokenId }),
        ...(message.testMode === undefined ? {} : { testMode: message.testMode }),
      });
    } finally {
      currentWaitUntil = undefined;
    }
    return toMessage(await answered);
  }

  function checkHeaders(request: Request): void {
    let total = 0;
    for (const [name, value] of request.headers) {
      if (value.length > MAX_HEADER_BYTES) throw new RpcError('resource_exhausted', 'a request header is too large', 431);
      total += name.length + value.length;
    }
    if (total > MAX_HEADERS_BYTES) throw new RpcError('resource_exhausted', 'the request headers are too large', 431);
    // Browsers send Origin on every cross-origin POST: this surface has no CORS and serves no page.
    if (request.headers.has('origin')) throw new RpcError('permission_denied', 'browsers are not callers of this service');
    const key = bearerCredential(request.headers.get('authorization'), MAX_KEY_LENGTH);
    if (key === undefined || !keyMatches(key, digests)) throw new RpcError('unauthenticated', 'a valid API key is required (Authorization: Bearer <key>)');
  }

  async function serve(request: Request, path: string, waitUntil: WaitUntil | undefined): Promise<Response> {
    const http = path === PRISM_HTTP_PATH;
    let protocol: Protocol | undefined = http ? 'http' : rpcProtocol(request);
    try {
      if (request.method !== 'POST') {
        return new Response(null, { status: 405, headers: { allow: 'POST', 'cache-control': 'no-store' } });
      }
      if (protocol === undefined) {
        return new Response(null, { status: 415, headers: { 'accept-post': 'application/json, application/proto, application/grpc-web+proto, application/grpc-web+json', 'cache-control': 'no-store' } });
      }
      if (http && !isJsonRequest(request)) throw new RpcError('invalid_argument', 'Content-Type must be application/json', 415);
      checkHeaders(request);
      const message = await readRequest(request, protocol, MAX_BODY_BYTES);
      return renderResponse(protocol, await answer(request, message, waitUntil));
    } catch (error) {
      if (error instanceof RpcError) return renderError(protocol, error);
      protocol ??= 'connect-json';
      return renderError(protocol, new RpcError('internal', `unexpected failure (${error instanceof Error ? error.name : typeof error})`));
    }
  }

  const service: PrismService = {
    handle(request, options = {}) {
      const path = new URL(request.url).pathname;
      return PRISM_PATHS.has(path) ? serve(request, path, options.waitUntil) : undefined;
    },
    fetch(request, options) {
      return service.handle(request, options) ?? Promise.resolve(new Response(null, { status: 404, headers: { 'cache-control': 'no-store' } }));
    },
    dispose() {
      for (const { client } of profiles.values()) client.dispose();
      for (const client of headerClients.values()) client.dispose();
      headerClients.clear();
      if (ownsStore) store.dispose();
    },
    [Symbol.dispose]() {
      service.dispose();
    },
  };
  return service;
}
