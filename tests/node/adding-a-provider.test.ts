// Adding a provider is one new folder and one line in src/providers/list.ts (docs/providers.md#adding-a-provider).
// Shown on a copy of the source tree: the test-only provider in tests/fixtures/acmepay/ is copied to
// src/providers/acmepay/, its name is added to the list (a one-line diff), scripts/providers.mjs writes
// the modules that import the folders, and Prism's connectors, the Worker's registry and the emulator
// router, loaded from the copy, all serve it. The copy is type-checked too. And the generated modules in
// this tree are what the script writes from its list.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, run } from '../../scripts/providers.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const LIST = 'src/providers/list.ts';

it('the committed modules that import the provider folders are what scripts/providers.mjs writes from the list', () => {
  expect(run({ check: true })).toEqual([]);
  expect(Object.keys(generate())).toEqual(['src/providers/all.ts', 'src/emulator/providers.ts']);
});

describe('a copy of the tree with one provider folder added', () => {
  // Inside the repository, so the copy resolves valibot and ofetch from node_modules/.
  let tree = '';
  const path = (file: string): string => join(tree, file);
  const list = (): string => readFileSync(path(LIST), 'utf8');

  beforeAll(() => {
    mkdirSync(join(ROOT, '.cache'), { recursive: true });
    tree = mkdtempSync(join(ROOT, '.cache', 'new-provider-'));
    cpSync(join(ROOT, 'src'), path('src'), { recursive: true });
    cpSync(join(ROOT, 'tsconfig.json'), path('tsconfig.json'));
    cpSync(join(ROOT, 'tests/fixtures/acmepay'), path('src/providers/acmepay'), { recursive: true });
  });
  afterAll(() => rmSync(tree, { recursive: true, force: true }));

  it('the script refuses the folder until the list names it, and a listed name without its folder', () => {
    expect(() => generate(tree)).toThrow('src/providers/acmepay/ is not in src/providers/list.ts: add its name there');
    const original = list();
    writeFileSync(path(LIST), original.replace("  'pinelabs',\n", "  'pinelabs',\n  'acmepay',\n  'nopay',\n"));
    expect(() => generate(tree)).toThrow('src/providers/list.ts names nopay, but src/providers/nopay/flow.ts does not exist');
    writeFileSync(path(LIST), original.replace("  'pinelabs',\n", "  'pinelabs',\n  'pinelabs',\n"));
    expect(() => generate(tree)).toThrow('src/providers/list.ts names pinelabs twice');
    writeFileSync(path(LIST), original);
  });

  it('one line in the list, and the script writes the modules that import it', () => {
    const before = list().split('\n');
    writeFileSync(path(LIST), list().replace("  'pinelabs',\n", "  'pinelabs',\n  'acmepay',\n"));
    const after = list().split('\n');
    expect(after.length - before.length).toBe(1);
    expect(after.filter((line) => !before.includes(line))).toEqual(["  'acmepay',"]);
    expect(run({ root: tree })).toEqual(['src/providers/all.ts', 'src/emulator/providers.ts']);
    expect(readFileSync(path('src/providers/all.ts'), 'utf8')).toContain("export * from './acmepay/flow.js';");
    expect(readFileSync(path('src/emulator/providers.ts'), 'utf8')).toContain('acmepay: ACMEPAY_EMULATOR,');
  });

  it('Prism, the Worker registry and the emulator router all serve it, minting through its emulator', async () => {
    const providers = await import(path('src/providers/index.ts'));
    const emulatorModule = await import(path('src/emulator/index.ts'));
    const prism = await import(path('src/prism/index.ts'));
    const registry = await import(path('src/worker/config/registry.ts'));
    const emulator = emulatorModule.createEmulator();
    const demo = emulatorModule.ACMEPAY_DEMO as { clientId: string; clientSecret: string };

    // The descriptor list and the public exports.
    expect(providers.findProvider('ACME')).toBe(providers.ACMEPAY_PROVIDER);
    expect(typeof providers.acmePay).toBe('function');
    expect(providers.CREDENTIAL_PROVIDERS.at(-1).name).toBe('acmePay');

    // The emulator router, by the folder's name.
    expect(Object.keys(emulatorModule.PROVIDER_EMULATORS)).toContain('acmepay');
    expect(emulator.baseUrl('acmepay')).toBe('https://emulator.invalid/acmepay');

    // Prism's connector.
    const client = new prism.MerchantAuthenticationClient({ connectorConfig: { acmePay: { ...demo, baseUrl: emulator.baseUrl('acmepay') } }, options: { fetch: emulator.fetch } });
    expect(await client.createServerAuthenticationToken({ scope: 'payments' })).toMatchObject({ status: 'SUCCESS', accessToken: expect.stringMatching(/^acme_at/) });
    client.dispose();

    // The Worker's registry: its entry under any of its names, with its secrets.
    const [name, entry] = registry.findEntry('acme');
    expect(name).toBe('acmePay');
    expect(entry.secrets).toEqual({ clientId: 'ACMEPAY_CLIENT_ID', clientSecret: 'ACMEPAY_CLIENT_SECRET' });
    const flow = entry.create({ credentials: demo, options: { scope: 'payments' }, baseUrl: emulator.baseUrl(entry.emulatorPrefix), fetch: emulator.fetch });
    expect(await flow.fetchToken({ fetch: emulator.fetch, signal: new AbortController().signal })).toMatchObject({ tokenType: 'Bearer', scope: 'payments' });
    expect(emulator.requests.map((request: { path: string }) => request.path)).toEqual(['/acmepay/oauth/token', '/acmepay/oauth/token']);
  });

  it('the copy type-checks: its options and emulator options are typed like every built-in one', () => {
    // A user's code against the new provider; each @ts-expect-error fails the check if its line compiles.
    writeFileSync(
      path('src/uses-acmepay.ts'),
      [
        "import { createEmulator } from './emulator/index.js';",
        "import { acmePay } from './providers/index.js';",
        "createEmulator({ acmepay: { clients: { 'a-client': 'a-secret' } } });",
        'acmePay({ clientId: "a-client", clientSecret: "a-secret", scope: "payments" });',
        '// @ts-expect-error: an option its emulator does not have',
        "createEmulator({ acmepay: { client: { 'a-client': 'a-secret' } } });",
        '// @ts-expect-error: a credential missing',
        'acmePay({ clientId: "a-client" });',
        '',
      ].join('\n'),
    );
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', path('tsconfig.json')], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 120_000);
});
