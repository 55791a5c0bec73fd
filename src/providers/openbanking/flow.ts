import { authorizationCode, clientCredentials, TokenError, type RefreshTokenHook, type TokenFlow } from '../../core/index.js';
import { configError, requireString } from '../../core/kit.js';
import { checkOptions, fetchOption, resolveBase, type Environment, type ProviderOptions } from '../_shared.js';
import { defineProvider, type ProviderDescriptor } from '../descriptor.js';

const PROVIDER = 'openbanking';

/** Auth hosts (the token endpoint lives there; the API hosts are `api.` instead of `auth.`). */
export const OPEN_BANKING_PLATFORM_HOSTS: Readonly<Record<Environment, string>> = {
  sandbox: 'https://auth.sandbox.openbankingplatform.com',
  production: 'https://auth.openbankingplatform.com',
};

/** API scopes a token may combine. @see docs/providers.md#open-banking-platform */
export const OPEN_BANKING_API_SCOPES: readonly string[] = ['aspspinformation', 'accountinformation', 'paymentinitiation', 'bankgiroinformation'];
/** PSU contexts: a token is for exactly one of them. */
export const OPEN_BANKING_PSU_CONTEXTS: readonly string[] = ['private', 'corporate'];

export interface OpenBankingPlatformOptions extends ProviderOptions {
  clientId: string;
  clientSecret: string;
  /** API scopes plus one PSU context, e.g. `"accountinformation private"` or `['accountinformation', 'private']`. */
  scope: string | readonly string[];
}

/**
 * Open Banking Platform's client credentials token: id and secret in the form body. The scope is
 * checked against the platform's vocabulary before any request (`invalid_scope`). Server-only.
 * @see docs/providers.md#open-banking-platform
 * @example
 * const flow = openBankingPlatform({ clientId, clientSecret: env.OBP_SECRET, scope: 'accountinformation private' });
 */
export function openBankingPlatform(options: OpenBankingPlatformOptions): TokenFlow {
  checkOptions(PROVIDER, options, 'clientId clientSecret scope');
  const scope = openBankingScope(options.scope);
  return clientCredentials({
    provider: PROVIDER,
    tokenUrl: tokenUrl(options),
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    scope,
    auth: 'client_secret_post',
    ...fetchOption(PROVIDER, options),
  });
}

/** The resource the user authorised in the SCA redirect: a consent or a payment (never both). */
export type OpenBankingAuthorisation =
  | { consentId: string; consentAuthorisationId: string; paymentId?: undefined; paymentAuthorisationId?: undefined }
  | { paymentId: string; paymentAuthorisationId: string; consentId?: undefined; consentAuthorisationId?: undefined };

export type OpenBankingPlatformAuthorizationCodeOptions = OpenBankingPlatformOptions &
  OpenBankingAuthorisation & {
    /** The code from the SCA redirect. Single use. */
    code: string;
    /** The redirect URI the authorisation was started with. */
    redirectUri: string;
    /** Persist a refresh token here, should the platform return one. */
    onRefreshToken?: RefreshTokenHook | undefined;
  };

/**
 * Exchanges the code of a redirect SCA at the same token endpoint, naming the consent (`X-ConsentId`,
 * `X-ConsentAuthorisationId`) or payment (`X-PaymentId`, `X-PaymentAuthorisationId`) it authorises.
 * The code is spent on first use: once its token expires, the user has to authorise again.
 * @see docs/providers.md#open-banking-platform (redirect SCA)
 */
