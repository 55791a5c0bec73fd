// Adding a provider is one new folder and one line in src/providers/list.ts (docs/providers.md#adding-a-provider).
// Shown on a copy of the source tree and of the test tables: the test-only provider in tests/fixtures/acmepay/
// is copied to src/providers/acmepay/, its name is added to the list (a one-line diff), scripts/providers.mjs
// writes the modules that import the folders, and, loaded from the copy, Prism's connectors, the Worker's
// registry, the emulator router and the hardening suites' tables (planted credentials, fault-matrix rows)
// all take it, with no other edit. Its providers and emulator layers are type-checked. And the generated modules in this tree
// are what the script writes from its list.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { exportNamed, generate, readList, run } from '../../scripts/providers.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const LIST = 'src/providers/list.ts';

it('the committed modules that import the provider folders are what scripts/providers.mjs writes from the list', () => {
  expect(run({ check: true })).toEqual([]);
  expect(Object.keys(generate())).toEqual(['src/providers/all.ts', 'src/emulator/providers.ts']);
});

it('the script reads the list with its comments, and asks each folder file for its one descriptor or entry export', () => {
  expect(readList("export const CREDENTIALS = [\n  'paypal', // PayPal\n  // 'later',\n  'volt',\n] as const;\nexport const CODE_GRANTS = [] as const;")).toEqual({ CREDENTIALS: ['paypal', 'volt'], CODE_GRANTS: [] });
  expect(() => readList("export const CREDENTIALS = ['PayPal'] as const;\nexport const CODE_GRANTS = [] as const;")).toThrow("'PayPal' in CREDENTIALS is not a folder name");
  expect(() => readList("export const CREDENTIALS = ['paypal'] as const;")).toThrow('must export the array CODE_GRANTS');
  expect(exportNamed('x/flow.ts', 'export const X_PROVIDER = 1;', '_PROVIDER')).toBe('X_PROVIDER');
  expect(() => exportNamed('x/emulator.ts', 'export const X_EMULATOR = 1;\nexport const Y_EMULATOR = 2;', '_EMULATOR')).toThrow('x/emulator.ts must export one `export const <NAME>_EMULATOR` (found 2)');
});

