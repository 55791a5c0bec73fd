// `coordination` per profile: `durable-object` by default when the TOKENMINT_COORDINATOR binding is
// there, `isolate` otherwise; an explicit `durable-object` needs the binding and a session profile.
import { describe, expect, it } from 'vitest';
import { parseConfig, type MintConfig } from '../../src/worker/index.js';
import { testConfig } from './_mint-helpers.js';
import { FakeNamespace, fleet } from './_fleet-helpers.js';

const config = (change: Parameters<typeof testConfig>[0], bound: boolean) =>
  parseConfig({ TOKENMINT_CONFIG: testConfig(change), TOKENMINT_DEV_EMULATOR: 'on', ...(bound ? { TOKENMINT_COORDINATOR: new FakeNamespace() } : {}) });
const modes = (result: ReturnType<typeof parseConfig>) => Object.fromEntries([...(result as { config: MintConfig }).config.profiles].map(([name, p]) => [name, p.coordination]));

describe('coordination config', () => {
  it('defaults to durable-object for session profiles when the binding exists, isolate otherwise; upstream profiles never coordinate', () => {
    expect(modes(config(() => {}, true))).toEqual({ checkout: 'durable-object', widget: 'isolate', kite: 'durable-object' });
    expect(modes(config(() => {}, false))).toEqual({ checkout: 'isolate', widget: 'isolate', kite: 'isolate' });
    expect(modes(config((c) => void (c.profiles.kite!.coordination = 'isolate'), true))).toMatchObject({ checkout: 'durable-object', kite: 'isolate' });
  });

  it.each([
    ['"durable-object" without the binding', (c: Cfg) => void (c.profiles.checkout!.coordination = 'durable-object'), false,
      'profile "checkout": coordination "durable-object" needs the Durable Object binding TOKENMINT_COORDINATOR (add [[durable_objects.bindings]] name = "TOKENMINT_COORDINATOR", class_name = "TokenCoordinator" and its migration to wrangler.toml; see docs/scaling.md), or set "isolate"'],
    ['"durable-object" in upstream mode', (c: Cfg) => void (c.profiles.widget!.coordination = 'durable-object'), true,
      'profile "widget": coordination applies to session mode only (upstream mode mints a fresh token per request; there is no server token to share)'],
    ['an unknown value', (c: Cfg) => void (c.profiles.checkout!.coordination = 'global'), true, 'TOKENMINT_CONFIG.profiles.checkout.coordination: must be "isolate" or "durable-object"'],
  ])('refuses %s', (_, change, bound, message) => {
    expect(config(change, bound)).toEqual({ ok: false, code: 'config_invalid', errors: [message] });
  });

  it('the binding appearing or going re-decides the default (the config cache watches it)', async () => {
    const f = await fleet({ isolates: 1 });
    const { TOKENMINT_COORDINATOR: _, ...unbound } = f.env;
    expect((await f.mint(0, unbound)).status).toBe(200);
    expect([f.upstream(), f.namespace.calls]).toEqual([1, 0]);
    f.clock.advance(800_000); // due: now through the object
    expect((await f.mint(0)).status).toBe(200);
    expect([f.upstream(), f.namespace.calls]).toEqual([2, 1]);
  });
});

type Cfg = Parameters<NonNullable<Parameters<typeof testConfig>[0]>>[0];
