// The production Worker as `wrangler deploy` would upload it (docs/deploy.md): the production config of the
// deploy guide, bundled by `wrangler deploy --dry-run --outdir` offline, is at most 28 KiB gzip
// (BUDGETS.worker, bench/lib/sizes.mjs) and holds no emulator module, no dev-entry module, none of the
// opt-in parts and none of the emulator's demo credentials. The guide's Worker with every opt-in part is
// held to its own budget and is emulator-free too. The dev entry (`npm start`, workerd tests) is bundled
// as well and must hold the emulator, so the checks are seen to find what they look for. The root
// wrangler.toml is the dev demo: wrangler refuses to deploy it with the production entry.
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
/** The emulator's modules: its router and helpers, each provider's emulator beside its flow, the Worker's dev entry. */
const EMULATOR_MODULES = /^src\/(emulator\/|worker\/dev\/|providers\/[^/]+\/(orders-)?emulator\.ts$)/;

/** Every string in the emulator's `*_DEMO` exports: the demo credentials, found where they are defined. */
const demoCredentials = Object.entries(emulator)
  .filter(([name]) => name.endsWith('_DEMO'))
  .flatMap(([, value]) => Object.values(value as Record<string, unknown>))
  .filter((value): value is string => typeof value === 'string');

const guide = readFileSync(`${ROOT}docs/deploy.md`, 'utf8');
const guideToml = /```toml\n([\s\S]*?)```/.exec(guide)?.[1] ?? '';
/** The guide's main module for a Worker with the proxy, the vault and Prism's service. */
const guideEntry = /```ts\n(\/\/ src\/index\.ts: every part[\s\S]*?)```/.exec(guide)?.[1] ?? '';
/** The guide's vault binding and migration, for that Worker. */
const VAULT_BINDING_TOML = /```toml\n(\[\[durable_objects\.bindings\]\]\nname = "TOKENMINT_VAULT"[\s\S]*?)```/.exec(guide)?.[1] ?? '';

type Bundle = Awaited<ReturnType<typeof dryRun>>;
let production: Bundle;
let withParts: Bundle;
let dev: Bundle;
let shippedRefusal: string;

beforeAll(async () => {
  // The guide's config from a scratch folder: its `main` made absolute, nothing else changed.
  mkdirSync(`${CACHE}/dry-run`, { recursive: true });
  const config = `${CACHE}/dry-run/wrangler.production.toml`;
  writeFileSync(config, guideToml.replace(/^main = "([^"]+)"/m, (_, main: string) => `main = "${ROOT}${main}"`));
  // The guide's entry with every part, its imports pointed at the sources, beside a config that binds the vault.
  const entry = `${CACHE}/dry-run/with-parts.ts`;
  writeFileSync(entry, guideEntry.replaceAll(/'tokenmint\/worker(\/\w+)?'/g, (_, sub: string | undefined) => `'${ROOT}src/worker${sub ?? ''}/index.ts'`));
  const partsConfig = `${CACHE}/dry-run/wrangler.with-parts.toml`;
  writeFileSync(partsConfig, `${guideToml.replace(/^main = "([^"]+)"/m, `main = "${entry}"`)}\n${VAULT_BINDING_TOML}`);
  [production, withParts, dev, shippedRefusal] = await Promise.all([
    dryRun({ name: 'production', config }),
    dryRun({ name: 'with-parts', config: partsConfig }),
    dryRun({ name: 'dev', script: DEV_ENTRY }),
    dryRun({ name: 'shipped' }).then(
      () => 'deployed',
      (error: Error) => error.message,
    ),
  ]);
}, 180_000);

it('the guide shows the entry with every part and the vault binding it needs', () => {
  expect(guideEntry).toContain("from 'tokenmint/worker/vault'");
  expect(VAULT_BINDING_TOML).toContain('class_name = "TokenVault"');
});

it('the emulator exports its demo credentials (what the bundles are searched for)', () => {
  expect(demoCredentials.length).toBeGreaterThanOrEqual(26);
  expect(demoCredentials).toContain(emulator.PAYPAL_DEMO.clientSecret);
});

describe.each([
  ['the production config of docs/deploy.md', () => production, WORKER_GZIP_BUDGET],
  ['the Worker with every part of docs/deploy.md', () => withParts, BUDGETS.workerWithParts],
])('wrangler deploy --dry-run of %s', (name, bundle, budget) => {
  it(`is at most ${budget} B gzip`, () => {
    const { raw, gzip, gzip9 } = bundle();
    console.log(`size: ${name} (wrangler dry run) ${raw} B, ${gzip} B gzip (${gzip9} B at level 9), budget ${budget} B`);
    expect(gzip).toBeLessThanOrEqual(budget);
  });

  it('bundles no emulator or dev-entry module', () => {
    expect(bundle().inputs.some((path) => path.startsWith('src/worker/'))).toBe(true);
    expect(bundle().inputs.filter((path) => EMULATOR_MODULES.test(path))).toEqual([]);
  });

  it('holds none of the emulator demo credentials', () => {
    expect(demoCredentials.filter((secret) => bundle().code.includes(secret))).toEqual([]);
  });
});

it('the production Worker carries none of the opt-in parts; the Worker with every part carries all three', () => {
  const parts = (bundle: Bundle) => ['src/worker/proxy/handler.ts', 'src/worker/vault/object.ts', 'src/prism/service/service.ts'].filter((path) => bundle.inputs.includes(path));
  expect(parts(production)).toEqual([]);
  expect(parts(withParts)).toHaveLength(3);
});

it('the root wrangler.toml is the dev demo: wrangler refuses to deploy it with the production entry', () => {
  expect(shippedRefusal).toMatch(/not exported[\s\S]*TokenVault/);
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
