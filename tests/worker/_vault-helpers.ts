// A fleet of mint Worker instances ("isolates") on one hand-driven clock, sharing one CyberSource
// emulator (so its counts are the provider's) and one fake vault namespace whose objects are the real
// TokenVault class over in-memory storage (FakeStorage: evictable, inspectable, breakable).
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { createEmulator, OAUTH2_DEMO, type Emulator } from '../../src/emulator/index.js';
import { createMintWorker, type MintEnv, type MintWorker } from '../../src/worker/index.js';
import { createTokenVault, vault, VAULT_BINDING } from '../../src/worker/vault/index.js';
import { FakeNamespace, type FakeStorage } from './_fleet-helpers.js';
import { generateKey, testClock, testConfig, type TestClock } from './_mint-helpers.js';

export const ORIGIN = 'https://shop.example';
export const CYBS = { CYBERSOURCE_CLIENT_ID: 'PLANTED-cybs-client-3e1f', CYBERSOURCE_CLIENT_SECRET: 'PLANTED-cybs-secret-77aa' };
export const ADMIN_TOKEN = 'PLANTED-admin-token-0123456789abcdef0123456789';
const keyBytes = (fill: number): string => btoa(String.fromCharCode(...new Uint8Array(32).fill(fill))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
/** Two vault keys (fixed bytes: tests only). */
export const KEY_A = `a:${keyBytes(1)}`;
export const KEY_B = `b:${keyBytes(2)}`;

export interface VaultFleet {
  clock: TestClock;
  emulator: Emulator;
  namespace: FakeNamespace;
  env: MintEnv;
  logs: { level: string; message: string }[];
  /** Every access and refresh token the emulator issued to the Worker. */
  issued: string[];
  /** Every response body and header the Worker answered with. */
  answered: string[];
  /** CyberSource token requests the emulator received, by grant. */
  upstream(grant?: 'refresh_token' | 'authorization_code'): number;
  mint(i?: number): Promise<Response>;
  call(i: number, request: Request): Promise<Response>;
  /** The one vault object's storage. */
  storage(): FakeStorage;
  /** A refresh token the emulator issued for a fresh consent (what a seed secret would hold). */
  consent(): Promise<string>;
  /** Runs the vault object's alarm if due. */
  alarm(): Promise<boolean>;
}

export interface VaultFleetOptions {
  isolates?: number;
  /** CyberSource emulator lifetimes, seconds. */
  accessLifetime?: number;
  refreshLifetime?: number;
  /** Seed CYBERSOURCE_REFRESH_TOKEN from a consent (default true). */
  seed?: boolean;
  /** Replaces the `cybs` profile's provider and options (another vault provider). */
  provider?: { provider: string; options: Record<string, unknown> };
}

export async function vaultFleet(options: VaultFleetOptions = {}): Promise<VaultFleet> {
  const clock = testClock();
  const logs: VaultFleet['logs'] = [];
  const emulator = createEmulator({
    clock,
    cybersource: { clients: { [CYBS.CYBERSOURCE_CLIENT_ID]: CYBS.CYBERSOURCE_CLIENT_SECRET }, accessTokenLifetime: options.accessLifetime ?? 900, refreshTokenLifetime: options.refreshLifetime ?? 31_536_000 },
  });
  const namespace = new FakeNamespace();
  const key = await generateKey();
  const env: MintEnv = {
    TOKENMINT_CONFIG: testConfig((c) => {
      delete c.devEmulator;
      c.profiles = {
        cybs: {
          mode: 'session',
          // Routed as to the real provider: the Worker's fetch is the shared emulator.
          ...(options.provider ?? { provider: 'cybersource', options: { environment: 'sandbox', baseUrl: 'https://emulator.invalid/cybersource', authorizeUrl: 'https://emulator.invalid/cybersource/ebc2/oauth/authorize' } }),
          allowedOrigins: [ORIGIN],
          scopes: ['payments'],
          defaultScope: 'payments',
          maxExpiresIn: 300,
          audience: 'cybs-api',
          rateLimit: { burst: 1000, perMinute: 10_000, ceiling: { burst: 1000, perMinute: 10_000 } },
        },
      };
    }),
    TOKENMINT_SESSION_KEY: key.secret,
    TOKENMINT_VAULT_KEYS: KEY_A,
    TOKENMINT_ADMIN_TOKEN: ADMIN_TOKEN,
    ...CYBS,
    OAUTH2_CLIENT_ID: OAUTH2_DEMO.clientId,
    OAUTH2_CLIENT_SECRET: OAUTH2_DEMO.clientSecret,
    [VAULT_BINDING]: namespace,
  };
  const issued: string[] = [];
  const answered: string[] = [];
  const upstreamFetch: typeof fetch = async (input, init) => {
    const response = await emulator.fetch(input, init);
    const body = (await response.clone().json().catch(() => ({}))) as { access_token?: string; refresh_token?: string };
    for (const token of [body.access_token, body.refresh_token]) if (token) issued.push(token);
    return response;
  };
  const workers: MintWorker[] = Array.from({ length: options.isolates ?? 3 }, () =>
    createMintWorker({ vault: vault(), clock, random: () => 0, fetch: upstreamFetch, log: (level, message) => void logs.push({ level, message }) }),
  );
  namespace.host(createTokenVault(workers[0]!), env);
  const call = async (i: number, request: Request): Promise<Response> => {
    const ctx = createExecutionContext();
    const response = await workers[i % workers.length]!.fetch(request, env, ctx);
    await waitOnExecutionContext(ctx);
    answered.push(JSON.stringify([...response.headers]), await response.clone().text());
    return response;
  };
  const consent = async (): Promise<string> => {
    const code = emulator.cybersource.authorize({ clientId: CYBS.CYBERSOURCE_CLIENT_ID });
    const body = new URLSearchParams({ grant_type: 'authorization_code', code, client_id: CYBS.CYBERSOURCE_CLIENT_ID, client_secret: CYBS.CYBERSOURCE_CLIENT_SECRET });
    const response = await emulator.fetch('https://emulator.invalid/cybersource/oauth2/v3/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body });
    return ((await response.json()) as { refresh_token: string }).refresh_token;
  };
  if (options.seed !== false && options.provider === undefined) env.CYBERSOURCE_REFRESH_TOKEN = await consent();
  const before = emulator.requests.length; // the seed's own consent is not the Worker's doing
  const fleet: VaultFleet = {
    clock,
    emulator,
    namespace,
    env,
    logs,
    issued,
    answered,
    upstream: (grant) =>
      emulator.requests.slice(before).filter((r) => r.path === '/cybersource/oauth2/v3/token' && (grant === undefined || new URLSearchParams(r.body).get('grant_type') === grant)).length,
    call,
    consent,
    mint: (i = 0) =>
      call(i, new Request('https://mint.example/v1/tokens', { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify({ profile: 'cybs' }) })),
    storage: () => {
      const [storage] = namespace.storages.values();
      if (storage === undefined) throw new Error('no vault object yet');
      return storage;
    },
    alarm: () => namespace.runAlarm(namespace.names[0]!, clock.now()),
  };
  return fleet;
}

export const codeOf = async (response: Response): Promise<string> => ((await response.clone().json()) as { code?: string }).code ?? `HTTP ${response.status}`;
