import * as v from 'valibot';
import type { TokenError, TokenFlow } from '../../core/index.js';
import { errorFromResponse, flowKey, invalidResponse, optionalFunction, parseJson, requireString, validateBody, type HttpRequest, type HttpResponse } from '../../core/kit.js';
import { absoluteExpiry, checkOptions, ExpiresAt, jsonRequest, parseErrorBody, providerFlow, resolveBase, type Environment, type ProviderOptions } from '../_shared.js';
import { defineProvider, type ProviderDescriptor } from '../descriptor.js';

const PROVIDER = 'pinelabs';

/** Pine Labs Online (Plural). @see docs/providers.md#pine-labs */
export const PINELABS_HOSTS: Readonly<Record<Environment, string>> = {
  sandbox: 'https://pluraluat.v2.pinepg.in',
  production: 'https://api.pluralpay.in',
};

export interface PineLabsOptions extends ProviderOptions {
  clientId: string;
  clientSecret: string;
}

/** `{ access_token, expires_at }`, `expires_at` an ISO time (or Unix seconds). */
const SuccessBody = v.object({
  access_token: v.pipe(v.string(), v.minLength(1)),
  expires_at: ExpiresAt,
  token_type: v.optional(v.pipe(v.string(), v.regex(/^bearer$/i))),
});

/**
 * `{ code, message }`. Unverified beyond that shape: the codes below (wrong credentials) are the ones
 * the emulator uses, kept here in one place.
 */
const ErrorBody = v.object({ code: v.string(), message: v.optional(v.string()) });
const CREDENTIAL_ERRORS: ReadonlySet<string> = new Set(['UNAUTHORIZED', 'INVALID_CLIENT', 'INVALID_CREDENTIALS']);

/**
 * Pine Labs Online's token: a JSON body with client id, secret and `grant_type=client_credentials`,
 * answered with the token and its absolute expiry (read against the response's `Date`). Server-only.
 * @see docs/providers.md#pine-labs
 * @example
 * const source = store.source(pinelabs({ clientId, clientSecret: env.PINELABS_SECRET }));
 */
export function pinelabs(options: PineLabsOptions): TokenFlow {
  checkOptions(PROVIDER, options, 'clientId clientSecret');
  const clientId = requireString(PROVIDER, 'clientId', options.clientId);
  const clientSecret = requireString(PROVIDER, 'clientSecret', options.clientSecret);
  const url = `${resolveBase(PROVIDER, PINELABS_HOSTS, options)}/api/auth/v1/token`;
  const request = jsonRequest(PROVIDER, url, { client_id: clientId, client_secret: clientSecret, grant_type: 'client_credentials' }, {}, [clientSecret]);
  return providerFlow({
    provider: PROVIDER,
    key: flowKey('client_credentials', url, clientId, [clientSecret]),
    fetch: optionalFunction(PROVIDER, 'fetch', options.fetch),
    request: () => request,
    process(request, response, now) {
      if (response.status !== 200) throw pinelabsError(request, response, now);
      const body = validateBody(request, response, SuccessBody, parseJson(request, response));
      const expiresAt = absoluteExpiry(body.expires_at, response.headers.get('date'), now);
      if (!(expiresAt > now)) throw invalidResponse(request, response, 'a token that has already expired (check the clocks)');
      return { accessToken: body.access_token, tokenType: 'Bearer', expiresAt };
    },
  });
}

function pinelabsError(request: HttpRequest, response: HttpResponse, now: number): TokenError {
  const body = parseErrorBody(response, ErrorBody);
  const code = body && CREDENTIAL_ERRORS.has(body.code) ? 'invalid_client' : response.status === 400 ? 'invalid_request' : body?.code;
  return errorFromResponse(request, response, { code, detail: body && [body.code, body.message].filter(Boolean).join(': ') }, now);
}

/** The provider's descriptor (docs/providers.md#adding-a-provider). */
export const PINELABS_PROVIDER: ProviderDescriptor = /* @__PURE__ */ defineProvider(pinelabs, {
  name: 'pinelabs',
  prism: 'pinelabsOnline',
  prismNumber: 117,
  emulatorPrefix: 'pinelabs',
  hosts: PINELABS_HOSTS,
  credentials: { clientId: 'PINELABS_CLIENT_ID', clientSecret: 'PINELABS_CLIENT_SECRET' },
  identifiers: ['clientId'],
});
