// Volt's token endpoint: the password grant as a JSON body (client id and secret, API user name and
// password), RFC 6749 success bodies, login errors `{ code, message }` with a numeric code.
// @see docs/providers.md#volt
import { hasMediaType, json, oauthTokenAnswer, randomToken } from '../../emulator/respond.js';
import type { EmulatorEntry, EmulatorEnv, ProviderEmulator, RecordedRequest } from '../../emulator/types.js';

export interface VoltCredentials {
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
}

export interface VoltEmulatorOptions {
  /** Accepted application + API user combinations. Default: the demo one. */
  credentials?: readonly VoltCredentials[];
  /** Access token lifetime in seconds. Default 3600 (unverified). */
  expiresIn?: number;
}

export interface VoltEmulator extends ProviderEmulator {
  readonly prefix: 'volt';
}

export const VOLT_DEMO: VoltCredentials = { clientId: 'volt-demo-client', clientSecret: 'volt-demo-secret', username: 'volt-demo-user', password: 'volt-demo-password' };

/** `{ code, message }` (Prism: `VoltAuthErrorResponse`); the messages are unverified. */
function error(status: number, message: string): Response {
  return json(status, { code: status, message });
}

export function createVoltEmulator(options: VoltEmulatorOptions | undefined, _env: EmulatorEnv): VoltEmulator {
  options ??= {};
  const credentials = options.credentials ?? [VOLT_DEMO];
  const expiresIn = options.expiresIn ?? 3600;

  const handle = (request: RecordedRequest, path: string): Response => {
    if (path !== '/oauth' || request.method !== 'POST') return error(404, 'No route found.');
    if (!hasMediaType(request.headers['content-type'], 'application/json')) return error(400, 'Content-Type must be application/json.');
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(request.body);
      body = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
    } catch {
      return error(400, 'Invalid JSON body.');
    }
    if (body.grant_type !== 'password') return error(400, 'Invalid grant_type parameter or parameter missing.');
    const fields = ['client_id', 'client_secret', 'username', 'password'] as const;
    const missing = fields.filter((field) => typeof body[field] !== 'string' || body[field] === '');
    if (missing.length > 0) return error(400, `Missing parameter(s): ${missing.join(', ')}.`);
    const known = credentials.some((c) => c.clientId === body.client_id && c.clientSecret === body.client_secret && c.username === body.username && c.password === body.password);
    if (!known) return error(401, 'Bad credentials.');
    return json(200, { access_token: randomToken('volt_at'), expires_in: expiresIn, token_type: 'Bearer', refresh_token: randomToken('volt_rt') });
  };

  return {
    prefix: 'volt',
    handle,
    errorResponse: (status) => error(status, status === 429 ? 'Too many requests.' : 'Injected failure.'),
    reset: () => {},
  };
}

/** Its entry in the emulators' list (src/emulator/providers.ts, written from src/providers/list.ts): how it is made, what it accepts, what its token endpoint answers. */
export const VOLT_EMULATOR: EmulatorEntry<VoltEmulator, VoltEmulatorOptions, keyof VoltCredentials> = {
  create: createVoltEmulator,
  demo: () => ({ credentials: { ...VOLT_DEMO } }),
  accepting: ({ clientId, clientSecret, username, password }) => ({ credentials: [{ clientId, clientSecret, username, password }] }),
  tokenAnswers: [oauthTokenAnswer('/oauth')],
};
