import * as v from 'valibot';
import type { TokenError, TokenFlow } from '../../core/index.js';
import { errorFromResponse, flowKey, invalidResponse, optionalFunction, parseJson, requireString, validateBody, type HttpRequest, type HttpResponse } from '../../core/kit.js';
import { absoluteExpiry, checkOptions, ExpiresAt, jsonRequest, parseErrorBody, providerFlow, resolveBase, type Environment, type ProviderOptions } from '../_shared.js';
import { defineProvider, type ProviderDescriptor } from '../descriptor.js';

const PROVIDER = 'airwallex';

/** @see docs/providers.md#airwallex */
export const AIRWALLEX_HOSTS: Readonly<Record<Environment, string>> = {
  sandbox: 'https://api-demo.airwallex.com',
  production: 'https://api.airwallex.com',
};

export interface AirwallexOptions extends ProviderOptions {
  /** Sent as the `x-client-id` header. */
  clientId: string;
  /** Sent as the `x-api-key` header. */
  apiKey: string;
}

/** `{ token, expires_at }`, `expires_at` an ISO time such as `2026-06-01T12:30:00+0000`. */
const SuccessBody = v.object({ token: v.pipe(v.string(), v.minLength(1)), expires_at: ExpiresAt });

/** `{ code, message, source? }`. */
const ErrorBody = v.object({ code: v.string(), message: v.optional(v.string()) });

// Codes meaning "wrong client id or API key". Unverified: the docs show the `{ code, message }` shape
// but no list of login codes; these are the codes the emulator uses, kept here in one place.
const CREDENTIAL_ERRORS: ReadonlySet<string> = new Set(['credentials_invalid', 'unauthorized']);

/**
 * Airwallex's login: an empty JSON POST authenticated by the `x-client-id` and `x-api-key` headers,
 * answered (201) with a token and its absolute expiry (30 minutes). The expiry is read against the
 * response's `Date`, so a skewed local clock does not matter. Server-only.
 * @see docs/providers.md#airwallex
 * @example
 * const source = store.source(airwallex({ clientId, apiKey: env.AIRWALLEX_API_KEY }));
 */
export function airwallex(options: AirwallexOptions): TokenFlow {
  checkOptions(PROVIDER, options, 'clientId apiKey');
  const clientId = requireString(PROVIDER, 'clientId', options.clientId);
  const apiKey = requireString(PROVIDER, 'apiKey', options.apiKey);
  const url = `${resolveBase(PROVIDER, AIRWALLEX_HOSTS, options)}/api/v1/authentication/login`;
  const request = jsonRequest(PROVIDER, url, {}, { 'x-client-id': clientId, 'x-api-key': apiKey }, [apiKey]);
  return providerFlow({
    provider: PROVIDER,
    key: flowKey('airwallex_login', url, clientId, [apiKey]),
    fetch: optionalFunction(PROVIDER, 'fetch', options.fetch),
    request: () => request,
    process(request, response, now) {
      if (response.status !== 200 && response.status !== 201) throw airwallexError(request, response, now);
      const body = validateBody(request, response, SuccessBody, parseJson(request, response));
      const expiresAt = absoluteExpiry(body.expires_at, response.headers.get('date'), now);
      if (!(expiresAt > now)) throw invalidResponse(request, response, 'a token that has already expired (check the clocks)');
      return { accessToken: body.token, tokenType: 'Bearer', expiresAt };
    },
  });
}

function airwallexError(request: HttpRequest, response: HttpResponse, now: number): TokenError {
  const body = parseErrorBody(response, ErrorBody);
  const code = body && CREDENTIAL_ERRORS.has(body.code) ? 'invalid_client' : response.status === 400 ? 'invalid_request' : body?.code;
  return errorFromResponse(request, response, { code, detail: body && [body.code, body.message].filter(Boolean).join(': ') }, now);
}

/** The provider's descriptor (docs/providers.md#adding-a-provider). */
export const AIRWALLEX_PROVIDER: ProviderDescriptor = /* @__PURE__ */ defineProvider(airwallex, {
  name: 'airwallex',
  prismNumber: 4,
  emulatorPrefix: 'airwallex',
  hosts: AIRWALLEX_HOSTS,
  credentials: { clientId: 'AIRWALLEX_CLIENT_ID', apiKey: 'AIRWALLEX_API_KEY' },
  identifiers: ['clientId'],
});
