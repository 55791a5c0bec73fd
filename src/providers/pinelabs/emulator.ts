// Pine Labs Online's token endpoint: a JSON body with client id, secret and grant type, answered with
// the token and an absolute ISO expiry (microseconds, UTC); errors `{ code, message }`.
// @see docs/providers.md#pine-labs
import { hasMediaType, json, randomToken } from '../../emulator/respond.js';
import type { EmulatorEntry, EmulatorEnv, ProviderEmulator, RecordedRequest } from '../../emulator/types.js';

export interface PineLabsEmulatorOptions {
  /** client_id → client_secret. Default: the demo client. */
  clients?: Readonly<Record<string, string>>;
  /** Token lifetime in seconds. Default 3600 (unverified). */
  expiresIn?: number;
}

export interface PineLabsEmulator extends ProviderEmulator {
  readonly prefix: 'pinelabs';
}

export const PINELABS_DEMO: { clientId: string; clientSecret: string } = { clientId: 'pinelabs-demo-client', clientSecret: 'pinelabs-demo-secret' };

/** `{ code, message }`. Unverified beyond the shape: these codes are the emulator's choice. */
function error(status: number, code: string, message: string): Response {
  return json(status, { code, message });
}

export function createPineLabsEmulator(options: PineLabsEmulatorOptions | undefined, env: EmulatorEnv): PineLabsEmulator {
  options ??= {};
  const clients = options.clients ?? { [PINELABS_DEMO.clientId]: PINELABS_DEMO.clientSecret };
  const expiresIn = options.expiresIn ?? 3600;

  const handle = (request: RecordedRequest, path: string): Response => {
    if (path !== '/api/auth/v1/token' || request.method !== 'POST') return error(404, 'NOT_FOUND', 'Resource not found');
    if (!hasMediaType(request.headers['content-type'], 'application/json')) return error(415, 'INVALID_REQUEST', 'Content-Type must be application/json');
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(request.body);
      body = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
    } catch {
      return error(400, 'INVALID_REQUEST', 'Malformed JSON body');
    }
    if (body.grant_type !== 'client_credentials') return error(400, 'INVALID_REQUEST', 'grant_type must be client_credentials');
    const clientId = body.client_id;
    if (typeof clientId !== 'string' || typeof body.client_secret !== 'string') return error(400, 'INVALID_REQUEST', 'client_id and client_secret are required');
    if (!Object.hasOwn(clients, clientId) || clients[clientId] !== body.client_secret) return error(401, 'UNAUTHORIZED', 'Invalid client credentials');
    // Pine Labs writes microseconds: 2026-06-01T13:00:00.000000Z.
    const expiresAt = new Date(env.now() + expiresIn * 1000).toISOString().replace(/Z$/, '000Z');
    return json(200, { access_token: randomToken('pl_at'), expires_at: expiresAt });
  };

  return {
    prefix: 'pinelabs',
    handle,
    errorResponse: (status) =>
      status === 429 ? error(429, 'TOO_MANY_REQUESTS', 'Rate limit exceeded') : error(status, status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'INVALID_REQUEST', 'Injected failure'),
    reset: () => {},
  };
}

/** Its entry in the emulators' list (src/emulator/providers.ts, written from src/providers/list.ts): how it is made, what it accepts, what its token endpoint answers. */
export const PINELABS_EMULATOR: EmulatorEntry<PineLabsEmulator, PineLabsEmulatorOptions, 'clientId' | 'clientSecret'> = {
  create: createPineLabsEmulator,
  demo: () => ({ credentials: PINELABS_DEMO }),
  accepting: ({ clientId, clientSecret }) => ({ clients: { [clientId]: clientSecret } }),
  // `token_type` may come (this emulator leaves it out).
  tokenAnswers: [{ path: '/api/auth/v1/token', flows: ['server'], token: ['access_token'], lifetime: { path: ['expires_at'], kind: 'iso' }, tokenType: ['token_type'] }],
};
