// Open Banking Platform's token endpoint (IdentityServer-style `/connect/token`): client credentials
// with the scope vocabulary enforced, and the authorization code of a redirect SCA.
// @see docs/providers.md#open-banking-platform
import { CODE_REFUSALS, CodeBook, authenticateClient } from '../../emulator/client-auth.js';
import { fakeJwt, hasMediaType, json, oauthError, oauthTokenAnswer } from '../../emulator/respond.js';
import type { EmulatorEntry, EmulatorEnv, ProviderEmulator, RecordedRequest } from '../../emulator/types.js';

export interface OpenBankingEmulatorOptions {
  /** client_id → client_secret. Default: the demo client. */
  clients?: Readonly<Record<string, string>>;
  /** Access token lifetime in seconds. Default 3600 (documented). */
  expiresIn?: number;
  /** Authorization code lifetime in seconds. Default 600. */
  codeLifetime?: number;
}

/** What a PSU authorised in the SCA redirect: the code is bound to it. */
export type OpenBankingGrant = { clientId?: string; redirectUri: string } & (
  | { consentId: string; consentAuthorisationId: string }
  | { paymentId: string; paymentAuthorisationId: string }
);

export interface OpenBankingEmulator extends ProviderEmulator {
  readonly prefix: 'openbanking';
  /** Completes an SCA redirect as the PSU would and returns the authorization code. */
  authorize(grant: OpenBankingGrant): string;
}

export const OPEN_BANKING_DEMO: { clientId: string; clientSecret: string } = { clientId: 'obp-demo-client', clientSecret: 'obp-demo-secret' };

const API_SCOPES = new Set(['aspspinformation', 'accountinformation', 'paymentinitiation', 'bankgiroinformation']);
const CONTEXTS = new Set(['private', 'corporate']);

/** The platform's rule: known words only, at least one API scope, exactly one PSU context. */
function validScope(scope: string): boolean {
  const parts = scope.split(' ').filter(Boolean);
  const contexts = parts.filter((part) => CONTEXTS.has(part)).length;
  return parts.length > 0 && parts.every((part) => API_SCOPES.has(part) || CONTEXTS.has(part)) && contexts === 1 && parts.some((part) => API_SCOPES.has(part));
}

export function createOpenBankingEmulator(options: OpenBankingEmulatorOptions | undefined, env: EmulatorEnv): OpenBankingEmulator {
  options ??= {};
  const clients = options.clients ?? { [OPEN_BANKING_DEMO.clientId]: OPEN_BANKING_DEMO.clientSecret };
  const expiresIn = options.expiresIn ?? 3600;
  const codes = new CodeBook<OpenBankingGrant & { clientId: string }>((options.codeLifetime ?? 600) * 1000);

  const issue = (clientId: string, scope: string): Response => {
    const iat = Math.floor(env.now() / 1000);
    const accessToken = fakeJwt({ iss: 'openbanking-emulator', client_id: clientId, scope, iat, exp: iat + expiresIn });
    return json(200, { access_token: accessToken, expires_in: expiresIn, token_type: 'Bearer', scope });
  };

  /** Checks the code and that the request names the same redirect URI and consent/payment as the SCA. */
  const exchange = (request: RecordedRequest, form: URLSearchParams, clientId: string, scope: string): Response => {
    const code = form.get('code');
    const redirectUri = form.get('redirect_uri');
    if (!code || !redirectUri) return oauthError(400, 'invalid_request', 'code and redirect_uri are required');
    const redeemed = codes.redeem(code, env.now());
    if ('refused' in redeemed) return oauthError(400, 'invalid_grant', CODE_REFUSALS[redeemed.refused]);
    const grant = redeemed.binding;
    if (grant.clientId !== clientId || grant.redirectUri !== redirectUri) return oauthError(400, 'invalid_grant', 'authorization code was issued to another client or redirect_uri');
    const [idHeader, authHeader, id, auth] =
      'consentId' in grant
        ? ['x-consentid', 'x-consentauthorisationid', grant.consentId, grant.consentAuthorisationId]
        : ['x-paymentid', 'x-paymentauthorisationid', grant.paymentId, grant.paymentAuthorisationId];
    const sentId = request.headers[idHeader];
    const sentAuth = request.headers[authHeader];
    if (sentId === undefined || sentAuth === undefined) return oauthError(400, 'invalid_request', `headers ${idHeader} and ${authHeader} are required`);
    if (sentId !== id || sentAuth !== auth) return oauthError(400, 'invalid_grant', 'authorization code does not belong to this authorisation');
    return issue(clientId, scope);
  };

  const handle = (request: RecordedRequest, path: string): Response => {
    if (path !== '/connect/token') return json(404, { error: 'not_found' });
    if (request.method !== 'POST') return oauthError(405, 'invalid_request', 'POST required');
    if (!hasMediaType(request.headers['content-type'], 'application/x-www-form-urlencoded')) return oauthError(400, 'invalid_request', 'form body required');
    const form = new URLSearchParams(request.body);
    // IdentityServer answers a failed client authentication with 400, not 401.
    const clientId = authenticateClient(request, form, clients, ['client_secret_post', 'client_secret_basic']);
    if (clientId === undefined) return oauthError(400, 'invalid_client');
    const grantType = form.get('grant_type');
    if (grantType !== 'client_credentials' && grantType !== 'authorization_code') return oauthError(400, 'unsupported_grant_type');
    const scope = form.get('scope') ?? '';
    if (!validScope(scope)) return oauthError(400, 'invalid_scope');
    return grantType === 'client_credentials' ? issue(clientId, scope) : exchange(request, form, clientId, scope);
  };

  return {
    prefix: 'openbanking',
    handle,
    authorize: (grant) => codes.issue({ ...grant, clientId: grant.clientId ?? OPEN_BANKING_DEMO.clientId }, env.now()),
    errorResponse: (status) => oauthError(status, status >= 500 || status === 429 ? 'temporarily_unavailable' : 'invalid_request', 'injected failure'),
    reset: () => codes.clear(),
  };
}

/** Its entry in the emulators' list (src/emulator/providers.ts, written from src/providers/list.ts): how it is made, what it accepts, what its token endpoint answers. */
export const OPEN_BANKING_EMULATOR: EmulatorEntry<OpenBankingEmulator, OpenBankingEmulatorOptions, 'clientId' | 'clientSecret'> = {
  create: createOpenBankingEmulator,
  demo: () => ({ credentials: OPEN_BANKING_DEMO, scope: 'accountinformation private' }),
  accepting: ({ clientId, clientSecret }) => ({ clients: { [clientId]: clientSecret } }),
  tokenAnswers: [oauthTokenAnswer('/connect/token')],
};
