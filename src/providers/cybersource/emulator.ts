// CyberSource OAuth's token endpoint: single-use 10-minute codes, 15-minute access tokens, rotating
// refresh tokens living a year from their last use, correlation id echoed.
// @see docs/providers.md#cybersource-oauth
import { CODE_REFUSALS, CodeBook, authenticateClient } from '../../emulator/client-auth.js';
import { accepts, fakeJwt, hasMediaType, json, oauthError, oauthTokenAnswer, randomToken } from '../../emulator/respond.js';
import type { EmulatorEntry, EmulatorEnv, ProviderEmulator, RecordedRequest } from '../../emulator/types.js';

export interface CyberSourceEmulatorOptions {
  /** client_id → client_secret. Default: the demo client. */
  clients?: Readonly<Record<string, string>>;
  /** Access token lifetime in seconds. Default 900 (documented: 15 minutes). */
  accessTokenLifetime?: number;
  /** Refresh token lifetime in seconds, renewed on each use. Default 31 536 000 (a year). */
  refreshTokenLifetime?: number;
  /** Authorization code lifetime in seconds. Default 600 (documented: 10 minutes). */
  codeLifetime?: number;
  /** Issue a new refresh token on each refresh (the old one dies). Default true. */
  rotateRefreshTokens?: boolean;
  /** The `scope` the tokens carry. Default `"merchant_config"` (unverified). */
  scope?: string;
}

export interface CyberSourceEmulator extends ProviderEmulator {
  readonly prefix: 'cybersource';
  /** Completes the merchant's consent as the browser redirect would, returning the authorization code. */
  authorize(grant?: { clientId?: string }): string;
  /** Revokes a refresh token, as a merchant disconnecting the application would. */
  revoke(refreshToken: string): void;
  /** The refresh tokens currently valid (issued, not rotated, revoked or expired). */
  activeRefreshTokens(): string[];
}

export const CYBERSOURCE_DEMO: { clientId: string; clientSecret: string } = { clientId: 'cybs-demo-client', clientSecret: 'cybs-demo-secret' };

