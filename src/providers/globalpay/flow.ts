import * as v from 'valibot';
import type { TokenError, TokenFlow } from '../../core/index.js';
import { base64url, digestText, errorFromResponse, flowKey, optionalFunction, parseJson, requireString, Seconds, validateBody, type HttpRequest, type HttpResponse } from '../../core/kit.js';
import { checkOptions, jsonRequest, parseErrorBody, providerFlow, resolveBase, type Environment, type ProviderOptions } from '../_shared.js';
import { defineProvider, type ProviderDescriptor } from '../descriptor.js';

const PROVIDER = 'globalpay';

/** @see docs/providers.md#globalpay */
export const GLOBALPAY_HOSTS: Readonly<Record<Environment, string>> = {
  sandbox: 'https://apis.sandbox.globalpay.com',
  production: 'https://apis.globalpay.com',
};

/** The API version the request and response shapes here belong to (sent as `X-GP-Version`). */
export const GLOBALPAY_API_VERSION = '2021-03-22';

export interface GlobalPayOptions extends ProviderOptions {
  appId: string;
  /** Never sent: only its SHA-512 with a fresh nonce is. */
  appKey: string;
}

/** `{ token, type, seconds_to_expire, app_id, merchant_id, accounts, … }`; unknown fields ignored. */
const SuccessBody = v.object({
  token: v.pipe(v.string(), v.minLength(1)),
  type: v.optional(v.pipe(v.string(), v.regex(/^bearer$/i))),
  seconds_to_expire: Seconds,
});

/** `{ error_code, detailed_error_code, detailed_error_description }`. */
const ErrorBody = v.object({
  error_code: v.string(),
  detailed_error_code: v.optional(v.union([v.string(), v.number()])),
  detailed_error_description: v.optional(v.string()),
});

/** Lowercase hex SHA-512 of the UTF-8 bytes of `text` (WebCrypto). */
export async function sha512Hex(text: string): Promise<string> {
  let hex = '';
  for (const byte of await digestText('SHA-512', text)) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/**
 * GP API's access token: a JSON body with the app id, a fresh random nonce and `secret` = lowercase hex
 * SHA-512(nonce + app key) — the key itself never travels — plus `X-GP-Version: 2021-03-22`. A wrong
 * id or key is answered 403 `ACTION_NOT_AUTHORIZED` (→ `invalid_client`). Server-only.
 * @see docs/providers.md#globalpay
 * @example
 * const source = store.source(globalpay({ appId, appKey: env.GP_APP_KEY, environment: 'production' }));
 */
export function globalpay(options: GlobalPayOptions): TokenFlow {
  checkOptions(PROVIDER, options, 'appId appKey');
  const appId = requireString(PROVIDER, 'appId', options.appId);
  const appKey = requireString(PROVIDER, 'appKey', options.appKey);
  const url = `${resolveBase(PROVIDER, GLOBALPAY_HOSTS, options)}/ucp/accesstoken`;
  return providerFlow({
    provider: PROVIDER,
    key: flowKey('client_credentials', url, appId, [appKey]),
    fetch: optionalFunction(PROVIDER, 'fetch', options.fetch),
    async request() {
      const nonce = base64url(crypto.getRandomValues(new Uint8Array(24)));
      const secret = await sha512Hex(nonce + appKey);
      const body = { app_id: appId, nonce, secret, grant_type: 'client_credentials' };
      return jsonRequest(PROVIDER, url, body, { 'x-gp-version': GLOBALPAY_API_VERSION }, [appKey, secret]);
    },
    process(request, response, now) {
      if (response.status !== 200) throw globalpayError(request, response, now);
      const body = validateBody(request, response, SuccessBody, parseJson(request, response));
      return { accessToken: body.token, tokenType: 'Bearer', expiresAt: now + body.seconds_to_expire * 1000 };
    },
  });
}

function globalpayError(request: HttpRequest, response: HttpResponse, now: number): TokenError {
  const body = parseErrorBody(response, ErrorBody);
  const code = body?.error_code === 'ACTION_NOT_AUTHORIZED' ? 'invalid_client' : body?.error_code === 'INVALID_REQUEST_DATA' ? 'invalid_request' : body?.error_code;
  const detail = body && [body.error_code, body.detailed_error_code, body.detailed_error_description].filter((part) => part !== undefined).join(': ');
  return errorFromResponse(request, response, { code, detail }, now);
}

/** The provider's descriptor (docs/providers.md#adding-a-provider). */
export const GLOBALPAY_PROVIDER: ProviderDescriptor = /* @__PURE__ */ defineProvider(globalpay, {
  name: 'globalpay',
  prismNumber: 34,
  emulatorPrefix: 'globalpay',
  hosts: GLOBALPAY_HOSTS,
  credentials: { appId: 'GLOBALPAY_APP_ID', appKey: 'GLOBALPAY_APP_KEY' },
  identifiers: ['appId'],
});