describe('a copy of the tree with one provider folder added', () => {
  // Inside the repository, so the copy resolves valibot and ofetch from node_modules/.
  let tree = '';
  const path = (file: string): string => join(tree, file);
  const list = (): string => readFileSync(path(LIST), 'utf8');
  let typeCheck: Promise<{ output: string; status: number | null }> = Promise.resolve({ output: 'the list was not changed', status: null });

  /**
   * tsc over the copy's providers and emulator layers (where the generated modules and the new folder
   * are) and a user's code against the new provider, whose @ts-expect-error lines fail the check if they
   * compile. Started as soon as the modules are written, so it runs while the copy is loaded and tested.
   */
  function startTypeCheck(): Promise<{ output: string; status: number | null }> {
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
    const config = { ...JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')), include: ['src/uses-acmepay.ts', 'src/providers', 'src/emulator'] };
    writeFileSync(path('tsconfig.json'), JSON.stringify(config));
    const tsc = spawn(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', path('tsconfig.json')]);
    let output = '';
    tsc.stdout.on('data', (chunk) => (output += chunk));
    tsc.stderr.on('data', (chunk) => (output += chunk));
    return new Promise((resolve) => tsc.on('close', (status) => resolve({ output, status })));
  }

  beforeAll(() => {
    mkdirSync(join(ROOT, '.cache'), { recursive: true });
    tree = mkdtempSync(join(ROOT, '.cache', 'new-provider-'));
    cpSync(join(ROOT, 'src'), path('src'), { recursive: true });
    cpSync(join(ROOT, 'tests/fixtures/acmepay'), path('src/providers/acmepay'), { recursive: true });
    // The test tables, which import ../../src: in the copy they are built from the copy's lists.
    cpSync(join(ROOT, 'tests/hardening'), path('tests/hardening'), { recursive: true, filter: (file) => !file.endsWith('.test.ts') });
    cpSync(join(ROOT, 'tests/providers/_helpers.ts'), path('tests/providers/_helpers.ts'));
  });
  afterAll(async () => {
    await typeCheck;
    rmSync(tree, { recursive: true, force: true });
  });

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
    typeCheck = startTypeCheck();
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

    // Prism's connector: its fields and the scope it takes, from the descriptor.
    expect(prism.TOKEN_CONNECTORS.acmepay).toMatchObject({ fields: ['clientId', 'clientSecret', 'scope'], takesScope: true, takesExpiresIn: false });
    const client = new prism.MerchantAuthenticationClient({ connectorConfig: { acmePay: { ...demo, baseUrl: emulator.baseUrl('acmepay') } }, options: { fetch: emulator.fetch } });
    expect(await client.createServerAuthenticationToken({ scope: 'payments' })).toMatchObject({ status: 'SUCCESS', accessToken: expect.stringMatching(/^acme_at/) });
    client.dispose();

    // The Worker's registry: its entry under any of its names, with its secrets, a scope option and no lifetime.
    const [name, entry] = registry.findEntry('acme');
    expect(name).toBe('acmePay');
    expect(entry).toMatchObject({ secrets: { clientId: 'ACMEPAY_CLIENT_ID', clientSecret: 'ACMEPAY_CLIENT_SECRET' }, emulatorPrefix: 'acmepay', environments: true });
    expect(v.safeParse(entry.options, { environment: 'sandbox', scope: 'payments' }).success).toBe(true);
    expect(v.safeParse(entry.options, { environment: 'sandbox', expiresIn: 60 }).success).toBe(false);
    const flow = entry.create({ credentials: demo, options: { scope: 'payments' }, baseUrl: emulator.baseUrl(entry.emulatorPrefix), fetch: emulator.fetch });
    expect(await flow.fetchToken({ fetch: emulator.fetch, signal: new AbortController().signal })).toMatchObject({ tokenType: 'Bearer', scope: 'payments' });
    expect(emulator.requests.map((request: { path: string }) => request.path)).toEqual(['/acmepay/oauth/token', '/acmepay/oauth/token']);
  });

  it('the hardening tables plant its credentials, make its emulator accept them alone, and give it a fault-matrix row whose cells run', async () => {
    const { PLANTED_CREDENTIALS, plantedEmulatorOptions } = await import(path('tests/hardening/_planted.ts'));
    const { FLOWS } = await import(path('tests/hardening/_flows.ts'));
    const { FAULTS } = await import(path('tests/hardening/_faults.ts'));
    const { runCell } = await import(path('tests/hardening/_matrix.ts'));
    const { captureConsole } = await import(path('tests/hardening/_scan.ts'));
    const { ACMEPAY_DEMO } = await import(path('src/emulator/index.ts'));

    const planted = PLANTED_CREDENTIALS.acmePay;
    expect(planted).toEqual({ clientId: ACMEPAY_DEMO.clientId, clientSecret: expect.stringMatching(/^S3CR3T-acmepay-clientSecret-/) });
    expect(plantedEmulatorOptions()).toHaveProperty('acmepay', { clients: { [ACMEPAY_DEMO.clientId]: planted.clientSecret } });
    const rows = FLOWS.filter((row: { name: string }) => row.name === 'acmePay');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ token: ['access_token'], lifetime: { path: ['expires_in'], kind: 'seconds-optional' }, secrets: [planted.clientSecret], basic: [ACMEPAY_DEMO.clientId, planted.clientSecret] });
    const labels = FLOWS.map((row: { short: string }) => row.short);
    expect(new Set(labels).size).toBe(labels.length);

    // Cells of the matrix, run as the fault matrix runs them: its emulator knows only the planted credentials.
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const lines = captureConsole(vi.spyOn as never);
    try {
      for (const fault of ['none (baseline)', 'missing access token', '401 echoing the request']) {
        const result = await runCell(rows[0], FAULTS.find((spec: { name: string }) => spec.name === fault), undefined, lines);
        expect(result.problems, fault).toEqual([]);
      }
    } finally {
      vi.restoreAllMocks();
      vi.useRealTimers();
    }
  });

  it('the copy type-checks: its options and emulator options are typed like every built-in one', async () => {
    const { output, status } = await typeCheck;
    expect(output).toBe('');
    expect(status).toBe(0);
  }, 120_000);
});
