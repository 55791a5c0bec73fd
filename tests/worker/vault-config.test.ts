// Vault profiles at start-up (bad config is refused with the field named), and what leaves the Worker:
// over a life of seeding, refreshes, a 5xx, invalid_grant and onboarding, no refresh or access token the
// provider issued, and no credential, appears in a response or a log line.
import { describe, expect, it } from 'vitest';
import { createMintWorker } from '../../src/worker/index.js';
import { vault } from '../../src/worker/vault/index.js';
import { generateKey, testConfig } from './_mint-helpers.js';
import { ADMIN_TOKEN, CYBS, KEY_A, ORIGIN, codeOf, vaultFleet } from './_vault-helpers.js';

const SECOND = 1000;

async function configErrors(profile: Record<string, unknown>, env: Record<string, unknown> = {}): Promise<{ status: number; code: string; logs: string[] }> {
  const logs: string[] = [];
  const worker = createMintWorker({ vault: vault(), log: (_, message) => void logs.push(message) });
  const config = testConfig((c) => {
    delete c.devEmulator;
    c.profiles = { cybs: { mode: 'session', provider: 'cybersource', options: { environment: 'sandbox' }, allowedOrigins: [ORIGIN], scopes: ['payments'], defaultScope: 'payments', maxExpiresIn: 300, audience: 'a', ...profile } };
  });
  const response = await worker.fetch(
    new Request('https://mint.example/v1/tokens', { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: '{"profile":"cybs"}' }),
    { TOKENMINT_CONFIG: config, TOKENMINT_SESSION_KEY: (await generateKey()).secret, TOKENMINT_VAULT_KEYS: KEY_A, ...CYBS, ...env },
  );
  return { status: response.status, code: await codeOf(response), logs };
}

describe('vault profiles in the config', () => {
  it('without the TOKENMINT_VAULT binding: 503 config_invalid naming the binding and the class', async () => {
    const { status, code, logs } = await configErrors({});
    expect([status, code]).toEqual([503, 'config_invalid']);
    expect(logs.join('\n')).toContain('needs the Durable Object binding TOKENMINT_VAULT');
    expect(logs.join('\n')).toContain('class_name = "TokenVault"');
  });

  it('upstream mode is refused (server-only tokens); unknown options are named', async () => {
    const namespace = { idFromName: () => ({}), get: () => ({ fetch: async () => new Response('{}') }) };
    const upstream = await configErrors({ mode: 'upstream', audience: undefined }, { TOKENMINT_VAULT: namespace });
    expect(upstream.logs.join('\n')).toContain('server-only (browserSafe: false)');
    const unknown = await configErrors({ options: { refreshToken: 'x' } }, { TOKENMINT_VAULT: namespace });
    expect([unknown.code, unknown.logs.join('\n')]).toEqual(['config_invalid', expect.stringContaining('options.refreshToken: unknown field')]);
  });
});

describe('nothing the vault holds leaves the Worker', () => {
  it('no issued token, seed or credential in any response or log line', async () => {
    const f = await vaultFleet();
    const seed = f.env.CYBERSOURCE_REFRESH_TOKEN as string;
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    await f.mint(0);
    f.clock.advance(900 * SECOND);
    await f.mint(1);
    f.emulator.inject({ provider: 'cybersource', status: 503, times: 3 });
    f.clock.advance(900 * SECOND);
    await f.mint(2);
    f.emulator.clearFaults();
    f.clock.advance(60 * SECOND);
    await f.mint(0);
    for (const token of f.emulator.cybersource.activeRefreshTokens()) f.emulator.cybersource.revoke(token);
    f.clock.advance(900 * SECOND);
    expect(await codeOf(await f.mint(1))).toBe('reauthorization_required');
    await f.call(0, new Request('https://mint.example/v1/vault/status', { headers: admin }));
    const start = await f.call(0, new Request('https://mint.example/v1/vault/cybs/authorize', { headers: admin, redirect: 'manual' }));
    const callback = (await f.emulator.fetch(start.headers.get('location')!, { redirect: 'manual' })).headers.get('location')!;
    expect((await f.call(1, new Request(callback))).status).toBe(200);
    expect((await f.mint(2)).status).toBe(200);

    expect(f.issued.length).toBeGreaterThanOrEqual(6);
    const code = new URL(callback).searchParams.get('code')!;
    const secrets = [...f.issued, seed, code, CYBS.CYBERSOURCE_CLIENT_SECRET, ADMIN_TOKEN, KEY_A.slice(2)];
    const out = [...f.answered, ...f.logs.map((l) => l.message)].join('\n');
    for (const secret of secrets) expect(out).not.toContain(secret);
  });
});
