// TrustPay's token endpoint: client credentials as a form, project id and secret key as Basic
// credentials; answers carry a `ResultInfo` (result code, additional info, correlation id).
// @see docs/providers.md#trustpay
import { checkClientCredentials } from '../../emulator/client-auth.js';
import { json, oauthTokenAnswer, randomToken } from '../../emulator/respond.js';
import type { EmulatorEntry, EmulatorEnv, ProviderEmulator, RecordedRequest } from '../../emulator/types.js';

export interface TrustPayEmulatorOptions {
  /** projectId → secretKey. Default: the demo project. */
  projects?: Readonly<Record<string, string>>;
  /** Token lifetime in seconds, or `false` to leave `expires_in` out. Default 1800 (unverified). */
  expiresIn?: number | false;
}

export interface TrustPayEmulator extends ProviderEmulator {
  readonly prefix: 'trustpay';
}

export const TRUSTPAY_DEMO: { projectId: string; secretKey: string } = { projectId: '4107007431', secretKey: 'trustpay-demo-secret-key' };

/**
 * Result codes. Unverified: only the `ResultInfo` shape is documented (Prism reads it); 0 for success and
 * these failure codes are the emulator's choice, kept here in one place.
 */
const RESULT = { success: 0, invalidRequest: 1001, unauthorized: 1002, serverError: 1003 } as const;

function result(status: number, code: number, additionalInfo: string): Response {
  return json(status, { ResultInfo: { ResultCode: code, AdditionalInfo: additionalInfo, CorrelationId: randomToken('corr').slice(5, 21) } });
}

export function createTrustPayEmulator(options: TrustPayEmulatorOptions | undefined, _env: EmulatorEnv): TrustPayEmulator {
  options ??= {};
  const projects = options.projects ?? { [TRUSTPAY_DEMO.projectId]: TRUSTPAY_DEMO.secretKey };
  const expiresIn = options.expiresIn ?? 1800;

  const handle = (request: RecordedRequest, path: string): Response => {
    if (path !== '/api/oauth2/token') return result(404, RESULT.invalidRequest, 'Not found');
    const checked = checkClientCredentials(request, projects, ['client_secret_basic']);
    if ('refused' in checked) {
      return checked.refused === 'client'
        ? result(401, RESULT.unauthorized, 'Invalid project id or secret key')
        : result(400, RESULT.invalidRequest, checked.refused === 'grant_type' ? 'grant_type must be client_credentials' : 'POST with a form body required');
    }
    const body: Record<string, unknown> = { access_token: randomToken('tp_at'), token_type: 'Bearer' };
    if (expiresIn !== false) body.expires_in = expiresIn;
    body.ResultInfo = { ResultCode: RESULT.success, CorrelationId: randomToken('corr').slice(5, 21) };
    return json(200, body);
  };

  return {
    prefix: 'trustpay',
    handle,
    errorResponse: (status) => result(status, status >= 500 ? RESULT.serverError : RESULT.invalidRequest, status === 429 ? 'Too many requests' : 'Injected failure'),
    reset: () => {},
  };
}

/** Its entry in the emulators' list (src/emulator/providers.ts, written from src/providers/list.ts): how it is made, what it accepts, what its token endpoint answers. */
export const TRUSTPAY_EMULATOR: EmulatorEntry<TrustPayEmulator, TrustPayEmulatorOptions, 'projectId' | 'secretKey'> = {
  create: createTrustPayEmulator,
  demo: () => ({ credentials: TRUSTPAY_DEMO }),
  accepting: ({ projectId, secretKey }) => ({ projects: { [projectId]: secretKey } }),
  tokenAnswers: [oauthTokenAnswer('/api/oauth2/token')],
};
