import * as v from 'valibot';
import type { TokenError, TokenFlow } from '../../core/index.js';
import { buildFormRequest, errorFromResponse, flowKey, optionalFunction, parseJson, requireString, Seconds, validateBody, type HttpRequest, type HttpResponse } from '../../core/kit.js';
import { checkOptions, parseErrorBody, providerFlow, resolveBase, type Environment, type ProviderOptions } from '../_shared.js';
import { defineProvider, type ProviderDescriptor } from '../descriptor.js';

const PROVIDER = 'iatapay';

/** @see docs/providers.md#iata-pay */
export const IATAPAY_HOSTS: Readonly<Record<Environment, string>> = {
  sandbox: 'https://sandbox.iata-pay.iata.org',
  production: 'https://iata-pay.iata.org',
};

/** The one scope IATA Pay's payment API takes (both environments). */
export const IATAPAY_SCOPE = 'payment';

export interface IataPayOptions extends ProviderOptions {
  clientId: string;
  clientSecret: string;
}

/** `{ access_token, expires_in }`: IATA Pay may omit `token_type` (Prism reads only these two). */
const SuccessBody = v.object({
  access_token: v.pipe(v.string(), v.minLength(1)),
  expires_in: Seconds,
  token_type: v.optional(v.pipe(v.string(), v.regex(/^bearer$/i))),
  scope: v.optional(v.string()),
});

/** RFC 6749 `{ error, error_description }`, or a Spring error `{ status, error: "Unauthorized", path, message? }`. */
const ErrorBody = v.object({ error: v.string(), error_description: v.optional(v.string()), message: v.optional(v.string()) });

/**
 * IATA Pay's token: client credentials as a form with Basic credentials and `scope=payment`.
 * Server-only.
 * @see docs/providers.md#iata-pay
 * @example
 * const source = store.source(iatapay({ clientId, clientSecret: env.IATAPAY_SECRET }));
 */
export function iatapay(options: IataPayOptions): TokenFlow {
  checkOptions(PROVIDER, options, 'clientId clientSecret');
  const clientId = requireString(PROVIDER, 'clientId', options.clientId);
  const clientSecret = requireString(PROVIDER, 'clientSecret', options.clientSecret);
  const url = `${resolveBase(PROVIDER, IATAPAY_HOSTS, options)}/api/v1/oauth/token`;
  const params: [string, string][] = [['grant_type', 'client_credentials'], ['scope', IATAPAY_SCOPE]];
  const request = buildFormRequest(PROVIDER, url, { clientId, clientSecret, auth: 'client_secret_basic' }, params);
  return providerFlow({
    provider: PROVIDER,
    key: flowKey('client_credentials', url, clientId, [clientSecret, IATAPAY_SCOPE]),
    fetch: optionalFunction(PROVIDER, 'fetch', options.fetch),
    request: () => request,
    process(request, response, now) {
      if (response.status !== 200) throw iatapayError(request, response, now);
      const body = validateBody(request, response, SuccessBody, parseJson(request, response));
      // RFC 6749 §5.1: an omitted scope is the one requested.
      return { accessToken: body.access_token, tokenType: 'Bearer', expiresAt: now + body.expires_in * 1000, scope: body.scope ?? IATAPAY_SCOPE };
    },
  });
}

function iatapayError(request: HttpRequest, response: HttpResponse, now: number): TokenError {
  const body = parseErrorBody(response, ErrorBody);
  return errorFromResponse(request, response, { code: body?.error, detail: body?.error_description ?? body?.message }, now);
}

/** The provider's descriptor (docs/providers.md#adding-a-provider). */
export const IATAPAY_PROVIDER: ProviderDescriptor = /* @__PURE__ */ defineProvider(iatapay, {
  name: 'iatapay',
  prismNumber: 41,
  emulatorPrefix: 'iatapay',
  hosts: IATAPAY_HOSTS,
  credentials: { clientId: 'IATAPAY_CLIENT_ID', clientSecret: 'IATAPAY_CLIENT_SECRET' },
  identifiers: ['clientId'],
});
