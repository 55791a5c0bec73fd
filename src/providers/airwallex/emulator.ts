// Airwallex's login: credentials in the `x-client-id` / `x-api-key` headers, 201 with a token and an
// ISO expiry such as `2026-06-01T12:30:00+0000`; errors `{ code, message }`.
// @see docs/providers.md#airwallex
import { fakeJwt, hasMediaType, json } from '../../emulator/respond.js';
import type { EmulatorEntry, EmulatorEnv, ProviderEmulator, RecordedRequest } from '../../emulator/types.js';

export interface AirwallexCredentials {
  clientId: string;
  apiKey: string;
}

export interface AirwallexEmulatorOptions {
  /** Accepted client id / API key pairs. Default: the demo pair. */
  credentials?: readonly AirwallexCredentials[];
  /** Token lifetime in seconds. Default 1800 (documented: 30 minutes). */
  expiresIn?: number;
}

export interface AirwallexEmulator extends ProviderEmulator {
  readonly prefix: 'airwallex';
}

export const AIRWALLEX_DEMO: AirwallexCredentials = { clientId: 'awx-demo-client', apiKey: 'awx-demo-api-key' };

/**
 * `{ code, message }`, as Airwallex documents its errors. Unverified: the login's own codes —
 * `credentials_invalid` for a wrong pair, `unauthorized` for missing headers — mirror the provider.
 */
function error(status: number, code: string, message: string): Response {
  return json(status, { code, message });
}

/** `2026-06-01T12:30:00+0000`: Airwallex's form (no milliseconds, offset without a colon). */
function airwallexTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}+0000`;
}

export function createAirwallexEmulator(options: AirwallexEmulatorOptions | undefined, env: EmulatorEnv): AirwallexEmulator {
  options ??= {};
  const credentials = options.credentials ?? [AIRWALLEX_DEMO];
  const expiresIn = options.expiresIn ?? 1800;

  const handle = (request: RecordedRequest, path: string): Response => {
    if (path !== '/api/v1/authentication/login' || request.method !== 'POST') return error(404, 'not_found', 'The requested resource was not found.');
    if (request.body !== '' && !hasMediaType(request.headers['content-type'], 'application/json')) {
      return error(400, 'validation_error', 'Content-Type must be application/json.');
    }
    const clientId = request.headers['x-client-id'];
    const apiKey = request.headers['x-api-key'];
    if (!clientId || !apiKey) return error(401, 'unauthorized', 'The x-client-id and x-api-key headers are required.');
    if (!credentials.some((pair) => pair.clientId === clientId && pair.apiKey === apiKey)) {
      return error(401, 'credentials_invalid', 'Access denied, authentication failed.');
    }
    const iat = Math.floor(env.now() / 1000);
    return json(201, { token: fakeJwt({ iss: 'airwallex-emulator', sub: clientId, iat, exp: iat + expiresIn }), expires_at: airwallexTime((iat + expiresIn) * 1000) });
  };

  return {
    prefix: 'airwallex',
    handle,
    errorResponse: (status) =>
      status === 429 ? error(429, 'too_many_requests', 'Too many requests.') : error(status, status >= 500 ? 'internal_error' : 'validation_error', 'Injected failure.'),
    reset: () => {}, // tokens are stateless JWTs: nothing to forget
  };
}

/** Its entry in the emulators' list (src/emulator/providers.ts, written from src/providers/list.ts): how it is made, what it accepts, what its token endpoint answers. */
export const AIRWALLEX_EMULATOR: EmulatorEntry<AirwallexEmulator, AirwallexEmulatorOptions, 'clientId' | 'apiKey'> = {
  create: createAirwallexEmulator,
  demo: () => ({ credentials: { ...AIRWALLEX_DEMO } }),
  accepting: ({ clientId, apiKey }) => ({ credentials: [{ clientId, apiKey }] }),
  tokenAnswers: [{ path: '/api/v1/authentication/login', flows: ['server'], token: ['token'], lifetime: { path: ['expires_at'], kind: 'iso' } }],
};
