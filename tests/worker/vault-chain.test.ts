// The vault's refresh-token chain on a hand-driven clock: seeding, rotation stored before the access
// token is handed out (eviction in between), one refresh for the fleet and its alarm, upstream 5xx
// ridden out without spending the refresh token, invalid_grant → re-authorisation, expiry warnings.
import { describe, expect, it } from 'vitest';
import { importVaultKeys, open, type Sealed } from '../../src/worker/vault/seal.js';
import { ADMIN_TOKEN, KEY_A, codeOf, vaultFleet, type VaultFleet } from './_vault-helpers.js';

const SECOND = 1000;
const CONTEXT = 'tokenmint vault cybs/cybersource';

/** The refresh token the vault holds, opened with the test key. */
async function heldRefreshToken(f: VaultFleet, keys = KEY_A): Promise<string> {
  const record = f.storage().data.get('vault') as { sealed: Sealed };
  const opened = await open(await importVaultKeys(keys), record.sealed, CONTEXT);
  if (typeof opened !== 'string') throw new Error(`cannot open: ${opened.failed}`);
  return opened;
}

describe('vault refresh chain (CyberSource, one Durable Object per profile)', () => {
  it('seeds from the secret on first use, then its rotated copy wins: the seed is spent and the log says it is stale', async () => {
    const f = await vaultFleet();
    const seed = f.env.CYBERSOURCE_REFRESH_TOKEN as string;
    expect((await f.mint()).status).toBe(200);
    expect(f.upstream('refresh_token')).toBe(1);
    const active = f.emulator.cybersource.activeRefreshTokens();
    expect(active).toHaveLength(1);
    expect(active[0]).not.toBe(seed);
    expect(await heldRefreshToken(f)).toBe(active[0]);
    expect(f.logs.some((l) => l.message.includes('seeded from CYBERSOURCE_REFRESH_TOKEN') && l.message.includes('stale'))).toBe(true);
    // Nothing in storage is a token in clear, nor a credential.
    const stored = JSON.stringify([...f.storage().data.entries()].filter(([key]) => key === 'vault'));
    for (const secret of [seed, active[0]!, f.env.CYBERSOURCE_CLIENT_SECRET as string]) expect(stored).not.toContain(secret);
  });

  it('200 concurrent mints over 4 isolates: one upstream refresh, one ask per isolate', async () => {
    const f = await vaultFleet({ isolates: 4 });
    const responses = await Promise.all(Array.from({ length: 200 }, (_, i) => f.mint(i)));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(f.upstream()).toBe(1);
    expect(f.namespace.totalAsks()).toBe(4);
  });

  it('the alarm and isolates racing at the refresh point: one upstream refresh, and the chain holds', async () => {
    const f = await vaultFleet({ isolates: 4 });
    for (let i = 0; i < 4; i++) await f.mint(i);
    f.clock.advance(900 * SECOND); // every isolate's copy has expired
    const [alarm, ...mints] = await Promise.all([f.alarm(), ...Array.from({ length: 40 }, (_, i) => f.mint(i))]);
    expect(alarm).toBe(true);
    expect(mints.every((r) => r.status === 200)).toBe(true);
    expect(f.upstream('refresh_token')).toBe(2);
    expect(f.emulator.cybersource.activeRefreshTokens()).toEqual([await heldRefreshToken(f)]);
  });

  it('evicted between storing the rotated refresh token and answering: no lost chain', async () => {
    const f = await vaultFleet();
    expect((await f.mint()).status).toBe(200);
    const storage = f.storage();
    const name = f.namespace.names[0]!;
    // The next refresh: the object dies once the access token is handed back by the flow, when the
    // keeper records it; from then on nothing this instance writes lands.
    const put = storage.put.bind(storage);
    let dead = false;
    storage.put = async (key, value) => {
      if (key === 'state') dead = true;
      if (dead) throw new Error('Durable Object reset: evicted');
      return put(key, value);
    };
    f.clock.advance(900 * SECOND);
    const failed = await f.mint(1);
    expect([failed.status, await codeOf(failed)]).toEqual([503, 'vault_unavailable']);
    expect(f.upstream('refresh_token')).toBe(2);
    // The provider rotated, and the vault already holds the new refresh token.
    expect(f.emulator.cybersource.activeRefreshTokens()).toEqual([await heldRefreshToken(f)]);
    storage.put = put;
    f.namespace.evict(name);
    expect((await f.mint(2)).status).toBe(200);
    expect(f.upstream('refresh_token')).toBe(3);
    expect(f.logs.some((l) => l.message.includes('invalid_grant'))).toBe(false);
  });

  it('upstream 5xx during a refresh: the current access token keeps serving, the refresh token is not spent; the chain resumes', async () => {
    const f = await vaultFleet({ isolates: 2 });
    expect((await f.mint(0)).status).toBe(200);
    const held = await heldRefreshToken(f);
    const sealed = structuredClone(f.storage().data.get('vault'));
    f.emulator.inject({ provider: 'cybersource', status: 503, times: 10_000 });
    f.clock.advance(700 * SECOND); // past the object's refresh point, before expiry
    expect(await f.alarm()).toBe(true);
    for (let t = 0; t < 10; t++) {
      f.clock.advance(15 * SECOND);
      await f.alarm();
      expect((await f.mint(t % 2)).status).toBe(200);
    }
    expect(f.upstream('refresh_token')).toBeGreaterThan(2); // the failed attempts reached it
    expect(f.storage().data.get('vault')).toEqual(sealed);
    expect(f.emulator.cybersource.activeRefreshTokens()).toEqual([held]);
    f.clock.advance(200 * SECOND); // the access token has expired, the upstream is still down
    const down = await f.mint(1);
    expect([down.status, await codeOf(down)]).toEqual([502, 'upstream_unavailable']);
    f.emulator.clearFaults();
    f.clock.advance(60 * SECOND);
    expect((await f.mint(0)).status).toBe(200);
    expect(await heldRefreshToken(f)).not.toBe(held);
    expect(f.emulator.cybersource.activeRefreshTokens()).toEqual([await heldRefreshToken(f)]);
  });

  it('invalid_grant: the profile needs re-authorisation, no further refresh is sent, status lists it; onboarding restores it', async () => {
    const f = await vaultFleet();
    await f.mint();
    f.emulator.cybersource.revoke(await heldRefreshToken(f));
    f.clock.advance(900 * SECOND);
    const refused = await f.mint(1);
    expect([refused.status, await codeOf(refused)]).toEqual([503, 'reauthorization_required']);
    const sent = f.upstream();
    for (let t = 0; t < 5; t++) {
      f.clock.advance(120 * SECOND);
      await f.alarm();
      expect(await codeOf(await f.mint(t % 3))).toBe('reauthorization_required');
    }
    expect(f.upstream()).toBe(sent);
    expect(f.logs.some((l) => l.level === 'error' && l.message.startsWith('reauthorization_required: vault: profile "cybs"'))).toBe(true);
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const status = await f.call(0, new Request('https://mint.example/v1/vault/status', { headers: admin }));
    expect(await status.json()).toEqual({ profiles: [{ profile: 'cybs', provider: 'cybersource', state: 'reauthorization_required', source: 'seed' }], needsReauthorization: ['cybs'] });

    const start = await f.call(0, new Request('https://mint.example/v1/vault/cybs/authorize', { headers: admin, redirect: 'manual' }));
    const page = await f.emulator.fetch(start.headers.get('location')!, { redirect: 'manual' });
    const callback = page.headers.get('location')!;
    expect(callback.startsWith('https://mint.example/v1/vault/cybs/callback?')).toBe(true);
    expect((await f.call(0, new Request(callback))).status).toBe(200);
    expect((await f.mint(2)).status).toBe(200);
    expect(f.upstream('authorization_code')).toBe(1);
  });

  it('a refresh token past 80 % of its life logs a warning; once expired, the vault asks for re-authorisation without calling the provider', async () => {
    const f = await vaultFleet({ accessLifetime: 900, refreshLifetime: 10_000 });
    await f.mint();
    f.clock.advance(8_100 * SECOND); // idle: nobody refreshed since
    expect((await f.mint(1)).status).toBe(200);
    expect(f.logs.some((l) => l.level === 'warn' && l.message.includes('80 % of its life has passed'))).toBe(true);
    f.clock.advance(10_001 * SECOND);
    const sent = f.upstream();
    const expired = await f.mint(2);
    expect([expired.status, await codeOf(expired)]).toEqual([503, 'reauthorization_required']);
    expect(f.upstream()).toBe(sent);
  });

  it('with neither a seed nor an onboarding, mints are 503 onboarding_required and nothing is sent', async () => {
    const f = await vaultFleet({ seed: false });
    const response = await f.mint();
    expect([response.status, await codeOf(response)]).toEqual([503, 'onboarding_required']);
    expect(f.upstream()).toBe(0);
  });
});

describe('vault: CyberSource production through an mTLS certificate binding', () => {
  it('token requests go through the binding named by options.mtlsBinding; an unbound name is 503 config_invalid', async () => {
    let through = 0;
    const f = await vaultFleet({
      provider: { provider: 'cybersource', options: { environment: 'sandbox', baseUrl: 'https://emulator.invalid/cybersource', mtlsBinding: 'CYBS_MTLS' } },
    });
    f.env.CYBERSOURCE_REFRESH_TOKEN = await f.consent();
    const unbound = await f.mint();
    expect([unbound.status, await codeOf(unbound)]).toEqual([503, 'config_invalid']);
    f.env.CYBS_MTLS = { fetch: (input: RequestInfo | URL, init?: RequestInit) => (through++, f.emulator.fetch(input, init)) };
    expect((await f.mint()).status).toBe(200);
    expect(through).toBe(1);
  });
});
