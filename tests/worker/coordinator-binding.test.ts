// The coordinator as wrangler.toml binds it (TOKENMINT_COORDINATOR → TokenCoordinator, SQLite-backed),
// run by workerd: the demo's session profile goes through it, the token and its alarm are in the
// object's storage, an evicted object answers from storage, and an emulator reset reaches it.
import { evictDurableObject, listDurableObjectIds, runDurableObjectAlarm, runInDurableObject, SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';

const DEMO = 'http://127.0.0.1:8787';
const mint = (): Promise<Response> =>
  SELF.fetch(new Request(`${DEMO}/v1/tokens`, { method: 'POST', headers: { origin: DEMO, 'content-type': 'application/json' }, body: JSON.stringify({ profile: 'demo-session' }) }));
const serverTokenRequests = async (): Promise<number> =>
  ((await (await SELF.fetch(`${DEMO}/__emulator/requests`)).json()) as { requests: { path: string }[] }).requests.filter((r) => r.path === '/paypal/v1/oauth2/token').length;

interface Stored {
  key: string;
  profile: string;
  epoch?: string;
  token: { accessToken: string; expiresAt: number };
  refreshAt: number;
}
const namespace = (env as unknown as { TOKENMINT_COORDINATOR: DurableObjectNamespace }).TOKENMINT_COORDINATOR;

async function theObject(): Promise<{ stub: DurableObjectStub; stored: Stored; alarm: number | null }> {
  const ids = await listDurableObjectIds(namespace);
  expect(ids).toHaveLength(1);
  const stub = namespace.get(ids[0]!);
  const [stored, alarm] = await runInDurableObject(stub, async (_, state) => [(await state.storage.get('state')) as Stored, await state.storage.getAlarm()] as const);
  return { stub, stored, alarm };
}

describe('TokenCoordinator bound in wrangler.toml', () => {
  beforeEach(async () => {
    await SELF.fetch(`${DEMO}/__emulator/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  });

  it('a session mint goes through the object: it holds the token in storage with its refresh alarm', async () => {
    expect((await mint()).status).toBe(200);
    const { stored, alarm } = await theObject();
    expect(stored).toMatchObject({ profile: 'demo-session', key: expect.stringMatching(/^client_credentials https:\/\/emulator\.invalid\/paypal\/v1\/oauth2\/token /) });
    // 600 s demo tokens: refreshed 420 s in (75% less a 30 s lead), by the alarm (± the fetch's own time).
    expect(Math.abs(stored.refreshAt - (stored.token.expiresAt - 600_000) - 420_000)).toBeLessThan(1000);
    expect(alarm).toBe(stored.refreshAt);
    expect(await serverTokenRequests()).toBe(1);
  });

  it('evicted, it answers from storage without a new upstream request; an early alarm only re-arms', async () => {
    await mint();
    const { stub, stored } = await theObject();
    await evictDurableObject(stub);
    const ask = { profile: stored.profile, key: stored.key, epoch: stored.epoch };
    const reply = await stub.fetch('https://coordinator.tokenmint.invalid/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ask) });
    expect(await reply.json()).toEqual({ ok: true, token: { ...stored.token, tokenType: 'Bearer', scope: expect.any(String) } });
    expect(await runDurableObjectAlarm(stub)).toBe(true); // not due yet on the real clock
    expect((await theObject()).alarm).toBe(stored.refreshAt);
    expect(await serverTokenRequests()).toBe(1);
  });

  it('an emulator reset makes the object fetch anew at the next mint (the ask carries a new emulator epoch)', async () => {
    await mint();
    const before = (await theObject()).stored;
    await SELF.fetch(`${DEMO}/__emulator/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect((await mint()).status).toBe(200);
    const after = (await theObject()).stored;
    expect(after.epoch).not.toBe(before.epoch);
    expect(after.token.accessToken).not.toBe(before.token.accessToken);
    expect(await serverTokenRequests()).toBe(1);
  });
});
