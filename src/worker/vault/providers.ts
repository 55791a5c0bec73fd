// The registry entries whose refresh tokens the vault holds: each provider whose descriptor has a
// `codeGrant` (CyberSource: a code once, then a refresh token that rotates on every refresh), built from
// it, and any RFC 6749 server reached through an authorization code. Each entry's `create` is the refresh
// flow (given `refreshToken`); `vault` says how to onboard.
import * as v from 'valibot';
import { authorizationCode, refreshTokenFlow, type TokenFlow } from '../../core/index.js';
import { CODE_GRANT_PROVIDERS, type CodeGrant, type FlowRequest, type ProviderDescriptor } from '../../providers/index.js';
import { BindingName } from '../config/schema.js';
import { defined, type FlowInput, type ProviderEntry } from '../config/registry.js';
import { withQuery, type VaultGrant } from './grants.js';

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

/** A code-grant provider's profile options. */
const CodeGrantSchema = v.strictObject({
  environment: v.optional(v.picklist(['sandbox', 'production'], 'must be "sandbox" or "production"')),
  baseUrl: v.optional(Url),
  /** An `[[mtls_certificates]]` binding, for a token endpoint that requires mutual TLS (CyberSource's production one). */
  mtlsBinding: v.optional(BindingName),
  ...VaultOptions,
});
type CodeGrantInput = FlowInput<v.InferOutput<typeof CodeGrantSchema>>;

const AuthorizationCodeSchema = v.strictObject({
  tokenUrl: v.optional(Url),
  scope: v.optional(v.string()),
  auth: v.optional(v.picklist(['client_secret_basic', 'client_secret_post'], 'must be "client_secret_basic" or "client_secret_post"')),
  /** PKCE (S256) on the authorize request. Default true: RFC 9700 asks for it. */
  pkce: v.optional(v.boolean()),
  ...VaultOptions,
});
type AuthorizationCodeInput = FlowInput<v.InferOutput<typeof AuthorizationCodeSchema>>;

/** The `code_challenge` parameters of an authorize request that carries one. */
const challenge = (codeChallenge: string | undefined): Record<string, string> => (codeChallenge === undefined ? {} : { code_challenge: codeChallenge, code_challenge_method: 'S256' });

/** A code-grant descriptor's flow request: the profile's credentials plus the grant's start (a code or a refresh token). */
function flowRequest(input: CodeGrantInput, start: Readonly<Record<string, string | undefined>>): FlowRequest {
  return { credentials: { ...input.credentials, ...defined(start) }, environment: input.options.environment, baseUrl: input.baseUrl ?? input.options.baseUrl, fetch: input.fetch };
}

/** The onboarding of a descriptor's `codeGrant`: its authorize page, then its flow given the code. */
function codeGrantVault(descriptor: ProviderDescriptor, grant: CodeGrant): VaultGrant {
  return {
    seedSecret: grant.seedSecret,
    pkce: grant.pkce,
    authorizeUrl(raw, request) {
      const input = raw as CodeGrantInput;
      // The dev emulator serves the page under the documented path.
      const base =
        request.emulatorBase === undefined
          ? (input.options.authorizeUrl ?? grant.authorizeUrls[input.options.environment ?? 'sandbox'])
          : `${request.emulatorBase}${new URL(grant.authorizeUrls.sandbox).pathname}`;
      const query = grant.authorizeQuery({ clientId: input.credentials.clientId ?? '', redirectUri: request.redirectUri, state: request.state });
      return withQuery(base, { ...query, ...(grant.pkce ? challenge(request.codeChallenge) : {}) });
    },
    // The code, the callback URL and the PKCE verifier reach the flow if it reads them (its descriptor's fields).
    exchange: (raw, code) => descriptor.flow(flowRequest(raw as CodeGrantInput, { code: code.code, redirectUri: code.redirectUri, codeVerifier: code.codeVerifier })),
  };
}

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
    return withQuery(base, { response_type: 'code', client_id: input.credentials.clientId, redirect_uri: request.redirectUri, state: request.state, scope: input.options.scope, ...challenge(request.codeChallenge) });
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

/** The entries of descriptors with a `codeGrant`, by name: each one's secrets and emulator, its onboarding, and its flow given the refresh token. */
export function codeGrantEntries(descriptors: readonly ProviderDescriptor[]): Record<string, ProviderEntry> {
  return Object.fromEntries(descriptors.map((descriptor) => [descriptor.name, codeGrantEntry(descriptor)]));
}

function codeGrantEntry(descriptor: ProviderDescriptor): ProviderEntry {
  if (descriptor.codeGrant === undefined) throw new TypeError(`${descriptor.name} is listed as a code grant but its descriptor has no codeGrant`);
  return vaultEntry({
    secrets: descriptor.credentials,
    options: CodeGrantSchema,
    emulatorPrefix: descriptor.emulatorPrefix,
    environments: true,
    vault: codeGrantVault(descriptor, descriptor.codeGrant),
    create: (input, refreshToken) => descriptor.flow(flowRequest(input, { refreshToken })),
  });
}

/**
 * Entries whose grant starts with an authorization code; session mode only (their tokens are server-only).
 * A provider's entry here (by its descriptor's name) replaces the one the registry would derive.
 */
export const VAULT_PROVIDERS: Readonly<Record<string, ProviderEntry>> = {
  ...codeGrantEntries(CODE_GRANT_PROVIDERS),
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
