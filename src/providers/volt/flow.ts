import * as v from 'valibot';
import type { TokenError, TokenFlow } from '../../core/index.js';
import { errorFromResponse, flowKey, optionalFunction, processTokenResponse, requireString, type HttpRequest, type HttpResponse } from '../../core/kit.js';
import { checkOptions, jsonRequest, parseErrorBody, providerFlow, resolveBase, type Environment, type ProviderOptions } from '../_shared.js';
import { defineProvider, type ProviderDescriptor } from '../descriptor.js';

const PROVIDER = 'volt';

/** @see docs/providers.md#volt */
export const VOLT_HOSTS: Readonly<Record<Environment, string>> = {
  sandbox: 'https://gateway.sandbox.volt.io',
  production: 'https://gateway.volt.io',
};

export interface VoltOptions extends ProviderOptions {
  /** The API user's name (Volt Fuzebox → API access). */
  username: string;
  password: string;
  /** The application's client id and secret. */
  clientId: string;
  clientSecret: string;
}

/**
 * The login error: `{ code, message }` with a numeric code (Prism reads it as `VoltAuthErrorResponse`);
 * its messages are unverified. An RFC 6749 body is read too, should the server send one.
 */
const ErrorBody = v.object({
  code: v.optional(v.union([v.number(), v.string()])),
  message: v.optional(v.string()),
  error: v.optional(v.string()),
  error_description: v.optional(v.string()),
});

/**
 * Volt's token: the resource-owner password grant as a JSON body (`grant_type=password`, client id and
 * secret, API user name and password), answered the RFC 6749 way. Volt also returns a refresh token; the
 * flow signs in again with the password grant instead, so it is not kept. Server-only.
 * @see docs/providers.md#volt; RFC 6749 §4.3
 * @example
 * const source = store.source(volt({ username, password: env.VOLT_PASSWORD, clientId, clientSecret: env.VOLT_SECRET }));
 */
export function volt(options: VoltOptions): TokenFlow {
  checkOptions(PROVIDER, options, 'username password clientId clientSecret');
  const username = requireString(PROVIDER, 'username', options.username);
  const password = requireString(PROVIDER, 'password', options.password);
  const clientId = requireString(PROVIDER, 'clientId', options.clientId);
  const clientSecret = requireString(PROVIDER, 'clientSecret', options.clientSecret);
  const url = `${resolveBase(PROVIDER, VOLT_HOSTS, options)}/oauth`;
  const body = { grant_type: 'password', client_id: clientId, client_secret: clientSecret, username, password };
  const request = jsonRequest(PROVIDER, url, body, {}, [clientSecret, password]);
  return providerFlow({
    provider: PROVIDER,
    key: flowKey('password', url, clientId, [clientSecret, username, password]),
    fetch: optionalFunction(PROVIDER, 'fetch', options.fetch),
    request: () => request,
    process(request, response, now) {
      if (response.status !== 200) throw voltError(request, response, now);
      const token = processTokenResponse(request, response, { now });
      delete token.refreshToken;
      delete token.refreshTokenExpiresAt;
      return token;
    },
  });
}

function voltError(request: HttpRequest, response: HttpResponse, now: number): TokenError {
  const body = parseErrorBody(response, ErrorBody);
  const detail = body && [body.error ?? body.code, body.message ?? body.error_description].filter((part) => part !== undefined).join(': ');
  const code = body?.error ?? (response.status === 400 ? 'invalid_request' : undefined);
  return errorFromResponse(request, response, { code, detail }, now);
}

/** The provider's descriptor (docs/providers.md#adding-a-provider). */
export const VOLT_PROVIDER: ProviderDescriptor = /* @__PURE__ */ defineProvider(volt, {
  name: 'volt',
  prismNumber: 80,
  emulatorPrefix: 'volt',
  hosts: VOLT_HOSTS,
  credentials: { clientId: 'VOLT_CLIENT_ID', clientSecret: 'VOLT_CLIENT_SECRET', username: 'VOLT_USERNAME', password: 'VOLT_PASSWORD' },
  identifiers: ['clientId', 'username'],
});
