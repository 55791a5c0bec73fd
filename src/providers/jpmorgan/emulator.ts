// J.P. Morgan Payments' token endpoint (ForgeRock AM): client credentials as a form with Basic
// credentials and a `jpm:payments…` scope; RFC 6749 errors.
// @see docs/providers.md#jp-morgan
import { checkClientCredentials } from '../../emulator/client-auth.js';
import { fakeJwt, json, oauthError, oauthTokenAnswer } from '../../emulator/respond.js';
import type { EmulatorEntry, EmulatorEnv, ProviderEmulator, RecordedRequest } from '../../emulator/types.js';

export interface JpMorganEmulatorOptions {
  /** client_id → client_secret. Default: the demo client. */
  clients?: Readonly<Record<string, string>>;
  /** Scopes a token may be asked for. Default: sandbox and (unverified) production scopes. */
  scopes?: readonly string[];
  /** Token lifetime in seconds. Default 3599 (documented: about an hour). */
  expiresIn?: number;
}

export interface JpMorganEmulator extends ProviderEmulator {
  readonly prefix: 'jpmorgan';
}

export const JPMORGAN_DEMO: { clientId: string; clientSecret: string } = { clientId: 'jpm-demo-client', clientSecret: 'jpm-demo-secret' };

export function createJpMorganEmulator(options: JpMorganEmulatorOptions | undefined, env: EmulatorEnv): JpMorganEmulator {
  options ??= {};
  const clients = options.clients ?? { [JPMORGAN_DEMO.clientId]: JPMORGAN_DEMO.clientSecret };
  const scopes = options.scopes ?? ['jpm:payments:sandbox', 'jpm:payments'];
  const expiresIn = options.expiresIn ?? 3599;

  const handle = (request: RecordedRequest, path: string): Response => {
    if (path !== '/am/oauth2/alpha/access_token') return oauthError(404, 'not_found');
    const checked = checkClientCredentials(request, clients, ['client_secret_basic']);
    if ('refused' in checked) {
      switch (checked.refused) {
        case 'client':
          return oauthError(401, 'invalid_client', 'Client authentication failed', { 'www-authenticate': 'Basic realm="alpha"' });
        case 'grant_type':
          return oauthError(400, 'unsupported_grant_type', 'Grant type is not supported');
        default:
          return oauthError(400, 'invalid_request', 'POST with a form body required');
      }
    }
    const scope = checked.form.get('scope') ?? '';
    if (!scopes.includes(scope)) return oauthError(400, 'invalid_scope', 'Invalid scope requested');
    const iat = Math.floor(env.now() / 1000);
    return json(200, { access_token: fakeJwt({ iss: 'jpmorgan-emulator', sub: checked.clientId, scope, iat, exp: iat + expiresIn }), scope, token_type: 'Bearer', expires_in: expiresIn });
  };

  return {
    prefix: 'jpmorgan',
    handle,
    errorResponse: (status) => oauthError(status, status >= 500 || status === 429 ? 'temporarily_unavailable' : 'invalid_request', 'injected failure'),
    reset: () => {},
  };
}

/** Its entry in the emulators' list (src/emulator/providers.ts, written from src/providers/list.ts): how it is made, what it accepts, what its token endpoint answers. */
export const JPMORGAN_EMULATOR: EmulatorEntry<JpMorganEmulator, JpMorganEmulatorOptions, 'clientId' | 'clientSecret'> = {
  create: createJpMorganEmulator,
  demo: () => ({ credentials: JPMORGAN_DEMO }),
  accepting: ({ clientId, clientSecret }) => ({ clients: { [clientId]: clientSecret } }),
  tokenAnswers: [oauthTokenAnswer('/am/oauth2/alpha/access_token')],
};
