// Several isolates, one token coordinator per flow key (the real TokenCoordinator class over in-memory
// storage), one upstream, one hand-driven clock: what the object fetches, when its alarm refreshes,
// how it rides out upstream failures, and what it keeps in storage.
import { describe, expect, it } from 'vitest';
import { NOW, PLANTED } from './_mint-helpers.js';
import { ROTATED, fleet } from './_fleet-helpers.js';

const SECOND = 1000;

describe('token coordinator (one Durable Object per flow key)', () => {
  it('200 concurrent mints over 4 isolates: one upstream request; the object is asked once per isolate', async () => {
    const f = await fleet({ isolates: 4 });
    const responses = await Promise.all(Array.from({ length: 200 }, (_, i) => f.mint(i % 4)));
    expect(responses.map((r) => r.status)).toEqual(Array(200).fill(200));
    expect(f.upstream()).toBe(1);
    expect(f.namespace.names).toHaveLength(1);
    expect(f.namespace.totalAsks()).toBe(4);
    // Later mints are served from each isolate's memory.
    for (let i = 0; i < 4; i++) await f.mint(i);
    expect([f.upstream(), f.namespace.totalAsks()]).toEqual([1, 4]);
  });

  it('its alarm refreshes before any isolate finds its copy due; each isolate then asks once and gets the new token', async () => {
    const f = await fleet({ lifetime: 1000 });
    for (let i = 0; i < 3; i++) expect((await f.mint(i)).status).toBe(200);
    const [name] = f.namespace.names;
    const storage = f.namespace.storages.get(name!)!;
    // Isolates refresh at 75–80% of the lifetime (here 80%: random() = 0); the object at 75% less a 30 s lead.
    expect(storage.alarm).toBe(NOW + 720 * SECOND);
    expect(await f.namespace.runAlarm(name!, f.clock.now())).toBe(false);

    f.clock.advance(720 * SECOND);
    expect(await f.namespace.runAlarm(name!, f.clock.now())).toBe(true);
    expect(f.upstream()).toBe(2);
    expect(storage.alarm).toBe(NOW + 1440 * SECOND); // the new token's refresh point

    f.clock.advance(70 * SECOND); // 790 s: no isolate is due yet
    for (let i = 0; i < 3; i++) await f.mint(i);
    expect(f.namespace.totalAsks()).toBe(3);

    f.clock.advance(10 * SECOND); // 800 s: every isolate is due, and the object already has the next token
    for (let i = 0; i < 3; i++) await f.mint(i);
    expect([f.namespace.totalAsks(), f.upstream()]).toEqual([6, 2]);
    f.clock.advance(SECOND);
    for (let i = 0; i < 3; i++) await f.mint(i);
    expect(f.namespace.totalAsks()).toBe(6);
  });

  it('a failed refresh keeps the valid token in service, retried by alarm with backoff; no mint fails', async () => {
    const f = await fleet({ lifetime: 1000 });
    await f.mint(0);
    const [name] = f.namespace.names;
    const storage = f.namespace.storages.get(name!)!;
    f.emulator.inject({ provider: 'paypal', status: 503, times: 10_000 });
    const statuses: number[] = [];
    let alarms = 0;
    // 720 s → 900 s with the upstream down: longer than a refresh period of the isolates' copies.
    for (let t = 720; t <= 900; t += 10) {
      f.clock.advance(t === 720 ? 720 * SECOND : 10 * SECOND);
      if (await f.namespace.runAlarm(name!, f.clock.now())) alarms++;
      for (let i = 0; i < 3; i++) statuses.push((await f.mint(i)).status);
      // The retry is never scheduled past half the token's remaining use.
      expect(storage.alarm! - f.clock.now()).toBeLessThanOrEqual((NOW + 995 * SECOND - f.clock.now()) / 2);
    }
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(alarms).toBeGreaterThanOrEqual(10);
    expect(f.logs.some((l) => l.message.startsWith('coordinator: refresh failed (upstream_error, attempt 1)'))).toBe(true);

    f.emulator.clearFaults();
    f.clock.advance(10 * SECOND);
    await f.namespace.runAlarm(name!, f.clock.now());
    const tokens = f.emulator.requests.filter((r) => r.path === '/paypal/v1/oauth2/token');
    expect(tokens.length).toBeGreaterThan(2); // the failed attempts reached it…
    expect(storage.alarm).toBe(f.clock.now() + 720 * SECOND); // …and now a new token is scheduled
    for (let i = 0; i < 3; i++) expect((await f.mint(i)).status).toBe(200);
  });

  it('persists the token: an evicted object answers a new isolate from storage without refetching; no secret is stored', async () => {
    const f = await fleet();
    await f.mint(0);
    const [name] = f.namespace.names;
    f.namespace.evict(name!);
    expect((await f.mint(1)).status).toBe(200);
    expect(f.upstream()).toBe(1);
    const stored = JSON.stringify([...f.namespace.storages.get(name!)!.data.values()]);
    expect(stored).toContain('"accessToken"');
    // The client id is part of the flow key (not a secret); the secret is not stored.
    expect(stored).not.toContain(PLANTED.PAYPAL_CLIENT_SECRET);
    expect(stored).not.toMatch(/refreshToken|clientSecret/);
  });

  it('stops refreshing once no isolate asked for a lifetime plus idleAfter (15 min); the next ask starts again', async () => {
    const f = await fleet({ lifetime: 1000 });
    await f.mint(0);
    const [name] = f.namespace.names;
    const storage = f.namespace.storages.get(name!)!;
    for (const at of [720, 1440]) {
      f.clock.advance(720 * SECOND);
      expect(await f.namespace.runAlarm(name!, f.clock.now())).toBe(true);
      expect(storage.alarm).toBe(NOW + (at + 720) * SECOND);
    }
    f.clock.advance(720 * SECOND); // 2160 s since the last ask > 1000 s + 900 s
    await f.namespace.runAlarm(name!, f.clock.now());
    expect([f.upstream(), storage.alarm]).toEqual([3, null]);
    expect(f.logs.map((l) => l.message)).toContain(`coordinator: no isolate asked for a while; refreshes stop until one does: ${name}`);
    expect((await f.mint(1)).status).toBe(200);
    expect(storage.alarm).not.toBeNull();
  });

  it('an orphaned object (its profile gone from the config) forgets its token at its next alarm', async () => {
    const f = await fleet({ lifetime: 1000 });
    await f.mint(0);
    const [name] = f.namespace.names;
    const config = JSON.parse(f.env.TOKENMINT_CONFIG as string) as { profiles: Record<string, unknown> };
    delete config.profiles.checkout;
    f.env.TOKENMINT_CONFIG = JSON.stringify(config); // the object's env: a new deployment
    f.clock.advance(720 * SECOND);
    await f.namespace.runAlarm(name!, f.clock.now());
    const storage = f.namespace.storages.get(name!)!;
    expect([storage.data.size, storage.alarm, f.upstream()]).toEqual([0, null, 1]);
    expect(f.logs.map((l) => l.message)).toContain(`coordinator: profile "checkout" no longer yields this flow (unknown_profile); forgetting its token: ${name}`);
  });

  it('without a valid token, an upstream refusal is answered to every isolate until the retry time, sparing the upstream', async () => {
    const f = await fleet();
    f.emulator.inject({ provider: 'paypal', status: 401, times: 2 });
    const problems = [];
    for (let i = 0; i < 3; i++) problems.push((await (await f.mint(i)).json()) as { code: string });
    expect(problems.map((p) => p.code)).toEqual(['upstream_rejected', 'upstream_rejected', 'upstream_rejected']);
    expect(f.upstream()).toBe(1);
    f.clock.advance(SECOND); // past the retry time (backoff 250 ms)
    expect((await f.mint(1)).status).toBe(502);
    f.clock.advance(SECOND);
    expect((await f.mint(2)).status).toBe(200);
    expect(f.upstream()).toBe(3);
  });

  it('an isolate whose secret the object does not have (rotation under way) fetches its own token, logged once', async () => {
    const f = await fleet();
    const rotated = { ...f.env, ...ROTATED };
    for (let n = 0; n < 2; n++) expect((await f.mint(1, rotated)).status).toBe(200);
    expect(f.upstream()).toBe(1);
    const lines = f.logs.filter((l) => l.message.includes('key_mismatch'));
    expect(lines).toEqual([{ worker: 1, level: 'warn', message: 'the Durable Object TOKENMINT_COORDINATOR cannot run profile "checkout" (key_mismatch); this isolate fetches that token itself' }]);
  });

  it('profiles say "isolate": the object is never asked', async () => {
    const f = await fleet({ config: (c) => void (c.profiles.checkout!.coordination = 'isolate') });
    for (let i = 0; i < 3; i++) await f.mint(i);
    expect([f.upstream(), f.namespace.totalAsks()]).toEqual([3, 0]);
  });
});
