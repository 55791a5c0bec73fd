// Kitegateway's token endpoint: JSON in, `{ code, status, message, data }` envelopes out.
// @see docs/providers.md#kitegateway
import { accepts, fakeJwt, hasMediaType, json } from '../../emulator/respond.js';
import type { EmulatorEntry, EmulatorEnv, ProviderEmulator, RecordedRequest } from '../../emulator/types.js';

export interface KitegatewayCredentials {
  apiKey: string;
  secretKey: string;
}

export interface KitegatewayEmulatorOptions {
  /** Accepted key pairs (Kitegateway allows two per account). Default: the demo pair. */
  credentials?: readonly KitegatewayCredentials[];
  /** Lifetime when the request names none, in seconds. Default 900 (documented). */
  defaultExpiresIn?: number;
  /** Longest lifetime granted; longer requests are refused. Default 86 400 (unverified). */
  maxExpiresIn?: number;
}

export interface KitegatewayEmulator extends ProviderEmulator {
  readonly prefix: 'kitegateway';
}

/** Demo credentials the emulator accepts by default. */
export const KITEGATEWAY_DEMO: KitegatewayCredentials = { apiKey: 'kg_demo_api_key', secretKey: 'kg_demo_secret_key' };

/**
 * Error envelope. Unverified beyond the docs' `{ code: "kitegateway_rest_…", status, message, data }`:
 * `status` is "error" (mirroring the success envelope's "success") and `data.status` the HTTP status,
 * as WordPress REST errors carry it.
 */
function envelope(status: number, code: string, message: string): Response {
  return json(status, { code: `kitegateway_rest_${code}`, status: 'error', message, data: { status } });
}

export function createKitegatewayEmulator(options: KitegatewayEmulatorOptions | undefined, env: EmulatorEnv): KitegatewayEmulator {
  options ??= {};
  const credentials = options.credentials ?? [KITEGATEWAY_DEMO];
  const defaultExpiresIn = options.defaultExpiresIn ?? 900;
  const maxExpiresIn = options.maxExpiresIn ?? 86_400;

  const issue = (expiresIn: number): Response => {
    const iat = Math.floor(env.now() / 1000);
    const expires = iat + expiresIn;
    const token = `JWT ${fakeJwt({ iss: 'kitegateway-emulator', iat, exp: expires })}`;
    return json(200, { code: 200, status: 'success', message: 'Token generated', data: { token, expires } });
  };

  const handle = (request: RecordedRequest, path: string): Response => {
    if (path !== '/v1/auth/token' || request.method !== 'POST') return envelope(404, 'no_route', 'No route was found matching the URL and request method.');
    if (!hasMediaType(request.headers['content-type'], 'application/json')) return envelope(400, 'invalid_content_type', 'Content-Type must be application/json.');
    if (!accepts(request.headers.accept, 'application/json') || request.headers.accept === undefined) {
      return envelope(400, 'invalid_accept', 'Accept must be application/json.');
    }
    const secretKey = request.headers['secret-key'];
    if (!secretKey) return envelope(401, 'missing_secret_key', 'The Secret-Key header is required.');
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      return envelope(400, 'invalid_json', 'The request body is not valid JSON.');
    }
    const { api_key: apiKey, expires_in: expiresIn = defaultExpiresIn } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (typeof apiKey !== 'string' || apiKey === '') return envelope(400, 'missing_param', 'Missing parameter: api_key.');
    if (typeof expiresIn !== 'number' || !Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > maxExpiresIn) {
      return envelope(400, 'invalid_param', `Invalid parameter: expires_in must be an integer between 1 and ${maxExpiresIn}.`);
    }
    if (!credentials.some((pair) => pair.apiKey === apiKey && pair.secretKey === secretKey)) {
      return envelope(401, 'invalid_credentials', 'Invalid API key or secret key.');
    }
    return issue(expiresIn);
  };

  return {
    prefix: 'kitegateway',
    handle,
    errorResponse: (status) =>
      status === 429 ? envelope(429, 'rate_limited', 'Too many requests.') : envelope(status, status >= 500 ? 'internal_error' : 'error', 'Injected failure.'),
    reset: () => {}, // tokens are stateless JWTs: nothing to forget
  };
}

/** Its entry in the emulators' list (src/emulator/providers.ts, written from src/providers/list.ts): how it is made, what it accepts, what its token endpoint answers. */
export const KITEGATEWAY_EMULATOR: EmulatorEntry<KitegatewayEmulator, KitegatewayEmulatorOptions, 'apiKey' | 'secretKey'> = {
  create: createKitegatewayEmulator,
  demo: () => ({ credentials: { ...KITEGATEWAY_DEMO } }),
  accepting: ({ apiKey, secretKey }) => ({ credentials: [{ apiKey, secretKey }] }),
  tokenAnswers: [{ path: '/v1/auth/token', flows: ['server'], token: ['data', 'token'], lifetime: { path: ['data', 'expires'], kind: 'epoch' } }],
};
