// The published package as a user installs it: npm pack of a fresh checkout (prepack builds dist/),
// installed offline into a scratch project, then every entry of its exports map imported in Node (ESM and
// require), Deno, Bun, workerd (bundled as wrangler would) and Chromium (bundled as a page's bundler would);
// then every program of examples/ run from that project in its runtime, switched to the emulator.
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import { Miniflare, convertV4MiniflareOptions } from 'miniflare';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/lib/find-chromium.mjs';
import { hermeticEnv } from '../../scripts/lib/hermetic-env.mjs';
import { APP, CHECKOUT, ROOT, entrySpecifiers, packAndInstall, removeScratch, run, type Packed } from './_packed.js';

// Every test here starts a runtime (Node, Deno, Bun, workerd, Chromium): seconds each on a loaded machine.
vi.setConfig({ testTimeout: 120_000 });

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
  copyFileSync(join(ROOT, 'tests/package/entries.mjs'), join(APP, 'entries.mjs'));
  cpSync(join(ROOT, 'examples'), join(APP, 'examples'), { recursive: true });
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
  it('ships dist (JavaScript and types of every entry), proto (the Prism service\'s messages), README, LICENSE, CHANGELOG — and no sources or tests', () => {
    for (const file of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']) expect(packed.files).toContain(file);
    for (const target of Object.values(exportsMap)) {
      const paths = typeof target === 'string' ? [target] : [target.default, target.types];
      for (const path of paths) expect(packed.files).toContain(path.replace(/^\.\//, ''));
    }
    expect(packed.files.filter((file) => !/^(dist\/|proto\/[\w/]+\.proto$|package\.json$|README\.md$|LICENSE$|CHANGELOG\.md$)/.test(file))).toEqual([]);
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

const EMULATED = { TOKENMINT_EMULATOR: '1' };
const lines = (output: string): string[] => output.trim().split('\n');

/** A free loopback port (for wrangler dev). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

describe('examples/, run from the installed tarball with TOKENMINT_EMULATOR=1', () => {
  it('node/main.mjs', async () => {
    const out = await run(bin('node'), ['examples/node/main.mjs'], { cwd: APP, env: EMULATED });
    expect(out.code, out.stderr).toBe(0);
    expect(lines(out.stdout)).toEqual(['same token for concurrent callers: true', expect.stringMatching(/^token type: Bearer, valid for 3[56]\d\d s$/), 'authorization header: Bearer <token>', 'token requests: 1']);
  });

  it('deno/main.ts (with --allow-env, as its comment says)', async () => {
    const out = await run(bin('deno'), ['run', '--node-modules-dir=manual', '--no-prompt', '--allow-net', '--allow-env', `--allow-read=${APP}`, 'examples/deno/main.ts'], { cwd: APP, env: EMULATED });
    expect(out.code, out.stderr).toBe(0);
    expect(lines(out.stdout)).toEqual([expect.stringMatching(/^deno: Bearer token, valid for 3[56]\d\d s$/), 'cached: true']);
  });

  it('bun/main.ts: the API behind createAuthorizedFetch receives the token', async () => {
    const out = await run(bin('bun'), ['--no-install', 'run', 'examples/bun/main.ts'], { cwd: APP, env: EMULATED });
    expect(out.code, out.stderr).toBe(0);
    expect(lines(out.stdout)).toEqual(['bun: the API got "Bearer <the token>"']);
  });

  it('prism/main.mjs: server token, cached, and the client token, through options.fetch and baseUrl', async () => {
    const out = await run(bin('node'), ['examples/prism/main.mjs'], { cwd: APP, env: EMULATED });
    expect(out.code, out.stderr).toBe(0);
    expect(lines(out.stdout)).toEqual([expect.stringMatching(/^server token: Bearer, expires in \d+ s \(mat_1\)$/), 'cached: true', 'client token: SUCCESS ClientToken']);
  });

  it('provider/main.mjs: Kitegateway through baseUrl and fetch', async () => {
    const out = await run(bin('node'), ['examples/provider/main.mjs'], { cwd: APP, env: EMULATED });
    expect(out.code, out.stderr).toBe(0);
    expect(lines(out.stdout)).toEqual(['authorization: JWT <token>', expect.stringMatching(/^valid for (899|900) s, cached: true$/)]);
  });

  it('browser/: the PKCE sign-in page, bundled with esbuild, in Chromium with ?emulator', async () => {
    const dir = join(APP, 'examples/browser');
    await build({ entryPoints: [join(dir, 'app.mjs')], absWorkingDir: APP, bundle: true, format: 'esm', platform: 'browser', outfile: join(dir, 'app.js'), logLevel: 'silent' });
    const browser = await chromium.launch({ executablePath: findChromium().executablePath, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      // localhost is a secure context (WebCrypto for PKCE); the files are served from the example folder.
      await page.route('http://localhost:4173/**', (route) => {
        const file = new URL(route.request().url()).pathname.slice(1);
        return route.fulfill({ path: join(dir, file), contentType: file.endsWith('.js') ? 'text/javascript' : 'text/html' });
      });
      await page.goto('http://localhost:4173/index.html?emulator');
      await page.waitForFunction(() => document.getElementById('status')?.textContent !== 'signing in…');
      expect(errors).toEqual([]);
      expect(await page.textContent('#status')).toBe('signed in: Bearer token, refreshed: true');
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('worker/: the merchant Worker under wrangler dev with --var TOKENMINT_EMULATOR:1', async () => {
    const port = await freePort();
    const dir = join(APP, 'examples/worker');
    writeFileSync(join(dir, '.dev.vars'), ''); // no secrets needed with the emulator
    const child = spawn(bin('wrangler'), ['dev', '--ip', '127.0.0.1', '--port', String(port), '--var', 'TOKENMINT_EMULATOR:1', '--show-interactive-dev-session=false'], {
      cwd: dir,
      env: hermeticEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout!.on('data', (d: Buffer) => (log += d));
    child.stderr!.on('data', (d: Buffer) => (log += d));
    try {
      let answer: unknown;
      for (let i = 0; i < 240 && answer === undefined && child.exitCode === null; i++) {
        answer = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.json(), () => undefined);
        if (answer === undefined) await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(answer, log).toEqual({ authorization: 'Bearer <token>', tokenRequests: 1 });
      // A second request is served from the isolate's store: still one token request.
      expect(await fetch(`http://127.0.0.1:${port}/`).then((r) => r.json())).toEqual({ authorization: 'Bearer <token>', tokenRequests: 1 });
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
    }
  }, 180_000);
});