export function openBankingPlatformAuthorizationCode(options: OpenBankingPlatformAuthorizationCodeOptions): TokenFlow {
  checkOptions(PROVIDER, options, 'clientId clientSecret scope code redirectUri onRefreshToken consentId consentAuthorisationId paymentId paymentAuthorisationId');
  const scope = openBankingScope(options.scope);
  return authorizationCode({
    provider: PROVIDER,
    tokenUrl: tokenUrl(options),
    clientId: options.clientId,
    clientSecret: requireString(PROVIDER, 'clientSecret', options.clientSecret),
    code: options.code,
    redirectUri: requireString(PROVIDER, 'redirectUri', options.redirectUri),
    auth: 'client_secret_post',
    extraParams: { scope },
    headers: authorisationHeaders(options),
    ...(options.onRefreshToken === undefined ? {} : { onRefreshToken: options.onRefreshToken }),
    ...fetchOption(PROVIDER, options),
  });
}

/**
 * Validates a scope against the platform's vocabulary: at least one API scope, exactly one PSU
 * context, nothing else. Returns it space-separated.
 * @throws TokenError `invalid_scope`, before any request
 */
export function openBankingScope(scope: string | readonly string[]): string {
  const fail = (problem: string): TokenError =>
    new TokenError('invalid_scope', `${PROVIDER}: scope ${problem} (API scopes: ${OPEN_BANKING_API_SCOPES.join(', ')}; one context: private or corporate)`, { provider: PROVIDER });
  const parts: unknown[] | undefined =
    typeof scope === 'string' ? scope.split(/\s+/).filter(Boolean) : Array.isArray(scope) ? [...(scope as unknown[])] : undefined;
  if (parts === undefined || !parts.every((part): part is string => typeof part === 'string')) throw fail('must be a string or an array of strings');
  const unknown = parts.filter((part) => !OPEN_BANKING_API_SCOPES.includes(part) && !OPEN_BANKING_PSU_CONTEXTS.includes(part));
  // Only vocabulary words are quoted back: anything else might be a misplaced secret.
  if (unknown.length > 0) throw fail(`has ${unknown.length} unknown value(s)`);
  if (new Set(parts).size !== parts.length) throw fail('repeats a value');
  if (!parts.some((part) => OPEN_BANKING_API_SCOPES.includes(part))) throw fail('names no API scope');
  const contexts = parts.filter((part) => OPEN_BANKING_PSU_CONTEXTS.includes(part));
  if (contexts.length !== 1) throw fail(contexts.length === 0 ? 'names no PSU context' : 'names both PSU contexts (one token per context)');
  return parts.join(' ');
}

function tokenUrl(options: ProviderOptions): string {
  return `${resolveBase(PROVIDER, OPEN_BANKING_PLATFORM_HOSTS, options)}/connect/token`;
}

function authorisationHeaders(options: OpenBankingAuthorisation): Record<string, string> {
  const consent = options.consentId !== undefined || options.consentAuthorisationId !== undefined;
  const payment = options.paymentId !== undefined || options.paymentAuthorisationId !== undefined;
  if (consent === payment) {
    throw configError(PROVIDER, 'consentId', 'and consentAuthorisationId, or paymentId and paymentAuthorisationId, are required (one pair, not both)');
  }
  return consent
    ? {
        'X-ConsentId': requireString(PROVIDER, 'consentId', options.consentId),
        'X-ConsentAuthorisationId': requireString(PROVIDER, 'consentAuthorisationId', options.consentAuthorisationId),
      }
    : {
        'X-PaymentId': requireString(PROVIDER, 'paymentId', options.paymentId),
        'X-PaymentAuthorisationId': requireString(PROVIDER, 'paymentAuthorisationId', options.paymentAuthorisationId),
      };
}

/** The provider's descriptor (docs/providers.md#adding-a-provider). */
export const OPEN_BANKING_PLATFORM_PROVIDER: ProviderDescriptor = /* @__PURE__ */ defineProvider(openBankingPlatform, {
  name: 'openBankingPlatform',
  emulatorPrefix: 'openbanking',
  hosts: OPEN_BANKING_PLATFORM_HOSTS,
  credentials: { clientId: 'OPEN_BANKING_CLIENT_ID', clientSecret: 'OPEN_BANKING_CLIENT_SECRET' },
  identifiers: ['clientId'],
  scope: 'required',
});
