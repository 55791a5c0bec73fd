import * as v from 'valibot';
import { systemClock, type AccessToken, type TokenError, type TokenFlow } from '../../core/index.js';
import { configError, errorFromResponse, flowKey, invalidResponse, optionalFunction, parseJson, requireString, sendRequest, validateBody, type HttpRequest, type HttpResponse } from '../../core/kit.js';
import { absoluteExpiry, checkOptions, resolveBase, withFetch, type Environment, type ProviderOptions } from '../_shared.js';
import { defineProvider, type ProviderDescriptor } from '../descriptor.js';

const PROVIDER = 'kitegateway';

/** @see docs/providers.md#kitegateway */
export const KITEGATEWAY_HOSTS: Readonly<Record<Environment, string>> = {
  sandbox: 'https://sandbox.kitegateway.com',
  production: 'https://kitegateway.com',
};

export interface KitegatewayOptions extends ProviderOptions {
  /** The business account's API key (sent in the body as `api_key`). */
  apiKey: string;
  /** The matching secret (sent as the `Secret-Key` header). */
  secretKey: string;
  /** Requested token lifetime in seconds. Default 900. */
  expiresIn?: number | undefined;
}

// Unix seconds between 2001 and 5138: a milliseconds value is refused rather than read as a token
// living for millennia.
const EpochSeconds = v.pipe(
  v.union([v.number(), v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number))]),
  v.integer(),
  v.minValue(1_000_000_000),
  v.maxValue(99_999_999_999),
);

/** The success envelope: `{ code: 200, status: "success", message, data: { token, expires } }`. */
const SuccessBody = v.object({
  status: v.optional(v.literal('success')),
  data: v.object({ token: v.pipe(v.string(), v.minLength(1)), expires: EpochSeconds }),
});

/** The error envelope: `{ code: "kitegateway_rest_…", status, message, data }`. */
const ErrorBody = v.object({
  code: v.pipe(v.string(), v.startsWith('kitegateway_')),
  message: v.optional(v.string()),
});

// Envelope codes meaning "wrong credentials" whatever the HTTP status. Unverified: the docs name only
// the `kitegateway_rest_` prefix; these are the codes our emulator uses, kept here in one place.
const CREDENTIAL_ERRORS: ReadonlySet<string> = new Set([
  'kitegateway_rest_invalid_credentials',
  'kitegateway_rest_invalid_api_key',
  'kitegateway_rest_invalid_secret_key',
  'kitegateway_rest_missing_secret_key',
]);

const PREFIX = /^JWT\s+/i;

/**
 * Kitegateway's token endpoint: a JSON request authenticated by the `Secret-Key` header, answered with
 * a JWT. Server-only (the docs keep the token between Kitegateway and the merchant's servers).
 *
 * Clock skew: `data.expires` is an absolute time on the server's clock. When the response carries a
 * `Date` header, the lifetime is taken as `expires − Date` and counted from the local receipt time, so a
 * skewed local clock neither keeps an expired token nor throws away a valid one; the store's leeway
 * absorbs `Date`'s one-second resolution. Without a `Date` header, `expires` is used as it is.
 * @see docs/providers.md#kitegateway
 * @example
 * const source = createTokenStore().source(kitegateway({ apiKey: env.KG_API_KEY, secretKey: env.KG_SECRET_KEY }));
 * await fetch(api, { headers: { authorization: await source.authorization() } }); // "JWT eyJ…"
 */
export function kitegateway(options: KitegatewayOptions): TokenFlow {
  checkOptions(PROVIDER, options, 'apiKey secretKey expiresIn');
  const apiKey = requireString(PROVIDER, 'apiKey', options.apiKey);
  const secretKey = requireString(PROVIDER, 'secretKey', options.secretKey);
  const expiresIn = options.expiresIn ?? 900;
  if (!Number.isInteger(expiresIn) || expiresIn < 1) throw configError(PROVIDER, 'expiresIn', 'must be a positive integer (seconds)');
  const url = `${resolveBase(PROVIDER, KITEGATEWAY_HOSTS, options)}/v1/auth/token`;
  const fetchFn = optionalFunction(PROVIDER, 'fetch', options.fetch);
  const request: HttpRequest = {
    provider: PROVIDER,
    url,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Secret-Key': secretKey },
    body: JSON.stringify({ api_key: apiKey, expires_in: expiresIn }),
    secrets: [secretKey, apiKey],
  };
  return {
    // The API key stays out of the readable part of the key: it is a credential too.
    key: flowKey('kitegateway', url, '-', [apiKey, secretKey, expiresIn]),
    browserSafe: false,
    provider: PROVIDER,
    async fetchToken(ctx) {
      const response = await sendRequest(withFetch(ctx, fetchFn), request);
      const now = (ctx.clock ?? systemClock).now();
      if (response.status !== 200) throw kitegatewayError(request, response, now);
      const body = validateBody(request, response, SuccessBody, parseJson(request, response));
      const expiresAt = absoluteExpiry(body.data.expires * 1000, response.headers.get('date'), now);
      if (!(expiresAt > now)) throw invalidResponse(request, response, 'a token that has already expired (check the clocks)');
      return { accessToken: body.data.token, tokenType: 'JWT', expiresAt };
    },
    // Tokens arrive as "JWT eyJ…": sent as they are, never as "JWT JWT eyJ…".
    authorization: (token: AccessToken) => (PREFIX.test(token.accessToken) ? token.accessToken : `JWT ${token.accessToken}`),
  };
}

/** Maps an error envelope to a `TokenError` carrying its code and message (scrubbed of the credentials). */
function kitegatewayError(request: HttpRequest, response: HttpResponse, now: number): TokenError {
  let envelope: v.InferOutput<typeof ErrorBody> | undefined;
  try {
    const parsed = v.safeParse(ErrorBody, JSON.parse(response.text));
    if (parsed.success) envelope = parsed.output;
  } catch {
    envelope = undefined; // not JSON: judged by status alone
  }
  const code = envelope && CREDENTIAL_ERRORS.has(envelope.code) ? 'invalid_client' : response.status === 400 ? 'invalid_request' : undefined;
  const detail = envelope && [envelope.code, envelope.message].filter(Boolean).join(': ');
  return errorFromResponse(request, response, { code, detail }, now);
}

/** The provider's descriptor (docs/providers.md#adding-a-provider). */
export const KITEGATEWAY_PROVIDER: ProviderDescriptor = /* @__PURE__ */ defineProvider(kitegateway, {
  name: 'kitegateway',
  emulatorPrefix: 'kitegateway',
  hosts: KITEGATEWAY_HOSTS,
  credentials: { apiKey: 'KITEGATEWAY_API_KEY', secretKey: 'KITEGATEWAY_SECRET_KEY' },
  expiresIn: true,
});
