// The production Worker as `wrangler deploy` would upload it (docs/deploy.md): the root wrangler.toml and
// the production config of the deploy guide, bundled by `wrangler deploy --dry-run --outdir` offline. Each
// is at most 50 KiB gzip (BUDGETS.worker, bench/lib/sizes.mjs) and holds no emulator module, no dev-entry module and none of the emulator's demo
// credentials. The dev entry (`npm start`, workerd tests) is bundled too and must hold them, so the
// checks are seen to find what they look for.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUDGETS } from '../../bench/lib/sizes.mjs';
import { readDemoConfig } from '../../scripts/lib/demo-config.mjs';
import { DEV_ENTRY } from '../../scripts/lib/dev-vars.mjs';
import { CACHE, ROOT } from '../../scripts/lib/hermetic-env.mjs';
import { dryRun } from '../../scripts/lib/worker-dry-run.mjs';
import * as emulator from '../../src/emulator/index.js';
import { parseConfig } from '../../src/worker/config/parse.js';

/** Issue #13: the production Worker script, gzip (zlib's default level, as wrangler reports it). */
const WORKER_GZIP_BUDGET = BUDGETS.worker;
const EMULATOR_MODULES = /^src\/(emulator|worker\/dev)\//;

/** Every string in the emulator's `*_DEMO` exports: the demo credentials, found where they are defined. */
const demoCredentials = Object.entries(emulator)
  .filter(([name]) => name.endsWith('_DEMO'))
  .flatMap(([, value]) => Object.values(value as Record<string, unknown>))
  .filter((value): value is string => typeof value === 'string');

const guide = readFileSync(`${ROOT}docs/deploy.md`, 'utf8');
const guideToml = /```toml\n([\s\S]*?)```/.exec(guide)?.[1] ?? '';

type Bundle = Awaited<ReturnType<typeof dryRun>>;
let shipped: Bundle;
let production: Bundle;
let dev: Bundle;

beforeAll(async () => {
  // The guide's config from a scratch folder: its `main` made absolute, nothing else changed.
  mkdirSync(`${CACHE}/dry-run`, { recursive: true });
  const config = `${CACHE}/dry-run/wrangler.production.toml`;
  writeFileSync(config, guideToml.replace(/^main = "([^"]+)"/m, (_, main: string) => `main = "${ROOT}${main}"`));
  [shipped, production, dev] = await Promise.all([
    dryRun({ name: 'shipped' }),
    dryRun({ name: 'production', config }),
    dryRun({ name: 'dev', script: DEV_ENTRY }),
  ]);
}, 180_000);

it('the emulator exports its demo credentials (what the bundles are searched for)', () => {
  expect(demoCredentials.length).toBeGreaterThanOrEqual(26);
  expect(demoCredentials).toContain(emulator.PAYPAL_DEMO.clientSecret);
});

describe.each([
  ['the root wrangler.toml', () => shipped],
  ['the production config of docs/deploy.md', () => production],
])('wrangler deploy --dry-run of %s', (_, bundle) => {
  it(`is at most ${WORKER_GZIP_BUDGET} B gzip`, () => {
    const { raw, gzip, gzip9 } = bundle();
    console.log(`size: production Worker (wrangler dry run) ${raw} B, ${gzip} B gzip (${gzip9} B at level 9), budget ${WORKER_GZIP_BUDGET} B`);
    expect(gzip).toBeLessThanOrEqual(WORKER_GZIP_BUDGET);
  });

  it('bundles no emulator or dev-entry module', () => {
    expect(bundle().inputs.some((path) => path.startsWith('src/worker/'))).toBe(true);
    expect(bundle().inputs.filter((path) => EMULATOR_MODULES.test(path))).toEqual([]);
  });

  it('holds none of the emulator demo credentials', () => {
    expect(demoCredentials.filter((secret) => bundle().code.includes(secret))).toEqual([]);
  });
});

it('the dev entry bundles the emulator and its demo credentials (the checks above see them)', () => {
  expect(dev.inputs.filter((path) => EMULATOR_MODULES.test(path)).length).toBeGreaterThan(10);
  expect(demoCredentials.filter((secret) => dev.code.includes(secret))).toContain(emulator.PAYPAL_DEMO.clientSecret);
});

describe('the production config of docs/deploy.md', () => {
  const config = readDemoConfig(guideToml);
  const bound = {
    MINT_RATE_LIMITER: { limit: async () => ({ success: true }) },
    TOKENMINT_COORDINATOR: { idFromName: () => ({}), get: () => ({}) },
  };

  it('binds the Durable Object class with its migration and the rate limiter', () => {
    expect(production.log).toMatch(/env\.TOKENMINT_COORDINATOR \(TokenCoordinator\)\s+Durable Object/);
    expect(production.log).toMatch(/env\.MINT_RATE_LIMITER .*Rate Limit/);
    expect(guideToml).toMatch(/\[\[migrations\]\]\ntag = "v1"\nnew_sqlite_classes = \["TokenCoordinator"\]/);
  });

  it('is a valid TOKENMINT_CONFIG for the Worker, without the emulator, with issuer and environments', () => {
    const result = parseConfig({ TOKENMINT_CONFIG: JSON.stringify(config), ...bound });
    expect(result.ok ? [] : result.errors).toEqual([]);
    expect(config.issuer).toMatch(/^https:\/\//);
    expect(config.devEmulator).toBeUndefined();
    for (const profile of Object.values(config.profiles as Record<string, { upstream?: string; options: { environment?: string } }>)) {
      expect(profile.upstream ?? 'provider').toBe('provider');
      expect(profile.options.environment).toBe('production');
    }
  });

  it('lists a `wrangler secret put` for exactly the secrets its profiles read', () => {
    const result = parseConfig({ TOKENMINT_CONFIG: JSON.stringify(config), ...bound });
    if (!result.ok) throw new Error(result.errors.join('\n'));
    const needed = new Set([result.config.sessionKeySecret, ...[...result.config.profiles.values()].flatMap((p) => Object.values(p.secretNames))]);
    const listed = new Set([...guide.matchAll(/wrangler secret put (\w+)/g)].map((m) => m[1]));
    expect([...listed].sort()).toEqual([...needed].sort());
  });
});