export function createCyberSourceEmulator(options: CyberSourceEmulatorOptions | undefined, env: EmulatorEnv): CyberSourceEmulator {
  options ??= {};
  const clients = options.clients ?? { [CYBERSOURCE_DEMO.clientId]: CYBERSOURCE_DEMO.clientSecret };
  const accessLifetime = options.accessTokenLifetime ?? 900;
  const refreshLifetime = options.refreshTokenLifetime ?? 31_536_000;
  const rotate = options.rotateRefreshTokens ?? true;
  const scope = options.scope ?? 'merchant_config';
  const codes = new CodeBook<{ clientId: string }>((options.codeLifetime ?? 600) * 1000);
  const refreshTokens = new Map<string, { clientId: string; expiresAt: number }>();

  const issue = (clientId: string, refreshToken: string, headers: Record<string, string>): Response => {
    const now = env.now();
    refreshTokens.set(refreshToken, { clientId, expiresAt: now + refreshLifetime * 1000 });
    const iat = Math.floor(now / 1000);
    return json(
      200,
      {
        access_token: fakeJwt({ iss: 'cybersource-emulator', client_id: clientId, iat, exp: iat + accessLifetime }),
        token_type: 'Bearer',
        refresh_token: refreshToken,
        expires_in: accessLifetime,
        scope,
        refresh_token_expires_in: refreshLifetime,
        client_status: 'active',
      },
      headers,
    );
  };

  /**
   * The Business Center authorize page, consent already given: `sub=oauth`, `client_id`, `redirect_url`
   * and `state` in, a redirect to `redirect_url` with `code` and `state` out.
   */
  const authorizePage = (request: RecordedRequest): Response => {
    const query = new URL(request.url).searchParams;
    const clientId = query.get('client_id') ?? '';
    const redirect = query.get('redirect_url') ?? '';
    if (request.method !== 'GET') return oauthError(405, 'invalid_request', 'GET required');
    if (query.get('sub') !== 'oauth' || !Object.hasOwn(clients, clientId) || !URL.canParse(redirect)) {
      return oauthError(400, 'invalid_request', 'sub=oauth, a registered client_id and redirect_url are required');
    }
    const target = new URL(redirect);
    target.searchParams.set('code', codes.issue({ clientId }, env.now()));
    const state = query.get('state');
    if (state !== null) target.searchParams.set('state', state);
    return new Response(null, { status: 302, headers: { location: target.toString(), 'cache-control': 'no-store' } });
  };

  const handle = (request: RecordedRequest, path: string): Response => {
    const correlation = request.headers['v-c-client-correlation-id'];
    const headers: Record<string, string> = correlation === undefined ? {} : { 'v-c-client-correlation-id': correlation };
    const fail = (status: number, error: string, description?: string): Response => oauthError(status, error, description, headers);
    if (path === '/ebc2/oauth/authorize') return authorizePage(request);
    if (path !== '/oauth2/v3/token') return fail(404, 'not_found');
    if (request.method !== 'POST') return fail(405, 'invalid_request', 'POST required');
    if (!hasMediaType(request.headers['content-type'], 'application/x-www-form-urlencoded')) return fail(400, 'invalid_request', 'form body required');
    if (!accepts(request.headers.accept, 'application/json')) return fail(406, 'invalid_request', 'Accept must allow application/json');
    const form = new URLSearchParams(request.body);
    const clientId = authenticateClient(request, form, clients, ['client_secret_post']);
    if (clientId === undefined) return fail(401, 'invalid_client', 'client authentication failed');
    const now = env.now();
    switch (form.get('grant_type')) {
      case 'authorization_code': {
        const code = form.get('code');
        if (!code) return fail(400, 'invalid_request', 'code is required');
        const redeemed = codes.redeem(code, now);
        if ('refused' in redeemed) return fail(400, 'invalid_grant', CODE_REFUSALS[redeemed.refused]);
        if (redeemed.binding.clientId !== clientId) return fail(400, 'invalid_grant', 'authorization code was issued to another client');
        return issue(clientId, randomToken('rt'), headers);
      }
      case 'refresh_token': {
        const token = form.get('refresh_token');
        if (!token) return fail(400, 'invalid_request', 'refresh_token is required');
        const entry = refreshTokens.get(token);
        if (entry === undefined || entry.clientId !== clientId) return fail(400, 'invalid_grant', 'refresh token is invalid');
        if (now >= entry.expiresAt) {
          refreshTokens.delete(token);
          return fail(400, 'invalid_grant', 'refresh token has expired');
        }
        if (rotate) refreshTokens.delete(token);
        return issue(clientId, rotate ? randomToken('rt') : token, headers);
      }
      default:
        return fail(400, 'unsupported_grant_type');
    }
  };

  return {
    prefix: 'cybersource',
    handle,
    authorize: (grant = {}) => codes.issue({ clientId: grant.clientId ?? CYBERSOURCE_DEMO.clientId }, env.now()),
    revoke: (refreshToken) => void refreshTokens.delete(refreshToken),
    activeRefreshTokens: () => [...refreshTokens].filter(([, entry]) => env.now() < entry.expiresAt).map(([token]) => token),
    errorResponse: (status) => oauthError(status, status >= 500 || status === 429 ? 'temporarily_unavailable' : 'invalid_request', 'injected failure'),
    reset: () => {
      codes.clear();
      refreshTokens.clear();
    },
  };
}

/** Its entry in the emulators' list (src/emulator/providers.ts, written from src/providers/list.ts): how it is made, what it accepts, what its token endpoint answers. */
export const CYBERSOURCE_EMULATOR: EmulatorEntry<CyberSourceEmulator, CyberSourceEmulatorOptions, 'clientId' | 'clientSecret'> = {
  create: createCyberSourceEmulator,
  demo: (emulator) => ({ credentials: { ...CYBERSOURCE_DEMO, code: emulator.authorize() } }),
  accepting: ({ clientId, clientSecret }) => ({ clients: { [clientId]: clientSecret } }),
  tokenAnswers: [oauthTokenAnswer('/oauth2/v3/token')],
};
