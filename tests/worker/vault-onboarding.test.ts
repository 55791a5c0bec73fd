// The vault as wrangler.toml binds it (TOKENMINT_VAULT → TokenVault, SQLite-backed), run by workerd:
// the demo CyberSource profile onboarded through the admin route and the emulator's authorize page,
// then minting; what the object stores (sealed, never the refresh token); bad callbacks.
import { evictDurableObject, listDurableObjectIds, runInDurableObject, SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

const DEMO = 'http://127.0.0.1:8787';
const ADMIN = (env as unknown as { TOKENMINT_ADMIN_TOKEN: string }).TOKENMINT_ADMIN_TOKEN;
const namespace = (env as unknown as { TOKENMINT_VAULT: DurableObjectNamespace }).TOKENMINT_VAULT;

const mint = (): Promise<Response> =>
  SELF.fetch(new Request(`${DEMO}/v1/tokens`, { method: 'POST', headers: { origin: DEMO, 'content-type': 'application/json' }, body: JSON.stringify({ profile: 'demo-cybersource' }) }));
const get = (url: string, headers: Record<string, string> = {}): Promise<Response> => SELF.fetch(new Request(url, { headers, redirect: 'manual' }));
const admin = { authorization: `Bearer ${ADMIN}` };
const codeOf = async (response: Response): Promise<string> => ((await response.json()) as { code: string }).code;
const cybersourceRequests = async (): Promise<{ path: string }[]> =>
  ((await (await SELF.fetch(`${DEMO}/__emulator/requests`)).json()) as { requests: { path: string }[] }).requests.filter((r) => r.path.startsWith('/cybersource/oauth2'));

/** Admin → provider's authorize page → callback URL (not followed). */
async function authorizeRedirect(): Promise<URL> {
  const start = await get(`${DEMO}/v1/vault/demo-cybersource/authorize`, admin);
  expect(start.status).toBe(302);
  const page = new URL(start.headers.get('location')!);
  const consent = await get(page.toString());
  expect(consent.status).toBe(302);
  return new URL(consent.headers.get('location')!);
}

describe('vault onboarding (CyberSource demo profile on the emulator)', () => {
  it('before onboarding a mint is 503 onboarding_required; the status route lists the profile', async () => {
    const response = await mint();
    expect([response.status, await codeOf(response)]).toEqual([503, 'onboarding_required']);
    const status = await get(`${DEMO}/v1/vault/status`, admin);
    expect(await status.json()).toEqual({ profiles: [{ profile: 'demo-cybersource', provider: 'cybersource', state: 'onboarding_required' }], needsReauthorization: ['demo-cybersource'] });
  });

  it('the admin routes refuse a missing or wrong bearer credential (401), and change nothing', async () => {
    for (const headers of [{}, { authorization: `Bearer ${ADMIN}x` }, { authorization: `Basic ${btoa(`admin:${ADMIN}`)}` }, { authorization: ADMIN }]) {
      for (const path of ['/v1/vault/demo-cybersource/authorize', '/v1/vault/status']) {
        const response = await get(`${DEMO}${path}`, headers);
        expect([response.status, await codeOf(response)]).toEqual([401, 'admin_unauthorized']);
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
      }
    }
  });

  it('the admin credential: the scheme in any case, followed by one or more spaces, as on the proxy and the Prism service', async () => {
    for (const authorization of [`bearer ${ADMIN}`, `BEARER ${ADMIN}`, `Bearer   ${ADMIN}`]) {
      expect((await get(`${DEMO}/v1/vault/status`, { authorization })).status, authorization.replace(ADMIN, '<admin>')).toBe(200);
    }
    expect((await get(`${DEMO}/v1/vault/status`, { authorization: `Bearer${ADMIN}` })).status).toBe(401);
  });

  it('authorize → consent → callback stores the tokens; mints then work; the state cannot be replayed', async () => {
    const start = await get(`${DEMO}/v1/vault/demo-cybersource/authorize`, admin);
    const page = new URL(start.headers.get('location')!);
    expect(page.pathname).toBe('/__emulator/cybersource/ebc2/oauth/authorize');
    expect([...page.searchParams.keys()].sort()).toEqual(['client_id', 'redirect_url', 'state', 'sub']);
    expect(page.searchParams.get('sub')).toBe('oauth');
    expect(page.searchParams.get('redirect_url')).toBe(`${DEMO}/v1/vault/demo-cybersource/callback`);
    expect(page.searchParams.get('state')!.length).toBeGreaterThanOrEqual(43);

    const callback = new URL((await get(page.toString())).headers.get('location')!);
    expect(callback.searchParams.get('state')).toBe(page.searchParams.get('state'));
    const done = await get(callback.toString());
    expect([done.status, await done.json()]).toEqual([200, { profile: 'demo-cybersource', state: 'ready' }]);

    expect((await mint()).status).toBe(200);
    // The exchange's access token served the first mint: one token request so far.
    expect((await cybersourceRequests()).length).toBe(1);

    const replay = await get(callback.toString());
    expect([replay.status, await codeOf(replay)]).toEqual([400, 'onboarding_state_invalid']);
    const status = (await (await get(`${DEMO}/v1/vault/status`, admin)).json()) as { profiles: { state: string; source: string; refreshTokenExpiresAt: number }[] };
    expect(status.profiles[0]).toMatchObject({ state: 'ready', source: 'onboarding', expiresSoon: false });
  });

  it('stores the refresh token sealed (AES-GCM with a key id), never in clear; an evicted object mints from storage', async () => {
    await get((await authorizeRedirect()).toString());
    const ids = await listDurableObjectIds(namespace);
    expect(ids).toHaveLength(1);
    const stub = namespace.get(ids[0]!);
    const stored = await runInDurableObject(stub, async (_, state) => Object.fromEntries(await state.storage.list()));
    expect(stored.vault).toMatchObject({ v: 1, source: 'onboarding', sealed: { kid: 'dev', iv: expect.any(String), ct: expect.any(String) } });
    expect(JSON.stringify(stored)).not.toMatch(/rt_[A-Za-z0-9_-]{10}/); // the emulator's refresh tokens
    await evictDurableObject(stub);
    expect((await mint()).status).toBe(200);
  });

  it('a forged state, a missing state, a missing code and an error callback are clear problems; nothing is stored', async () => {
    const stub = namespace.get((await listDurableObjectIds(namespace))[0]!);
    const storedNow = () => runInDurableObject(stub, async (_, state) => (await state.storage.get('vault')) ?? null);
    const before = await storedNow();
    const requestsBefore = (await cybersourceRequests()).length;
    const forged = await get(`${DEMO}/v1/vault/demo-cybersource/callback?code=abc&state=${'A'.repeat(43)}`);
    expect([forged.status, await codeOf(forged)]).toEqual([400, 'onboarding_state_invalid']);
    const noState = await get(`${DEMO}/v1/vault/demo-cybersource/callback?code=abc`);
    expect([noState.status, await codeOf(noState)]).toEqual([400, 'onboarding_state_invalid']);

    const noCode = await authorizeRedirect();
    noCode.searchParams.delete('code');
    const missing = await get(noCode.toString());
    expect([missing.status, await codeOf(missing)]).toEqual([400, 'onboarding_code_missing']);

    const denied = await authorizeRedirect();
    denied.searchParams.delete('code');
    denied.searchParams.set('error', 'access_denied');
    const refused = await get(denied.toString());
    expect([refused.status, await codeOf(refused)]).toEqual([400, 'onboarding_denied']);

    expect(await storedNow()).toEqual(before);
    expect((await cybersourceRequests()).length).toBe(requestsBefore);
  });

  it('an unknown vault route is 404, another method 405, a profile that is not a vault profile 400', async () => {
    expect((await get(`${DEMO}/v1/vault/demo-cybersource/nope`, admin)).status).toBe(404);
    const post = await SELF.fetch(new Request(`${DEMO}/v1/vault/status`, { method: 'POST', headers: admin }));
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET']);
    const other = await get(`${DEMO}/v1/vault/demo-session/authorize`, admin);
    expect([other.status, await codeOf(other)]).toEqual([400, 'unknown_profile']);
  });
});
