import * as v from 'valibot';
import { clientCredentials, systemClock, type AccessToken, type FlowContext, type TokenError, type TokenFlow } from '../../core/index.js';
import { errorFromResponse, flowKey, optionalString, parseJson, requireString, Seconds, sendRequest, validateBody, type HttpRequest, type HttpResponse } from '../../core/kit.js';
import { checkOptions, fetchOption, jsonRequest, parseErrorBody, resolveBase, withFetch, type Environment, type ProviderOptions } from '../_shared.js';
import { defineProvider, type ProviderDescriptor } from '../descriptor.js';

const PROVIDER = 'paypal';

/** @see docs/providers.md#paypal */
export const PAYPAL_HOSTS: Readonly<Record<Environment, string>> = {
  sandbox: 'https://api-m.sandbox.paypal.com',
  production: 'https://api-m.paypal.com',
};

export interface PayPalOptions extends ProviderOptions {
  clientId: string;
  clientSecret: string;
}

/**
 * PayPal's server access token: client credentials with Basic authentication (tokens live ~9 hours).
 * Server-only: it can call every API the app may.
 * @see docs/providers.md#paypal; RFC 6749 §4.4
 * @example
 * const source = createTokenStore().source(paypal({ clientId, clientSecret: env.PAYPAL_SECRET, environment: 'production' }));
 */
export function paypal(options: PayPalOptions): TokenFlow {
  checkOptions(PROVIDER, options, 'clientId clientSecret');
  return clientCredentials({
    provider: PROVIDER,
    tokenUrl: `${resolveBase(PROVIDER, PAYPAL_HOSTS, options)}/v1/oauth2/token`,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    auth: 'client_secret_basic',
    ...fetchOption(PROVIDER, options),
  });
}

export interface PayPalClientTokenOptions extends PayPalOptions {
  /** Vaulting: the PayPal customer whose saved payment methods the page may show (sent as `customer_id`). */
  customerId?: string | undefined;
}

/** `{ client_token, expires_in }`; unknown fields ignored. */
const ClientTokenBody = v.object({ client_token: v.pipe(v.string(), v.minLength(1)), expires_in: Seconds });

/** REST errors are `{ name, message, debug_id }`; the identity service answers a bad bearer the RFC 6750 way. */
const ErrorBody = v.object({
  error: v.optional(v.string()),
  error_description: v.optional(v.string()),
  name: v.optional(v.string()),
  message: v.optional(v.string()),
});

// A held server token is reused while it has at least this long to live (PayPal's live ~9 hours).
const SERVER_TOKEN_MARGIN_MS = 60_000;

/**
 * PayPal's browser-safe client token (`POST /v1/identity/generate-token`, ~1 hour), which the JS SDK takes
 * as `data-client-token`. The request is authorised with a server access token that this flow obtains
 * itself (the `paypal()` flow for the same credentials) and keeps privately, reusing it across client
 * tokens until it nears expiry; a 401 (revoked or expired early) gets one retry with a fresh one. The
 * server token never appears in a `TokenSource`, so nothing can hand it to a browser by mistake: only the
 * client token leaves this flow, with `browserSafe: true` and `tokenType: 'ClientToken'`.
 * @see docs/providers.md#paypal
 * @example
 * const widget = store.source(paypalClientToken({ clientId, clientSecret: env.PAYPAL_SECRET }));
 * const { accessToken: clientToken } = await widget.get(); // <script data-client-token="…">
 */
export function paypalClientToken(options: PayPalClientTokenOptions): TokenFlow {
  checkOptions(PROVIDER, options, 'clientId clientSecret customerId');
  const { customerId: _, ...serverOptions } = options;
  const server = paypal(serverOptions); // checks the credentials, environment, baseUrl and fetch
  const clientId = requireString(PROVIDER, 'clientId', options.clientId);
  const clientSecret = requireString(PROVIDER, 'clientSecret', options.clientSecret);
  const customerId = optionalString(PROVIDER, 'customerId', options.customerId);
  const url = `${resolveBase(PROVIDER, PAYPAL_HOSTS, options)}/v1/identity/generate-token`;
  const { fetch: fetchFn } = fetchOption(PROVIDER, options);
  let held: AccessToken | undefined;

  const serverToken = async (ctx: FlowContext, now: number): Promise<AccessToken> => {
    if (held === undefined || held.expiresAt - SERVER_TOKEN_MARGIN_MS <= now) held = await server.fetchToken(ctx);
    return held;
  };
  const generate = async (ctx: FlowContext, token: AccessToken): Promise<[HttpRequest, HttpResponse]> => {
    const request = jsonRequest(PROVIDER, url, customerId === undefined ? {} : { customer_id: customerId }, { authorization: `Bearer ${token.accessToken}` }, [token.accessToken, clientSecret]); // scrubbed from errors even if echoed
    return [request, await sendRequest(withFetch(ctx, fetchFn), request)];
  };

  return {
    key: flowKey('paypal_client_token', url, clientId, [clientSecret, customerId]),
    browserSafe: true,
    provider: PROVIDER,
    async fetchToken(ctx) {
      const clock = ctx.clock ?? systemClock;
      let [request, response] = await generate(ctx, await serverToken(ctx, clock.now()));
      if (response.status === 401) {
        held = undefined; // rejected: never sent again
        [request, response] = await generate(ctx, await serverToken(ctx, clock.now()));
        if (response.status === 401) held = undefined;
      }
      const now = clock.now();
      if (response.status !== 200) throw paypalError(request, response, now);
      const body = validateBody(request, response, ClientTokenBody, parseJson(request, response));
      return { accessToken: body.client_token, tokenType: 'ClientToken', expiresAt: now + body.expires_in * 1000 };
    },
  };
}

/** A REST or RFC 6750 error body → `TokenError` (a rejected server token reads as `invalid_client`). */
function paypalError(request: HttpRequest, response: HttpResponse, now: number): TokenError {
  const body = parseErrorBody(response, ErrorBody);
  const code = body?.name === 'AUTHENTICATION_FAILURE' || body?.error === 'invalid_token' ? 'invalid_client' : (body?.error ?? body?.name);
  const detail = [body?.name ?? body?.error, body?.message ?? body?.error_description].filter(Boolean).join(': ');
  return errorFromResponse(request, response, { code, detail }, now);
}

/** The provider's descriptor (docs/providers.md#adding-a-provider). */
export const PAYPAL_PROVIDER: ProviderDescriptor = /* @__PURE__ */ defineProvider(paypal, {
  name: 'paypal',
  prismNumber: 62,
  emulatorPrefix: 'paypal',
  hosts: PAYPAL_HOSTS,
  credentials: { clientId: 'PAYPAL_CLIENT_ID', clientSecret: 'PAYPAL_CLIENT_SECRET' },
  identifiers: ['clientId'],
  clientToken: { name: 'paypalClientToken', factory: paypalClientToken },
});
