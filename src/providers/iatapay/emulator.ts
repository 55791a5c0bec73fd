// IATA Pay's token endpoint: client credentials as a form with Basic credentials and `scope=payment`.
// Success bodies carry only `access_token` and `expires_in`; a failed client authentication gets the
// Spring error `{ timestamp, status, error, path }`, the other refusals RFC 6749 codes.
// @see docs/providers.md#iata-pay
import { checkClientCredentials } from '../../emulator/client-auth.js';
import { json, oauthError, oauthTokenAnswer, randomToken } from '../../emulator/respond.js';
import type { EmulatorEntry, EmulatorEnv, ProviderEmulator, RecordedRequest } from '../../emulator/types.js';

export interface IataPayEmulatorOptions {
  /** client_id → client_secret. Default: the demo client. */
  clients?: Readonly<Record<string, string>>;
  /** Token lifetime in seconds. Default 3600 (unverified). */
  expiresIn?: number;
}

export interface IataPayEmulator extends ProviderEmulator {
  readonly prefix: 'iatapay';
}

export const IATAPAY_DEMO: { clientId: string; clientSecret: string } = { clientId: 'iatapay-demo-client', clientSecret: 'iatapay-demo-secret' };

const PATH = '/api/v1/oauth/token';

/** Spring's default error body (Prism reads `error` and `path`). */
function springError(status: number, error: string, now: number): Response {
  return json(status, { timestamp: new Date(now).toISOString(), status, error, path: PATH });
}

export function createIataPayEmulator(options: IataPayEmulatorOptions | undefined, env: EmulatorEnv): IataPayEmulator {
  options ??= {};
  const clients = options.clients ?? { [IATAPAY_DEMO.clientId]: IATAPAY_DEMO.clientSecret };
  const expiresIn = options.expiresIn ?? 3600;

  const handle = (request: RecordedRequest, path: string): Response => {
    if (path !== PATH) return springError(404, 'Not Found', env.now());
    const checked = checkClientCredentials(request, clients, ['client_secret_basic']);
    if ('refused' in checked) {
      if (checked.refused === 'client') return springError(401, 'Unauthorized', env.now());
      return checked.refused === 'grant_type' ? oauthError(400, 'unsupported_grant_type') : oauthError(400, 'invalid_request', 'POST with a form body required');
    }
    if (checked.form.get('scope') !== 'payment') return oauthError(400, 'invalid_scope', 'scope must be "payment"');
    return json(200, { access_token: randomToken('iata_at'), expires_in: expiresIn });
  };

  return {
    prefix: 'iatapay',
    handle,
    errorResponse: (status) => springError(status, status === 429 ? 'Too Many Requests' : status >= 500 ? 'Internal Server Error' : 'Bad Request', env.now()),
    reset: () => {},
  };
}

/** Its entry in the emulators' list (src/emulator/providers.ts, written from src/providers/list.ts): how it is made, what it accepts, what its token endpoint answers. */
export const IATAPAY_EMULATOR: EmulatorEntry<IataPayEmulator, IataPayEmulatorOptions, 'clientId' | 'clientSecret'> = {
  create: createIataPayEmulator,
  demo: () => ({ credentials: IATAPAY_DEMO }),
  accepting: ({ clientId, clientSecret }) => ({ clients: { [clientId]: clientSecret } }),
  // `expires_in` always comes; `token_type` may (this emulator leaves it out).
  tokenAnswers: [{ ...oauthTokenAnswer(PATH), lifetime: { path: ['expires_in'], kind: 'seconds' } }],
};
