// The object unreachable or broken: each isolate falls back to its own single-flight fetch, says so
// once (no secret), and goes back to the object when it answers again.
import { describe, expect, it, vi } from 'vitest';
import { PLANTED } from './_mint-helpers.js';
import { fleet, type NamespaceMode } from './_fleet-helpers.js';

const SECOND = 1000;

describe('token coordinator unreachable or throwing', () => {
  it.each<[NamespaceMode, string]>([
    ['throws', 'did not answer (Error)'],
    ['http-500', 'did not answer (HTTP 500)'],
    ['not-a-reply', 'did not answer (an answer that is not a token reply)'],
  ])('%s: every isolate mints with its own single-flight fetch, logged once per isolate without secrets; back to the object when it answers', async (mode, why) => {
    const f = await fleet({ isolates: 3, lifetime: 1000 });
    f.namespace.mode = mode;
    const responses = await Promise.all(Array.from({ length: 60 }, (_, i) => f.mint(i % 3)));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(f.upstream()).toBe(3); // one per isolate, however many mints
    const down = f.logs.filter((l) => l.message.includes('did not answer'));
    expect(down.map((l) => [l.worker, l.level])).toEqual([[0, 'warn'], [1, 'warn'], [2, 'warn']]);
    expect(down[0]!.message).toBe(`the Durable Object TOKENMINT_COORDINATOR ${why}; isolates fetch their own server tokens until it does`);
    const text = f.logs.map((l) => l.message).join('\n');
    for (const secret of Object.values(PLANTED)) expect(text).not.toContain(secret);

    // Still down at the next refresh: one more own fetch per isolate, nothing more logged.
    f.clock.advance(800 * SECOND);
    for (let i = 0; i < 3; i++) expect((await f.mint(i)).status).toBe(200);
    expect([f.upstream(), f.logs.filter((l) => l.message.includes('did not answer')).length]).toEqual([6, 3]);

    // Back: at their next refresh the isolates ask the object, which fetches once for all of them.
    f.namespace.mode = 'up';
    f.clock.advance(800 * SECOND);
    for (let i = 0; i < 3; i++) expect((await f.mint(i)).status).toBe(200);
    expect([f.upstream(), f.namespace.totalAsks()]).toEqual([7, 3]);
    expect(f.logs.filter((l) => l.message.includes('answers again')).map((l) => l.worker)).toEqual([0, 1, 2]);
  });

  it('hangs: after the timeout (45 s on the injected clock) the isolate fetches on its own', async () => {
    const f = await fleet({ isolates: 1 });
    f.namespace.mode = 'hangs';
    const pending = f.mint(0);
    // Waits for the call to reach the object (signing-key import and body reading take real turns).
    await vi.waitFor(() => expect(f.namespace.calls).toBe(1));
    expect(f.upstream()).toBe(0);
    f.clock.advance(45 * SECOND);
    expect((await pending).status).toBe(200);
    expect(f.upstream()).toBe(1);
    expect(f.logs.map((l) => l.message)).toContain('the Durable Object TOKENMINT_COORDINATOR did not answer (no answer in 45000 ms); isolates fetch their own server tokens until it does');
  });

  it('the object answering an upstream failure is not a fallback: the isolate reports it, the upstream is not asked again', async () => {
    const f = await fleet({ isolates: 2 });
    f.emulator.inject({ provider: 'paypal', status: 400, times: 1 });
    expect(((await (await f.mint(0)).json()) as { code: string }).code).toBe('upstream_rejected');
    expect(((await (await f.mint(1)).json()) as { code: string }).code).toBe('upstream_rejected');
    expect(f.upstream()).toBe(1);
    expect(f.logs.some((l) => l.message.includes('did not answer'))).toBe(false);
  });
});
