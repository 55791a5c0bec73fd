// The Chromium the browser tests drive, looked for where a Playwright user would expect it:
//   1. CHROMIUM_PATH (a Chromium or Chrome executable you choose);
//   2. Playwright's own browsers (`npx playwright install chromium`, PLAYWRIGHT_BROWSERS_PATH honoured);
//   3. the system's Chromium or Chrome (Debian's `chromium`, Google Chrome, …).
// With none, one error says how to get one. `node scripts/lib/find-chromium.mjs` prints what it finds.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

/** Launch arguments for a headless run as root in a container, with nothing reaching the network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

export const NO_CHROMIUM = [
  'No Chromium or Chrome found for the browser tests. Get one either way, then run the tests again:',
  '  npx playwright install chromium     (Playwright\'s own build, into its cache)',
  '  apt-get install chromium            (Debian; Ubuntu: chromium-browser; macOS: install Google Chrome)',
  'or set CHROMIUM_PATH to a Chromium or Chrome executable.',
].join('\n');

const SYSTEM_NAMES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome', 'chrome'];

/** System installs: executables on PATH, then the usual install folders of macOS and Windows. */
function systemCandidates(env) {
  const exe = process.platform === 'win32' ? '.exe' : '';
  const onPath = (env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir && !dir.includes('node_modules'))
    .flatMap((dir) => SYSTEM_NAMES.map((name) => join(dir, name + exe)));
  const mac = ['Google Chrome.app/Contents/MacOS/Google Chrome', 'Chromium.app/Contents/MacOS/Chromium'].flatMap((app) => [
    join('/Applications', app),
    join(homedir(), 'Applications', app),
  ]);
  const windows = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA]
    .filter(Boolean)
    .flatMap((root) => [join(root, 'Google/Chrome/Application/chrome.exe'), join(root, 'Chromium/Application/chrome.exe')]);
  return [...onPath, '/snap/bin/chromium', ...(process.platform === 'darwin' ? mac : []), ...(process.platform === 'win32' ? windows : [])];
}

/** An error whose printout is its message alone: where it was thrown helps nobody get a browser. */
function noChromium(message) {
  const error = new Error(message);
  error.stack = `Error: ${message}`;
  return error;
}

/**
 * @returns {{ executablePath: string, source: 'CHROMIUM_PATH' | 'playwright' | 'system' }}
 * @throws {Error} NO_CHROMIUM when there is none; a CHROMIUM_PATH that does not exist is an error too.
 */
export function findChromium(env = process.env) {
  if (env.CHROMIUM_PATH) {
    if (!existsSync(env.CHROMIUM_PATH)) throw noChromium(`CHROMIUM_PATH=${env.CHROMIUM_PATH} does not exist.\n${NO_CHROMIUM}`);
    return { executablePath: env.CHROMIUM_PATH, source: 'CHROMIUM_PATH' };
  }
  let own;
  try {
    own = chromium.executablePath();
  } catch {
    // Playwright knows no build for this platform: fall through to the system's browsers.
  }
  if (own && existsSync(own)) return { executablePath: own, source: 'playwright' };
  const system = systemCandidates(env).find((path) => existsSync(path));
  if (system) return { executablePath: system, source: 'system' };
  throw noChromium(NO_CHROMIUM);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const found = findChromium();
    console.log(`${found.executablePath} (${found.source})`);
  } catch (error) {
    console.error(error.message);
    process.exitCode = 1;
  }
}
