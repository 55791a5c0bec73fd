// TrueLayer's token endpoint (IdentityServer-style `/connect/token`): client credentials as a form, id
// and secret in the body only, a scope from the Payments API; RFC 6749 errors (a bad client is a 400).
// @see docs/providers.md#truelayer
import { checkClientCredentials } from '../../emulator/client-auth.js';
import { fakeJwt, json, oauthError, oauthTokenAnswer } from '../../emulator/respond.js';
import type { EmulatorEntry, EmulatorEnv, ProviderEmulator, RecordedRequest } from '../../emulator/types.js';

export interface TrueLayerEmulatorOptions {
  /** client_id → client_secret. Default: the demo client. */
  clients?: Readonly<Record<string, string>>;
  /** Scopes a token may combine. Default `['payments']`. */
  scopes?: readonly string[];
  /** Token lifetime in seconds. Default 3600 (documented). */
  expiresIn?: number;
}

export interface TrueLayerEmulator extends ProviderEmulator {
  readonly prefix: 'truelayer';
}

export const TRUELAYER_DEMO: { clientId: string; clientSecret: string } = { clientId: 'sandbox-tokenmint-demo', clientSecret: 'truelayer-demo-secret' };

export function createTrueLayerEmulator(options: TrueLayerEmulatorOptions | undefined, env: EmulatorEnv): TrueLayerEmulator {
  options ??= {};
  const clients = options.clients ?? { [TRUELAYER_DEMO.clientId]: TRUELAYER_DEMO.clientSecret };
  const scopes = options.scopes ?? ['payments'];
  const expiresIn = options.expiresIn ?? 3600;

  const handle = (request: RecordedRequest, path: string): Response => {
    if (path !== '/connect/token') return json(404, { error: 'not_found' });
    const checked = checkClientCredentials(request, clients, ['client_secret_post']);
    if ('refused' in checked) {
      return oauthError(400, checked.refused === 'client' ? 'invalid_client' : checked.refused === 'grant_type' ? 'unsupported_grant_type' : 'invalid_request');
    }
    const scope = (checked.form.get('scope') ?? '').split(' ').filter(Boolean);
    if (scope.length === 0 || !scope.every((item) => scopes.includes(item))) return oauthError(400, 'invalid_scope');
    const iat = Math.floor(env.now() / 1000);
    return json(200, { access_token: fakeJwt({ iss: 'truelayer-emulator', client_id: checked.clientId, scope: scope.join(' '), iat, exp: iat + expiresIn }), expires_in: expiresIn, token_type: 'Bearer', scope: scope.join(' ') });
  };

  return {
    prefix: 'truelayer',
    handle,
    errorResponse: (status) => oauthError(status, status >= 500 || status === 429 ? 'temporarily_unavailable' : 'invalid_request'),
    reset: () => {},
  };
}

/** Its entry in the emulators' list (src/emulator/providers.ts, written from src/providers/list.ts): how it is made, what it accepts, what its token endpoint answers. */
export const TRUELAYER_EMULATOR: EmulatorEntry<TrueLayerEmulator, TrueLayerEmulatorOptions, 'clientId' | 'clientSecret'> = {
  create: createTrueLayerEmulator,
  demo: () => ({ credentials: TRUELAYER_DEMO }),
  accepting: ({ clientId, clientSecret }) => ({ clients: { [clientId]: clientSecret } }),
  tokenAnswers: [oauthTokenAnswer('/connect/token')],
};
