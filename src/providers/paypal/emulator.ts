// PayPal's token endpoints: the server access token (client credentials, Basic) and the browser-safe
// client token (`/v1/identity/generate-token`), which only a server token this emulator issued unlocks.
// @see docs/providers.md#paypal
import { base64, bearerCredential } from '../../core/kit.js';
import { checkClientCredentials } from '../../emulator/client-auth.js';
import { hasMediaType, json, oauthError, oauthTokenAnswer, randomToken } from '../../emulator/respond.js';
import { createPayPalOrders, ORDERS_PATH } from './orders-emulator.js';
import type { EmulatorEntry, EmulatorEnv, ProviderEmulator, RecordedRequest } from '../../emulator/types.js';

export interface PayPalEmulatorOptions {
  /** client_id → secret. Default: the demo app. */
  clients?: Readonly<Record<string, string>>;
  /** Server access token lifetime in seconds. Default 32 400 (~9 hours, as observed). */
  expiresIn?: number;
  /** Client token lifetime in seconds. Default 3600. */
  clientTokenExpiresIn?: number;
}

export interface PayPalEmulator extends ProviderEmulator {
  readonly prefix: 'paypal';
  /** Revokes every server access token issued so far: generate-token answers them 401 from now on. */
  revokeAccessTokens(): void;
}

export const PAYPAL_DEMO: { clientId: string; clientSecret: string } = { clientId: 'paypal-demo-client', clientSecret: 'paypal-demo-secret' };

// The scopes a REST app's token lists (abridged; PayPal sends a long space-separated list of URIs).
const SCOPE = 'https://uri.paypal.com/services/payments/payment https://uri.paypal.com/services/identity/grantdelegation openid';

/** PayPal REST's error body `{ name, message, debug_id }` (injected 429 and 5xx answers use it). */
function restError(status: number, name: string, message: string): Response {
  return json(status, { name, message, debug_id: randomToken('debug').slice(6, 19) });
}

export function createPayPalEmulator(options: PayPalEmulatorOptions | undefined, env: EmulatorEnv): PayPalEmulator {
  options ??= {};
  const clients = options.clients ?? { [PAYPAL_DEMO.clientId]: PAYPAL_DEMO.clientSecret };
  const expiresIn = options.expiresIn ?? 32_400;
  const clientTokenExpiresIn = options.clientTokenExpiresIn ?? 3600;
  const accessTokens = new Map<string, { clientId: string; expiresAt: number }>();
  const orders = createPayPalOrders(env.now);
  /** The client whose live access token authorises `request`, if any. */
  const bearerClient = (request: RecordedRequest): string | undefined => {
    const bearer = bearerCredential(request.headers.authorization ?? null);
    const entry = bearer === undefined ? undefined : accessTokens.get(bearer);
    return entry === undefined || env.now() >= entry.expiresAt ? undefined : entry.clientId;
  };

  const token = (request: RecordedRequest): Response => {
    const checked = checkClientCredentials(request, clients, ['client_secret_basic']);
    if ('refused' in checked) {
      switch (checked.refused) {
        case 'client':
          return oauthError(401, 'invalid_client', 'Client Authentication failed');
        case 'grant_type':
          return oauthError(400, 'unsupported_grant_type', 'Grant Type is NULL or not supported');
        default:
          return oauthError(400, 'invalid_request', 'POST with an application/x-www-form-urlencoded body required');
      }
    }
    const accessToken = `A21AA${randomToken('pp').slice(3)}`;
    accessTokens.set(accessToken, { clientId: checked.clientId, expiresAt: env.now() + expiresIn * 1000 });
    const nonce = `${new Date(env.now()).toISOString().slice(0, 19)}Z${randomToken('n').slice(2, 12)}`;
    return json(200, { scope: SCOPE, access_token: accessToken, token_type: 'Bearer', app_id: 'APP-80W284485P519543T', expires_in: expiresIn, nonce });
  };

  const generateToken = (request: RecordedRequest): Response => {
    if (request.method !== 'POST') return restError(405, 'METHOD_NOT_SUPPORTED', 'The server does not implement the requested HTTP method.');
    if (bearerClient(request) === undefined) return oauthError(401, 'invalid_token', 'Token signature verification failed');
    if (request.body !== '' && !hasMediaType(request.headers['content-type'], 'application/json')) {
      return restError(415, 'UNSUPPORTED_MEDIA_TYPE', 'The server does not support the request payload media type.');
    }
    // Shaped like PayPal's: base64 JSON holding an authorization fingerprint (never the server token).
    const payload = { paypal: { accessTokenFingerprint: randomToken('fp'), expiresAt: new Date(env.now() + clientTokenExpiresIn * 1000).toISOString() } };
    return json(200, { client_token: base64(new TextEncoder().encode(JSON.stringify(payload))), expires_in: clientTokenExpiresIn });
  };

  return {
    prefix: 'paypal',
    handle: (request, path) =>
      path === '/v1/oauth2/token' ? token(request)
      : path === '/v1/identity/generate-token' ? generateToken(request)
      : path === ORDERS_PATH || path.startsWith(`${ORDERS_PATH}/`) ? orders.handle(request, path, bearerClient(request))
      : restError(404, 'RESOURCE_NOT_FOUND', 'The specified resource does not exist.'),
    revokeAccessTokens: () => accessTokens.clear(),
    errorResponse: (status) =>
      status === 429 ? restError(429, 'RATE_LIMIT_REACHED', 'Too many requests. Blocked due to rate limiting.')
      : status >= 500 ? restError(status, 'INTERNAL_SERVICE_ERROR', 'An internal service error has occurred.')
      : oauthError(status, 'invalid_request', 'injected failure'),
    reset: () => {
      accessTokens.clear();
      orders.reset();
    },
  };
}

/** Its entry in the emulators' list (src/emulator/providers.ts, written from src/providers/list.ts): how it is made, what it accepts, what its token endpoint answers. */
export const PAYPAL_EMULATOR: EmulatorEntry<PayPalEmulator, PayPalEmulatorOptions, 'clientId' | 'clientSecret'> = {
  create: createPayPalEmulator,
  demo: () => ({ credentials: PAYPAL_DEMO }),
  accepting: ({ clientId, clientSecret }) => ({ clients: { [clientId]: clientSecret } }),
  // The client-token flow needs a server token first.
  tokenAnswers: [
    oauthTokenAnswer('/v1/oauth2/token', ['server', 'clientToken']),
    { path: '/v1/identity/generate-token', flows: ['clientToken'], token: ['client_token'], lifetime: { path: ['expires_in'], kind: 'seconds' } },
  ],
};
