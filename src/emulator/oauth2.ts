// A generic RFC 6749 token endpoint at `/oauth2/token`: client credentials, authorization code (+PKCE
// S256), refresh token with rotation, and RFC 8693 token exchange. The upstream for the core flows.
// Public clients (a browser or mobile app, no secret: RFC 6749 §2.1) identify themselves by `client_id`
// alone, must prove a S256 PKCE challenge (RFC 7636, as OAuth 2.1 requires of them), and get only the
// authorization code and refresh token grants.
// @see docs/providers.md#3-standards-the-generic-flows-follow
import { base64url, digestText } from '../core/kit.js';
import { CODE_REFUSALS, CodeBook, authenticateClient } from './client-auth.js';
import { hasMediaType, json, oauthError, randomToken } from './respond.js';
import type { EmulatorEnv, ProviderEmulator, RecordedRequest } from './types.js';

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';

export interface OAuth2EmulatorOptions {
  /** client_id → client_secret. Default: the demo client. */
  clients?: Readonly<Record<string, string>>;
  /** Public clients' ids (no secret, PKCE required). Default: the public demo client, `demo-spa`. */
  publicClients?: readonly string[];
  /** Access token lifetime in seconds. Default 3600. */
  expiresIn?: number;
  /** Refresh token lifetime in seconds. Default 86 400. */
  refreshTokenLifetime?: number;
  /** Authorization code lifetime in seconds. Default 600. */
  codeLifetime?: number;
  /** New refresh token on each refresh (the old one dies). Default true. */
  rotateRefreshTokens?: boolean;
}

export interface OAuth2Authorization {
  clientId?: string;
  redirectUri?: string;
  /** S256 challenge the exchange must prove with its `code_verifier`. */
  codeChallenge?: string;
  scope?: string;
}

export interface OAuth2Emulator extends ProviderEmulator {
  readonly prefix: 'oauth2';
  /** Completes an authorization as the user would, returning the code. */
  authorize(authorization?: OAuth2Authorization): string;
  revoke(refreshToken: string): void;
}

export const OAUTH2_DEMO: { clientId: string; clientSecret: string } = { clientId: 'demo-client', clientSecret: 'demo-secret' };
/** The demo public client: a browser app using the authorization code grant with PKCE. */
export const OAUTH2_PUBLIC_DEMO: { clientId: string } = { clientId: 'demo-spa' };

async function s256(verifier: string): Promise<string> {
  return base64url(await digestText('SHA-256', verifier));
}

