// Refresh tokens at rest: a wrong or missing vault key is a clear problem when the object starts and
// overwrites nothing (not even through onboarding or a seed); rotation re-seals under the new key id.
import { describe, expect, it } from 'vitest';
import { importVaultKeys, open, seal, type Sealed } from '../../src/worker/vault/seal.js';
import { ADMIN_TOKEN, KEY_A, KEY_B, codeOf, vaultFleet } from './_vault-helpers.js';

const SECOND = 1000;

describe('vault keys (AES-GCM at rest, key id beside the ciphertext)', () => {
  it('a wrong key under the same id, or a key list without the stored id: 503 vault_key_invalid, logged by key id, nothing overwritten', async () => {
    const f = await vaultFleet();
    await f.mint();
    const before = structuredClone(f.storage().data.get('vault'));
    const name = f.namespace.names[0]!;
    const sent = f.upstream();
    for (const [keys, why] of [
      [KEY_B.replace(/^b:/, 'a:'), 'the key listed as "a" in TOKENMINT_VAULT_KEYS does not open'],
      [KEY_B, 'sealed with key id "a", which TOKENMINT_VAULT_KEYS does not list'],
    ] as const) {
      f.env.TOKENMINT_VAULT_KEYS = keys;
      f.namespace.evict(name); // a new deployment: the object starts again
      f.clock.advance(900 * SECOND);
      const response = await f.mint(1);
      expect([response.status, await codeOf(response)]).toEqual([503, 'vault_key_invalid']);
      expect(f.logs.some((l) => l.level === 'error' && l.message.startsWith('vault_key_invalid: vault: profile "cybs"') && l.message.includes(why))).toBe(true);
      // Onboarding cannot overwrite it either.
      const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
      const start = await f.call(0, new Request('https://mint.example/v1/vault/cybs/authorize', { headers: admin, redirect: 'manual' }));
      expect([start.status, await codeOf(start)]).toEqual([503, 'vault_key_invalid']);
      expect(f.storage().data.get('vault')).toEqual(before);
      expect(f.upstream()).toBe(sent);
    }
    // The right key back: the same chain continues.
    f.env.TOKENMINT_VAULT_KEYS = KEY_A;
    f.namespace.evict(name);
    expect((await f.mint(2)).status).toBe(200);
    expect(f.upstream('refresh_token')).toBe(2);
  });

  it('a malformed or missing key secret: 503 secret_invalid / secret_missing naming the secret, never its value', async () => {
    const f = await vaultFleet();
    f.env.TOKENMINT_VAULT_KEYS = 'a:too-short';
    const bad = await f.mint();
    expect([bad.status, await codeOf(bad)]).toEqual([503, 'secret_invalid']);
    delete f.env.TOKENMINT_VAULT_KEYS;
    const missing = await f.mint();
    expect([missing.status, await codeOf(missing)]).toEqual([503, 'secret_missing']);
    const text = f.logs.map((l) => l.message).join('\n');
    expect(text).toContain('TOKENMINT_VAULT_KEYS');
    expect(text).not.toContain('too-short');
    expect(f.upstream()).toBe(0);
  });

  it('rotation: list the new key first and keep the old one; the record is re-sealed under the new id, then the old key can go', async () => {
    const f = await vaultFleet();
    await f.mint();
    const name = f.namespace.names[0]!;
    f.env.TOKENMINT_VAULT_KEYS = `${KEY_B},${KEY_A}`;
    f.namespace.evict(name);
    f.clock.advance(900 * SECOND);
    expect((await f.mint(1)).status).toBe(200);
    expect((f.storage().data.get('vault') as { sealed: Sealed }).sealed.kid).toBe('b');
    f.env.TOKENMINT_VAULT_KEYS = KEY_B;
    f.namespace.evict(name);
    f.clock.advance(900 * SECOND);
    expect((await f.mint(2)).status).toBe(200);
    expect(f.upstream('refresh_token')).toBe(3);
  });

  it('seal/open: a ciphertext opens only under its key and its object (the additional data)', async () => {
    const keys = await importVaultKeys(KEY_A);
    const sealed = await seal(keys, 'rt_secret', 'tokenmint vault one/cybersource');
    expect(JSON.stringify(sealed)).not.toContain('rt_secret');
    expect(await open(keys, sealed, 'tokenmint vault one/cybersource')).toBe('rt_secret');
    expect(await open(keys, sealed, 'tokenmint vault two/cybersource')).toEqual({ failed: 'wrong_key' });
    expect(await open(await importVaultKeys(KEY_B.replace(/^b:/, 'a:')), sealed, 'tokenmint vault one/cybersource')).toEqual({ failed: 'wrong_key' });
    await expect(importVaultKeys(`${KEY_A},${KEY_A}`)).rejects.toThrow('listed twice');
  });
});
