// The registry entries whose refresh tokens the vault holds: CyberSource (a code once, then a refresh
// token that rotates on every refresh) and any RFC 6749 server reached through an authorization code.
// Each entry's `create` is the refresh flow (given `refreshToken`); `vault` says how to onboard.
import * as v from 'valibot';
import { authorizationCode, refreshTokenFlow, type TokenFlow } from '../../core/index.js';
import { CYBERSOURCE_PROVIDER, cybersource } from '../../providers/cybersource/flow.js';
import { BindingName } from '../config/schema.js';
import type { FlowInput, ProviderEntry } from '../config/registry.js';
import { withQuery, type VaultGrant } from './grants.js';

/**
 * CyberSource's Business Center authorize page ("Redirect the Merchant"). The test host is documented;
 * the production one is the same path on the production Business Center host (unverified): set
 * `authorizeUrl` if yours differs.
 */
export const CYBERSOURCE_AUTHORIZE_URLS: Readonly<Record<'sandbox' | 'production', string>> = {
  sandbox: 'https://businesscentertest.cybersource.com/ebc2/oauth/authorize',
  production: 'https://businesscenter.cybersource.com/ebc2/oauth/authorize',
};

const Url = v.pipe(v.string(), v.url('must be an absolute URL'));

/** Options every vault entry takes. */
const VaultOptions = {
  /** The provider's authorize page, replacing the documented one. */
  authorizeUrl: v.optional(Url),
  /** The callback URL registered with the provider. Default: the Worker's own `/v1/vault/{profile}/callback`. */
  redirectUri: v.optional(Url),
  /** The secret that may seed the first refresh token. */
  seedSecret: v.optional(BindingName),
};

const CyberSourceSchema = v.strictObject({
  environment: v.optional(v.picklist(['sandbox', 'production'], 'must be "sandbox" or "production"')),
  baseUrl: v.optional(Url),
  /** An `[[mtls_certificates]]` binding: production's token endpoint requires mutual TLS. */
  mtlsBinding: v.optional(BindingName),
  ...VaultOptions,
});
type CyberSourceInput = FlowInput<v.InferOutput<typeof CyberSourceSchema>>;

const AuthorizationCodeSchema = v.strictObject({
  tokenUrl: v.optional(Url),
  scope: v.optional(v.string()),
  auth: v.optional(v.picklist(['client_secret_basic', 'client_secret_post'], 'must be "client_secret_basic" or "client_secret_post"')),
  /** PKCE (S256) on the authorize request. Default true: RFC 9700 asks for it. */
  pkce: v.optional(v.boolean()),
  ...VaultOptions,
});
type AuthorizationCodeInput = FlowInput<v.InferOutput<typeof AuthorizationCodeSchema>>;

/** The fields that are set (exactOptionalPropertyTypes keeps absent options absent). */
const defined = <T extends Record<string, unknown>>(object: T): { [K in keyof T]?: Exclude<T[K], undefined> } =>
  Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };

function cybersourceCommon(input: CyberSourceInput) {
  return {
    ...defined({ environment: input.options.environment, baseUrl: input.baseUrl ?? input.options.baseUrl, fetch: input.fetch }),
    clientId: input.credentials.clientId ?? '',
    clientSecret: input.credentials.clientSecret ?? '',
  };
}

const cybersourceGrant: VaultGrant = {
  seedSecret: 'CYBERSOURCE_REFRESH_TOKEN',
  // The Business Center page takes no PKCE (sub, client_id, redirect_url, state).
  pkce: false,
  authorizeUrl(raw, request) {
    const input = raw as CyberSourceInput;
    const base =
      request.emulatorBase === undefined
        ? (input.options.authorizeUrl ?? CYBERSOURCE_AUTHORIZE_URLS[input.options.environment ?? 'sandbox'])
        : `${request.emulatorBase}/ebc2/oauth/authorize`;
    return withQuery(base, { sub: 'oauth', client_id: input.credentials.clientId, redirect_url: request.redirectUri, state: request.state });
  },
  exchange: (raw, code) => cybersource({ ...cybersourceCommon(raw as CyberSourceInput), code: code.code }),
};

function tokenUrl(input: AuthorizationCodeInput): string {
  return input.baseUrl === undefined ? (input.options.tokenUrl ?? '') : `${input.baseUrl}/token`;
}

const authorizationCodeGrant: VaultGrant = {
  seedSecret: 'OAUTH2_REFRESH_TOKEN',
  pkce: true,
  authorizeUrl(raw, request) {
    const input = raw as AuthorizationCodeInput;
    const base = request.emulatorBase === undefined ? input.options.authorizeUrl : `${request.emulatorBase}/authorize`;
    if (base === undefined) throw new TypeError('authorizeUrl is not set');
    const pkce = request.codeChallenge === undefined ? {} : { code_challenge: request.codeChallenge, code_challenge_method: 'S256' };
    return withQuery(base, { response_type: 'code', client_id: input.credentials.clientId, redirect_uri: request.redirectUri, state: request.state, scope: input.options.scope, ...pkce });
  },
  exchange(raw, code) {
    const input = raw as AuthorizationCodeInput;
    return authorizationCode({
      ...defined({ auth: input.options.auth, fetch: input.fetch, codeVerifier: code.codeVerifier, clientSecret: input.credentials.clientSecret }),
      tokenUrl: tokenUrl(input),
      clientId: input.credentials.clientId ?? '',
      code: code.code,
      redirectUri: code.redirectUri,
    });
  },
};

function vaultEntry<S extends v.GenericSchema>(spec: {
  secrets: Readonly<Record<string, string>>;
  options: S;
  emulatorPrefix: string;
  environments: boolean;
  vault: VaultGrant;
  create(input: FlowInput<v.InferOutput<S>>, refreshToken: string): TokenFlow;
}): ProviderEntry {
  return { ...spec, create: (input) => spec.create(input as FlowInput<v.InferOutput<S>>, input.refreshToken ?? '') };
}

/**
 * Entries whose grant starts with an authorization code; session mode only (their tokens are server-only).
 * A provider's entry here (by its descriptor's name) replaces the one the registry would derive.
 */
export const VAULT_PROVIDERS: Readonly<Record<string, ProviderEntry>> = {
  cybersource: vaultEntry({
    secrets: CYBERSOURCE_PROVIDER.credentials,
    options: CyberSourceSchema,
    emulatorPrefix: CYBERSOURCE_PROVIDER.emulatorPrefix,
    environments: true,
    vault: cybersourceGrant,
    create: (input, refreshToken) => cybersource({ ...cybersourceCommon(input), refreshToken }),
  }),
  /** Any RFC 6749 server: authorization code (+PKCE), then refresh tokens (rotating or not). */
  authorizationCode: vaultEntry({
    secrets: { clientId: 'OAUTH2_CLIENT_ID', clientSecret: 'OAUTH2_CLIENT_SECRET' },
    options: AuthorizationCodeSchema,
    emulatorPrefix: 'oauth2',
    environments: false,
    vault: authorizationCodeGrant,
    create: (input, refreshToken) =>
      refreshTokenFlow({
        ...defined({ auth: input.options.auth, fetch: input.fetch, clientSecret: input.credentials.clientSecret, scope: input.options.scope }),
        tokenUrl: tokenUrl(input),
        clientId: input.credentials.clientId ?? '',
        refreshToken,
      }),
  }),
};
