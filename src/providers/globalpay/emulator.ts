// GP API's access token endpoint: a JSON body whose `secret` must be SHA-512(nonce + app key), the
// `X-GP-Version` header, GP's `{ error_code, detailed_error_code, detailed_error_description }` errors.
// @see docs/providers.md#globalpay
import { digestText } from '../../core/kit.js';
import { hasMediaType, json, randomToken } from '../../emulator/respond.js';
import type { EmulatorEntry, EmulatorEnv, ProviderEmulator, RecordedRequest } from '../../emulator/types.js';

export interface GlobalPayEmulatorOptions {
  /** app_id → app_key. Default: the demo app. */
  apps?: Readonly<Record<string, string>>;
  /** Token lifetime in seconds (`seconds_to_expire`). Default 86 400 (unverified). */
  expiresIn?: number;
}

export interface GlobalPayEmulator extends ProviderEmulator {
  readonly prefix: 'globalpay';
}

export const GLOBALPAY_DEMO: { appId: string; appKey: string } = { appId: 'gp-demo-app-id', appKey: 'gp-demo-app-key' };

/** The API version whose shapes this emulator speaks. */
const VERSION = '2021-03-22';

/**
 * GP API's error body. The credential failures (403 `ACTION_NOT_AUTHORIZED` / 40004 and their texts) are
 * what GP's SDK tests expect; the `INVALID_REQUEST_DATA` detailed codes below are unverified.
 */
function error(status: number, errorCode: string, detailedCode: string, description: string): Response {
  return json(status, { error_code: errorCode, detailed_error_code: detailedCode, detailed_error_description: description });
}

async function sha512Hex(text: string): Promise<string> {
  return Array.from(await digestText('SHA-512', text), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function createGlobalPayEmulator(options: GlobalPayEmulatorOptions | undefined, env: EmulatorEnv): GlobalPayEmulator {
  options ??= {};
  const apps = options.apps ?? { [GLOBALPAY_DEMO.appId]: GLOBALPAY_DEMO.appKey };
  const expiresIn = options.expiresIn ?? 86_400;
  // A nonce proves freshness only once (unverified: GP does not document replay checks).
  const nonces = new Set<string>();

  const handle = async (request: RecordedRequest, path: string): Promise<Response> => {
    if (path !== '/ucp/accesstoken' || request.method !== 'POST') return error(404, 'RESOURCE_NOT_FOUND', '40008', 'Resource not found');
    const version = request.headers['x-gp-version'];
    if (version === undefined) return error(400, 'INVALID_REQUEST_DATA', '40001', 'Mandatory header X-GP-Version is missing');
    if (version !== VERSION) return error(400, 'INVALID_REQUEST_DATA', '40213', `X-GP-Version ${version.slice(0, 20)} is not supported`);
    if (!hasMediaType(request.headers['content-type'], 'application/json')) return error(415, 'INVALID_REQUEST_DATA', '40002', 'Content-Type must be application/json');
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(request.body);
      body = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
    } catch {
      return error(400, 'INVALID_REQUEST_DATA', '40003', 'Request body is not valid JSON');
    }
    for (const field of ['app_id', 'nonce', 'secret', 'grant_type']) {
      if (typeof body[field] !== 'string' || body[field] === '') return error(400, 'INVALID_REQUEST_DATA', '40005', `Request expects the following fields ${field}`);
    }
    if (body.grant_type !== 'client_credentials') return error(400, 'INVALID_REQUEST_DATA', '40006', 'grant_type contains unexpected data');
    const appId = body.app_id as string;
    const nonce = body.nonce as string;
    if (!Object.hasOwn(apps, appId)) return error(403, 'ACTION_NOT_AUTHORIZED', '40004', 'App credentials not recognized');
    if (body.secret !== (await sha512Hex(nonce + apps[appId]))) return error(403, 'ACTION_NOT_AUTHORIZED', '40004', 'Credentials not recognized to create access token.');
    if (nonces.has(nonce)) return error(400, 'INVALID_REQUEST_DATA', '40007', 'nonce has already been used');
    nonces.add(nonce);
    return json(200, {
      token: randomToken('gp_at'),
      type: 'Bearer',
      app_id: appId,
      app_name: 'tokenmint emulator',
      time_created: new Date(env.now()).toISOString(),
      seconds_to_expire: expiresIn,
      email: 'merchant@example.invalid',
      merchant_id: 'MER_emulator',
      merchant_name: 'Emulated Merchant',
      accounts: [{ id: 'TRA_emulator', name: 'Transaction_Processing', permissions: ['PMT_POST_Create'] }],
    });
  };

  return {
    prefix: 'globalpay',
    handle,
    errorResponse: (status) =>
      status === 429 ? error(429, 'TOO_MANY_REQUESTS', '42901', 'Too many requests')
      : status >= 500 ? error(status, 'SYSTEM_ERROR_DOWNSTREAM', '50001', 'Injected failure')
      : error(status, 'INVALID_REQUEST_DATA', '40000', 'Injected failure'),
    reset: () => nonces.clear(),
  };
}

/** Its entry in the emulators' list (src/emulator/providers.ts, written from src/providers/list.ts): how it is made, what it accepts, what its token endpoint answers. */
export const GLOBALPAY_EMULATOR: EmulatorEntry<GlobalPayEmulator, GlobalPayEmulatorOptions, 'appId' | 'appKey'> = {
  create: createGlobalPayEmulator,
  demo: () => ({ credentials: GLOBALPAY_DEMO }),
  accepting: ({ appId, appKey }) => ({ apps: { [appId]: appKey } }),
  tokenAnswers: [{ path: '/ucp/accesstoken', flows: ['server'], token: ['token'], lifetime: { path: ['seconds_to_expire'], kind: 'seconds' }, tokenType: ['type'] }],
};
