// Getnet's token endpoint: client credentials as a form with the API key and secret as Basic
// credentials; RFC 6749 success and error bodies.
// @see docs/providers.md#getnet
import { checkClientCredentials } from '../../emulator/client-auth.js';
import { json, oauthError, oauthTokenAnswer, randomToken } from '../../emulator/respond.js';
import type { EmulatorEntry, EmulatorEnv, ProviderEmulator, RecordedRequest } from '../../emulator/types.js';

export interface GetnetEmulatorOptions {
  /** apiKey → apiSecret. Default: the demo pair. */
  keys?: Readonly<Record<string, string>>;
  /** Token lifetime in seconds. Default 3600 (unverified). */
  expiresIn?: number;
}

export interface GetnetEmulator extends ProviderEmulator {
  readonly prefix: 'getnet';
}

export const GETNET_DEMO: { apiKey: string; apiSecret: string } = { apiKey: 'getnet-demo-api-key', apiSecret: 'getnet-demo-api-secret' };

export function createGetnetEmulator(options: GetnetEmulatorOptions | undefined, _env: EmulatorEnv): GetnetEmulator {
  options ??= {};
  const keys = options.keys ?? { [GETNET_DEMO.apiKey]: GETNET_DEMO.apiSecret };
  const expiresIn = options.expiresIn ?? 3600;

  const handle = (request: RecordedRequest, path: string): Response => {
    if (path !== '/authentication/oauth2/access_token') return json(404, { error: 'not_found' });
    const checked = checkClientCredentials(request, keys, ['client_secret_basic']);
    if ('refused' in checked) {
      switch (checked.refused) {
        case 'client':
          return oauthError(401, 'invalid_client', 'Bad client credentials');
        case 'grant_type':
          return oauthError(400, 'unsupported_grant_type', 'Unsupported grant type');
        default:
          return oauthError(400, 'invalid_request', 'POST with a form body required');
      }
    }
    return json(200, { access_token: randomToken('getnet_at'), token_type: 'Bearer', expires_in: expiresIn, scope: 'oob' });
  };

  return {
    prefix: 'getnet',
    handle,
    errorResponse: (status) => oauthError(status, status >= 500 || status === 429 ? 'temporarily_unavailable' : 'invalid_request', 'injected failure'),
    reset: () => {},
  };
}

/** Its entry in the emulators' list (src/emulator/providers.ts, written from src/providers/list.ts): how it is made, what it accepts, what its token endpoint answers. */
export const GETNET_EMULATOR: EmulatorEntry<GetnetEmulator, GetnetEmulatorOptions, 'apiKey' | 'apiSecret'> = {
  create: createGetnetEmulator,
  demo: () => ({ credentials: GETNET_DEMO }),
  accepting: ({ apiKey, apiSecret }) => ({ keys: { [apiKey]: apiSecret } }),
  tokenAnswers: [oauthTokenAnswer('/authentication/oauth2/access_token')],
};
