// The libraries compared, each wrapped the way its own documentation says to get a cached
// client_credentials token, and all pointed at the same upstream: the emulator's generic OAuth 2 endpoint
// (`/oauth2/token`, demo client), reached through the `fetch` each bench section hands in. Every contender
// authenticates with client_secret_basic and sends the same form (grant_type, scope).
//
//   tokenmint      createTokenStore({ fetch, clock }).source(clientCredentials(...)).get()
//   badgateway     new OAuth2Fetch({ client, getNewToken: () => client.clientCredentials() }).getToken()
//                  (@badgateway/oauth2-client: its fetch wrapper is its documented caching layer; getToken()
//                  is the public method behind getAccessToken()/fetch(), returning the token object)
//   o4w-hand       oauth4webapi's client_credentials request + response processing under the minimal
//                  hand-written cache a user would write: one token and an expiry check
//   o4w-hand+sf    the same plus single-flight (one promise shared while a request is under way): the
//                  three lines a careful user adds after meeting a thundering herd
import { OAuth2Client, OAuth2Fetch } from '@badgateway/oauth2-client';
import * as oauth from 'oauth4webapi';
import { clientCredentials, createTokenStore } from '../../src/core/index.ts';
import { OAUTH2_DEMO } from '../../src/emulator/index.ts';
import { CONTENDER_INFO } from './contender-info.mjs';

export const ORIGIN = 'https://emulator.invalid';
export const TOKEN_URL = `${ORIGIN}/oauth2/token`;
/** What the hand caches treat as "about to expire" (tokenmint's default `refresh.leeway` is the same 5 s). */
export const HAND_CACHE_LEEWAY_MS = 5_000;

/**
 * @typedef {{ accessToken: string, expiresAt: number | null }} Token
 * @typedef {{ get(): Promise<Token>, peek?: () => Token | undefined, dispose(): void }} Contender
 * @typedef {{ fetch: typeof fetch, clock?: import('../../src/core/index.ts').Clock, scope?: string,
 *   store?: import('../../src/core/index.ts').TokenStore }} ContenderOptions
 */

/** tokenmint with default settings; `clock` and `random` only where a section injects simulated ones. */
function tokenmint({ fetch, clock, random, scope = 'payments', store, refresh }) {
  const own = store === undefined;
  store ??= createTokenStore({ fetch, ...(clock === undefined ? {} : { clock }), ...(random === undefined ? {} : { random }), ...(refresh === undefined ? {} : { refresh }) });
  const source = store.source(clientCredentials({ tokenUrl: TOKEN_URL, ...OAUTH2_DEMO, scope }));
  // The library's own methods, bound: the scale bench keeps one of these per source, and the harness
  // should add as little as it can to what it measures (no closure and context per source).
  return { get: source.get.bind(source), peek: source.peek.bind(source), dispose: own ? () => store.dispose() : noop };
}

const noop = () => {};

/** @badgateway/oauth2-client's documented setup: an OAuth2Client plus its OAuth2Fetch wrapper. */
function badgateway({ fetch, scope = 'payments' }) {
  const client = new OAuth2Client({
    tokenEndpoint: TOKEN_URL,
    clientId: OAUTH2_DEMO.clientId,
    clientSecret: OAUTH2_DEMO.clientSecret,
    authenticationMethod: 'client_secret_basic',
    fetch,
  });
  const wrapper = new OAuth2Fetch({ client, getNewToken: () => client.clientCredentials({ scope: [scope] }) });
  return { get: wrapper.getToken.bind(wrapper), dispose: noop };
}

/** oauth4webapi under the minimal hand cache (optionally single-flight). Uses Date.now() as users do. */
function handCache({ fetch, scope = 'payments' }, singleFlight) {
  const as = { issuer: ORIGIN, token_endpoint: TOKEN_URL };
  const client = { client_id: OAUTH2_DEMO.clientId };
  const clientAuth = oauth.ClientSecretBasic(OAUTH2_DEMO.clientSecret);
  const params = new URLSearchParams({ scope });
  /** @type {Token & { tokenType: string } | undefined} */
  let token;
  /** @type {Promise<Token> | undefined} */
  let pending;
  const fetchToken = async () => {
    const response = await oauth.clientCredentialsGrantRequest(as, client, clientAuth, params, { [oauth.customFetch]: fetch });
    const result = await oauth.processClientCredentialsResponse(as, client, response);
    token = { accessToken: result.access_token, tokenType: result.token_type, expiresAt: Date.now() + (result.expires_in ?? 3600) * 1000 };
    return token;
  };
  const valid = () => token !== undefined && Date.now() < token.expiresAt - HAND_CACHE_LEEWAY_MS;
  const get = singleFlight
    ? async () => {
        if (valid()) return token;
        pending ??= fetchToken().finally(() => {
          pending = undefined;
        });
        return pending;
      }
    : async () => (valid() ? token : fetchToken());
  return { get, peek: () => (valid() ? token : undefined), dispose() {} };
}

const CREATE = {
  tokenmint,
  badgateway,
  'o4w-hand': (o) => handCache(o, false),
  'o4w-hand-sf': (o) => handCache(o, true),
};

/** In table order: `{ id, label, refresh, create(options) }`. */
export const CONTENDERS = CONTENDER_INFO.map((info) => ({ ...info, create: CREATE[info.id] }));

/**
 * Not a contender: tokenmint tuned to refresh late, run beside the others in the simulated-time benches to
 * show what the refresh settings trade (fewer upstream requests, less time left to retry a failed refresh).
 */
export const LATE_REFRESH = { ratio: 0.95, jitter: 0.02, margin: 10_000 };
export const TOKENMINT_LATE = {
  id: 'tokenmint-late',
  label: `tokenmint, refresh ${JSON.stringify(LATE_REFRESH).replace(/"/g, '')}`,
  refresh: 'proactive, at 93–95 % of the lifetime',
  create: (options) => tokenmint({ ...options, refresh: LATE_REFRESH }),
};
