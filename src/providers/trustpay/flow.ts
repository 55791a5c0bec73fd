import * as v from 'valibot';
import type { TokenError, TokenFlow } from '../../core/index.js';
import { buildFormRequest, errorFromResponse, flowKey, optionalFunction, parseJson, requireString, Seconds, validateBody, type HttpRequest, type HttpResponse } from '../../core/kit.js';
import { checkOptions, parseErrorBody, providerFlow, resolveBase, type Environment, type ProviderOptions } from '../_shared.js';
import { defineProvider, type ProviderDescriptor } from '../descriptor.js';

const PROVIDER = 'trustpay';

/** One host for both: the project's credentials decide test or live. @see docs/providers.md#trustpay */
export const TRUSTPAY_HOSTS: Readonly<Record<Environment, string>> = {
  sandbox: 'https://aapi.trustpay.eu',
  production: 'https://aapi.trustpay.eu',
};

/**
 * Unverified (docs/providers.md#2-prisms-access-token-connectors): the docs' reading is that the lifetime comes in `expires_in`
 * (seconds), and that is what is used. Prism treats the field as optional; should a response lack it,
 * the token is assumed to live this long — short on purpose, so a guess errs towards an early refresh.
 */
export const TRUSTPAY_FALLBACK_LIFETIME = 300;

export interface TrustPayOptions extends ProviderOptions {
  /** The project id (Basic user name). */
  projectId: string;
  /** The project's secret key (Basic password). */
  secretKey: string;
}

const ResultInfo = v.object({
  ResultCode: v.number(),
  AdditionalInfo: v.optional(v.nullable(v.string())),
  CorrelationId: v.optional(v.nullable(v.string())),
});

/** `{ access_token, token_type, expires_in, ResultInfo }` (Prism: `TrustpayAuthUpdateResponse`). */
const SuccessBody = v.object({
  access_token: v.pipe(v.string(), v.minLength(1)),
  token_type: v.optional(v.pipe(v.string(), v.regex(/^bearer$/i))),
  expires_in: v.optional(Seconds),
  ResultInfo: v.optional(ResultInfo),
});

/** `{ ResultInfo: { ResultCode, AdditionalInfo, CorrelationId } }` (Prism: `TrustpayAccessTokenErrorResponse`). */
const ErrorBody = v.object({ ResultInfo });

/**
 * TrustPay's token: client credentials as a form, the project id and secret key as Basic credentials.
 * Errors carry a `ResultInfo` (result code, additional info, correlation id). Server-only.
 * @see docs/providers.md#trustpay
 * @example
 * const source = store.source(trustpay({ projectId, secretKey: env.TRUSTPAY_SECRET_KEY }));
 */
export function trustpay(options: TrustPayOptions): TokenFlow {
  checkOptions(PROVIDER, options, 'projectId secretKey');
  const projectId = requireString(PROVIDER, 'projectId', options.projectId);
  const secretKey = requireString(PROVIDER, 'secretKey', options.secretKey);
  const url = `${resolveBase(PROVIDER, TRUSTPAY_HOSTS, options)}/api/oauth2/token`;
  const request = buildFormRequest(PROVIDER, url, { clientId: projectId, clientSecret: secretKey, auth: 'client_secret_basic' }, [['grant_type', 'client_credentials']]);
  return providerFlow({
    provider: PROVIDER,
    key: flowKey('client_credentials', url, projectId, [secretKey]),
    fetch: optionalFunction(PROVIDER, 'fetch', options.fetch),
    request: () => request,
    process(request, response, now) {
      if (response.status !== 200) throw trustpayError(request, response, now);
      const body = validateBody(request, response, SuccessBody, parseJson(request, response));
      return { accessToken: body.access_token, tokenType: 'Bearer', expiresAt: now + (body.expires_in ?? TRUSTPAY_FALLBACK_LIFETIME) * 1000 };
    },
  });
}

function trustpayError(request: HttpRequest, response: HttpResponse, now: number): TokenError {
  const info = parseErrorBody(response, ErrorBody)?.ResultInfo;
  const detail = info && [`ResultCode ${info.ResultCode}`, info.AdditionalInfo, info.CorrelationId && `correlation ${info.CorrelationId}`].filter(Boolean).join(': ');
  return errorFromResponse(request, response, { code: response.status === 400 ? 'invalid_request' : undefined, detail }, now);
}

/** The provider's descriptor (docs/providers.md#adding-a-provider). */
export const TRUSTPAY_PROVIDER: ProviderDescriptor = /* @__PURE__ */ defineProvider(trustpay, {
  name: 'trustpay',
  prismNumber: 78,
  emulatorPrefix: 'trustpay',
  hosts: TRUSTPAY_HOSTS,
  credentials: { projectId: 'TRUSTPAY_PROJECT_ID', secretKey: 'TRUSTPAY_SECRET_KEY' },
  identifiers: ['projectId'],
});