export function createOAuth2Emulator(options: OAuth2EmulatorOptions | undefined, env: EmulatorEnv): OAuth2Emulator {
  options ??= {};
  const clients = options.clients ?? { [OAUTH2_DEMO.clientId]: OAUTH2_DEMO.clientSecret };
  const publicClients = new Set(options.publicClients ?? [OAUTH2_PUBLIC_DEMO.clientId]);
  const expiresIn = options.expiresIn ?? 3600;
  const refreshLifetime = (options.refreshTokenLifetime ?? 86_400) * 1000;
  const rotate = options.rotateRefreshTokens ?? true;
  const codes = new CodeBook<OAuth2Authorization & { clientId: string }>((options.codeLifetime ?? 600) * 1000);
  const refreshTokens = new Map<string, { clientId: string; scope: string | undefined; expiresAt: number }>();

  const issue = (clientId: string, scope: string | undefined, refresh: string | false, extra: Record<string, string> = {}): Response => {
    const body: Record<string, unknown> = { access_token: randomToken('at'), token_type: 'Bearer', expires_in: expiresIn, ...extra };
    if (scope) body.scope = scope;
    if (refresh) {
      refreshTokens.set(refresh, { clientId, scope, expiresAt: env.now() + refreshLifetime });
      body.refresh_token = refresh;
      body.refresh_token_expires_in = refreshLifetime / 1000;
    }
    return json(200, body);
  };

  const exchangeCode = async (form: URLSearchParams, clientId: string): Promise<Response> => {
    const redeemed = codes.redeem(form.get('code') ?? '', env.now());
    if ('refused' in redeemed) return oauthError(400, 'invalid_grant', CODE_REFUSALS[redeemed.refused]);
    const grant = redeemed.binding;
    if (grant.clientId !== clientId) return oauthError(400, 'invalid_grant', 'authorization code was issued to another client');
    if (grant.redirectUri !== undefined && form.get('redirect_uri') !== grant.redirectUri) return oauthError(400, 'invalid_grant', 'redirect_uri does not match');
    if (grant.codeChallenge !== undefined && (await s256(form.get('code_verifier') ?? '')) !== grant.codeChallenge) {
      return oauthError(400, 'invalid_grant', 'PKCE verification failed');
    }
    return issue(clientId, grant.scope, randomToken('rt'));
  };

  const refresh = (form: URLSearchParams, clientId: string): Response => {
    const token = form.get('refresh_token') ?? '';
    const entry = refreshTokens.get(token);
    if (entry === undefined || entry.clientId !== clientId || env.now() >= entry.expiresAt) return oauthError(400, 'invalid_grant', 'refresh token is invalid or expired');
    if (rotate) refreshTokens.delete(token);
    return issue(clientId, form.get('scope') ?? entry.scope, rotate ? randomToken('rt') : token);
  };

  /** The authorize endpoint, consent already given (RFC 6749 §4.1.1–4.1.2): a redirect with `code` and `state`. */
  const authorizeEndpoint = (request: RecordedRequest): Response => {
    const query = new URL(request.url).searchParams;
    const clientId = query.get('client_id') ?? '';
    const redirectUri = query.get('redirect_uri') ?? '';
    const challenge = query.get('code_challenge') ?? undefined;
    if (request.method !== 'GET') return oauthError(405, 'invalid_request', 'GET required');
    if (query.get('response_type') !== 'code' || !(Object.hasOwn(clients, clientId) || publicClients.has(clientId)) || !URL.canParse(redirectUri)) {
      return oauthError(400, 'invalid_request', 'response_type=code, a registered client_id and redirect_uri are required');
    }
    if (publicClients.has(clientId) && challenge === undefined) return oauthError(400, 'invalid_request', 'a public client must send a S256 code_challenge');
    if (challenge !== undefined && query.get('code_challenge_method') !== 'S256') return oauthError(400, 'invalid_request', 'code_challenge_method must be S256');
    const scope = query.get('scope') ?? undefined;
    const code = codes.issue({ clientId, redirectUri, ...(challenge === undefined ? {} : { codeChallenge: challenge }), ...(scope === undefined ? {} : { scope }) }, env.now());
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    const state = query.get('state');
    if (state !== null) target.searchParams.set('state', state);
    return new Response(null, { status: 302, headers: { location: target.toString(), 'cache-control': 'no-store' } });
  };

  /** A public client sends its `client_id` and nothing else: no Authorization header, no secret. */
  const publicClient = (request: RecordedRequest, form: URLSearchParams): string | undefined => {
    const clientId = form.get('client_id') ?? '';
    return publicClients.has(clientId) && request.headers.authorization === undefined && !form.has('client_secret') ? clientId : undefined;
  };

  const handle = async (request: RecordedRequest, path: string): Promise<Response> => {
    if (path === '/authorize') return authorizeEndpoint(request);
    if (path !== '/token') return json(404, { error: 'not_found' });
    if (request.method !== 'POST') return oauthError(405, 'invalid_request', 'POST required');
    if (!hasMediaType(request.headers['content-type'], 'application/x-www-form-urlencoded')) return oauthError(400, 'invalid_request', 'form body required');
    const form = new URLSearchParams(request.body);
    const clientId = authenticateClient(request, form, clients, ['client_secret_basic', 'client_secret_post']) ?? publicClient(request, form);
    if (clientId === undefined) return oauthError(401, 'invalid_client', 'client authentication failed', { 'www-authenticate': 'Basic realm="oauth2"' });
    const grantType = form.get('grant_type');
    if (publicClients.has(clientId) && grantType !== 'authorization_code' && grantType !== 'refresh_token') {
      return oauthError(400, 'unauthorized_client', 'a public client may use only the authorization_code and refresh_token grants');
    }
    switch (grantType) {
      case 'client_credentials':
        return issue(clientId, form.get('scope') ?? undefined, false);
      case 'authorization_code':
        return exchangeCode(form, clientId);
      case 'refresh_token':
        return refresh(form, clientId);
      case TOKEN_EXCHANGE:
        if (!form.get('subject_token') || !form.get('subject_token_type')) return oauthError(400, 'invalid_request', 'subject_token and subject_token_type are required');
        return issue(clientId, form.get('scope') ?? undefined, false, { issued_token_type: 'urn:ietf:params:oauth:token-type:access_token' });
      default:
        return oauthError(400, 'unsupported_grant_type');
    }
  };

  return {
    prefix: 'oauth2',
    handle,
    authorize: (authorization = {}) => {
      const clientId = authorization.clientId ?? OAUTH2_DEMO.clientId;
      // A real server refuses the authorization request itself (RFC 7636 §4.4.1): no code to exchange.
      if (publicClients.has(clientId) && authorization.codeChallenge === undefined) throw new Error(`emulator: public client "${clientId}" must send a PKCE code challenge`);
      return codes.issue({ ...authorization, clientId }, env.now());
    },
    revoke: (refreshToken) => void refreshTokens.delete(refreshToken),
    errorResponse: (status) => oauthError(status, status >= 500 || status === 429 ? 'temporarily_unavailable' : 'invalid_request', 'injected failure'),
    reset: () => {
      codes.clear();
      refreshTokens.clear();
    },
  };
}
