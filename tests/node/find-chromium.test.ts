// The browser the tests drive is found where a Playwright user expects it: CHROMIUM_PATH, then
// Playwright's own browsers, then the system's; with none, one message names both ways to get one.
// Each case runs the finder in a child process: Playwright reads its browsers path at load time.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'tokenmint-find-chromium-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function fakeExecutable(path: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, 0o755);
  return path;
}

function find(env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const { CHROMIUM_PATH: _, PLAYWRIGHT_BROWSERS_PATH: __, ...rest } = process.env;
  const result = spawnSync(process.execPath, ['scripts/lib/find-chromium.mjs'], { cwd: ROOT, env: { ...rest, ...env }, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

// Where Playwright 1.65 keeps its Chromium, relative to PLAYWRIGHT_BROWSERS_PATH (its registry's layout).
function playwrightChromium(browsers: string): string {
  const out = spawnSync(process.execPath, ['-e', "console.log(require('playwright-core').chromium.executablePath())"], {
    cwd: ROOT,
    env: { ...process.env, PLAYWRIGHT_BROWSERS_PATH: browsers },
    encoding: 'utf8',
  });
  return out.stdout.trim();
}

const systemDir = join(scratch, 'system-bin');
const emptyBrowsers = join(scratch, 'no-browsers');
mkdirSync(emptyBrowsers, { recursive: true });
const system = fakeExecutable(join(systemDir, 'chromium'));

it.skipIf(process.platform !== 'linux')('order: CHROMIUM_PATH, then Playwright\'s browsers, then the system\'s', () => {
  const mine = fakeExecutable(join(scratch, 'mine', 'chrome'));
  const browsers = join(scratch, 'pw-browsers');
  const own = fakeExecutable(playwrightChromium(browsers));
  expect(own.startsWith(browsers)).toBe(true);

  const PATH = `${systemDir}:/nonexistent`;
  expect(find({ PATH, CHROMIUM_PATH: mine, PLAYWRIGHT_BROWSERS_PATH: browsers }).stdout).toBe(`${mine} (CHROMIUM_PATH)`);
  expect(find({ PATH, PLAYWRIGHT_BROWSERS_PATH: browsers }).stdout).toBe(`${own} (playwright)`);
  expect(find({ PATH, PLAYWRIGHT_BROWSERS_PATH: emptyBrowsers }).stdout).toBe(`${system} (system)`);
}, 120_000); // four Node processes loading playwright-core on a loaded machine

it.skipIf(process.platform !== 'linux')('with none, one message naming npx playwright install chromium and the OS package', () => {
  const none = find({ PATH: '/nonexistent', PLAYWRIGHT_BROWSERS_PATH: emptyBrowsers });
  expect(none.status).toBe(1);
  expect(none.stderr).toContain('npx playwright install chromium');
  expect(none.stderr).toContain('apt-get install chromium');
  expect(none.stderr).not.toMatch(/\n\s+at /); // no stack trace in the way

  const missing = find({ PATH: `${systemDir}`, PLAYWRIGHT_BROWSERS_PATH: emptyBrowsers, CHROMIUM_PATH: join(scratch, 'nope') });
  expect(missing.status).toBe(1);
  expect(missing.stderr).toContain(`CHROMIUM_PATH=${join(scratch, 'nope')} does not exist`);
}, 60_000);
