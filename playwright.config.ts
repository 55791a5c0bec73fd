// Chromium runs: the smoke scenario (project `runtimes`), the playground against the mint Worker
// under `wrangler dev` (project `playground`) and any other tests/**/*.spec.ts (project `chromium`).
// The browser: CHROMIUM_PATH, else Playwright's own (`npx playwright install chromium`), else the
// system's Chromium or Chrome (scripts/lib/find-chromium.mjs); with none, loading this config fails with
// one message saying how to get one.
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './scripts/lib/find-chromium.mjs';

export default defineConfig({
  projects: [
    { name: 'runtimes', testDir: 'tests/runtimes', testMatch: 'chromium.spec.ts' },
    { name: 'playground', testDir: 'tests/playground', testMatch: '*.spec.ts' },
    // Any other tests/**/*.spec.ts, so a new folder of browser tests runs without editing this list.
    { name: 'chromium', testDir: 'tests', testMatch: '**/*.spec.ts', testIgnore: ['runtimes/**', 'playground/**'] },
  ],
  // The loopback token server of the smoke page; the Worker (scripts/start.mjs on a free port).
  globalSetup: ['./tests/helpers/playwright-global-setup.ts', './tests/playground/_global-setup.ts'],
  outputDir: '.cache/playwright/test-results',
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  timeout: 30_000,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: findChromium().executablePath,
      args: CHROMIUM_ARGS,
    },
  },
});
