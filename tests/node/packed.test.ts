// The published package as a user installs it: npm pack of a fresh checkout (prepack builds dist/),
// installed offline into a scratch project, then every entry of its exports map imported in Node (ESM and
// require), Deno, Bun, workerd (bundled as wrangler would) and Chromium (bundled as a page's bundler would).
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { Miniflare, convertV4MiniflareOptions } from 'miniflare';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/lib/find-chromium.mjs';
import { APP, CHECKOUT, ROOT, entrySpecifiers, packAndInstall, removeScratch, run, type Packed } from './_packed.js';

type Names = Record<string, string[]>;
let packed: Packed;
let exportsMap: Record<string, string | { types: string; default: string }>;
let expected: Names;

beforeAll(async () => {
  packed = await packAndInstall();
  exportsMap = JSON.parse(readFileSync(join(APP, 'node_modules/tokenmint/package.json'), 'utf8')).exports;
  // What each entry should export: the names of the freshly built dist/ the tarball was packed from.
  expected = {};
  for (const [key, target] of Object.entries(exportsMap)) {
    if (key === './package.json' || typeof target === 'string') continue;
    expected[key === '.' ? 'tokenmint' : `tokenmint/${key.slice(2)}`] = Object.keys(await import(join(CHECKOUT, target.default))).sort();
  }
  copyFileSync(join(ROOT, 'tests/node/fixtures/packed/entries.mjs'), join(APP, 'entries.mjs'));
}, 600_000); // a rollup build and an npm install on a loaded 2-core machine
afterAll(() => removeScratch());

const bin = (name: string): string => join(ROOT, 'node_modules/.bin', name);

function importedNames(output: string): Record<string, { import: string[]; require?: string[]; sameObjects?: boolean }> {
  const got = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as Record<string, { import: string[]; require?: string[]; sameObjects?: boolean }>;
  // require(esm) marks a namespace that has a default export with __esModule, for CommonJS interop.
  for (const entry of Object.values(got)) if (entry.require) entry.require = entry.require.filter((name) => name !== '__esModule');
  return got;
}

/** One module importing every entry statically, for bundlers; it reports the names each entry exports. */
async function bundleEveryEntry(conditions: string[]): Promise<string> {
  const specifiers = entrySpecifiers(exportsMap);
  const source = [
    ...specifiers.map((s, i) => `import * as e${i} from '${s}';`),
    `const names = { ${specifiers.map((s, i) => `'${s}': Object.keys(e${i}).sort()`).join(', ')} };`,
    'globalThis.tokenmintEntries = names;',
    'export default { fetch: () => Response.json(names) };',
  ].join('\n');
  const result = await build({
    stdin: { contents: source, resolveDir: APP, sourcefile: 'every-entry.mjs', loader: 'js' },
    absWorkingDir: APP,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions,
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

describe('npm pack of a fresh checkout', () => {
  it('ships dist (JavaScript and types of every entry), README, LICENSE, CHANGELOG — and no sources or tests', () => {
    for (const file of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']) expect(packed.files).toContain(file);
    for (const target of Object.values(exportsMap)) {
      const paths = typeof target === 'string' ? [target] : [target.default, target.types];
      for (const path of paths) expect(packed.files).toContain(path.replace(/^\.\//, ''));
    }
    expect(packed.files.filter((file) => !/^(dist\/|package\.json$|README\.md$|LICENSE$|CHANGELOG\.md$)/.test(file))).toEqual([]);
  });
});

describe('every entry of the installed tarball', () => {
  it('Node: import and require give the same modules, one copy of each', async () => {
    const node = await run(bin('node'), ['entries.mjs', '--require'], { cwd: APP });
    expect(node.code, node.stderr).toBe(0);
    const got = importedNames(node.stdout);
    expect(Object.keys(got).sort()).toEqual(Object.keys(expected).sort());
    for (const [specifier, names] of Object.entries(expected)) {
      expect(names.length, specifier).toBeGreaterThan(0);
      expect(got[specifier]).toEqual({ import: names, require: names, sameObjects: true });
    }
  });

  it('Deno', async () => {
    const deno = await run(bin('deno'), ['run', '--node-modules-dir=manual', '--no-prompt', `--allow-read=${APP}`, 'entries.mjs'], { cwd: APP });
    expect(deno.code, deno.stderr).toBe(0);
    const got = importedNames(deno.stdout);
    for (const [specifier, names] of Object.entries(expected)) expect(got[specifier]?.import, specifier).toEqual(names);
  });

  it('Bun (import and require)', async () => {
    const bun = await run(bin('bun'), ['--no-install', 'run', 'entries.mjs', '--require'], { cwd: APP });
    expect(bun.code, bun.stderr).toBe(0);
    const got = importedNames(bun.stdout);
    for (const [specifier, names] of Object.entries(expected)) expect(got[specifier], specifier).toEqual({ import: names, require: names, sameObjects: true });
  });

  it('workerd: bundled with the conditions wrangler uses', async () => {
    const script = await bundleEveryEntry(['workerd', 'worker', 'browser']);
    const mf = new Miniflare(convertV4MiniflareOptions({ workers: [{ name: 'packed', modules: true, script, compatibilityDate: '2026-11-01' }] }));
    try {
      const response = await mf.dispatchFetch('http://packed.test/');
      expect(await response.json()).toEqual(expected);
    } finally {
      await mf.dispose();
    }
  }, 60_000);

  it('Chromium: bundled for the browser, loaded as a module script', async () => {
    const script = await bundleEveryEntry(['browser']);
    const browser = await chromium.launch({ executablePath: findChromium().executablePath, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.addScriptTag({ content: script, type: 'module' });
      const got = await page.waitForFunction(() => (globalThis as { tokenmintEntries?: unknown }).tokenmintEntries).then((handle) => handle.jsonValue());
      expect(errors).toEqual([]);
      expect(got).toEqual(expected);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
