// Environment for test children: every tool's cache/config/data goes under .cache/ in the checkout
// (gitignored), so runs neither read nor litter the user's home, and nothing phones home.
// node_modules/.bin leads PATH so `node` is the Node 22 of the `node` devDependency even when a script
// was started with the system Node 20.
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CACHE = `${ROOT}.cache`;

/** Where Playwright keeps its browsers for this user: its Linux default follows XDG_CACHE_HOME, redirected below. */
function playwrightBrowsers(base) {
  if (base.PLAYWRIGHT_BROWSERS_PATH || process.platform !== 'linux') return base.PLAYWRIGHT_BROWSERS_PATH;
  return join(base.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ms-playwright');
}

export function hermeticEnv(base = process.env) {
  const browsers = playwrightBrowsers(base);
  const env = {
    ...base,
    // Read-only use: the browsers `npx playwright install chromium` put in the user's cache stay found.
    ...(browsers === undefined ? {} : { PLAYWRIGHT_BROWSERS_PATH: browsers }),
    PATH: `${ROOT}node_modules/.bin${delimiter}${base.PATH ?? ''}`,
    XDG_CACHE_HOME: `${CACHE}/xdg-cache`,
    XDG_CONFIG_HOME: `${CACHE}/xdg-config`,
    XDG_DATA_HOME: `${CACHE}/xdg-data`,
    DENO_DIR: `${CACHE}/deno`,
    DENO_NO_UPDATE_CHECK: '1',
    BUN_INSTALL_CACHE_DIR: `${CACHE}/bun-install`,
    BUN_RUNTIME_TRANSPILER_CACHE_PATH: `${CACHE}/bun-transpiler`,
    DO_NOT_TRACK: '1',
    WRANGLER_SEND_METRICS: 'false',
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  };
  for (const key of ['XDG_CACHE_HOME', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'DENO_DIR', 'BUN_INSTALL_CACHE_DIR']) {
    mkdirSync(env[key], { recursive: true });
  }
  return env;
}
