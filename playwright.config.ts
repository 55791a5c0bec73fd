// Chromium run of the smoke scenario. Playwright cannot download browsers here, so it drives Debian's
// chromium (TOOLCHAIN.md); CHROMIUM_PATH overrides the binary.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'tests/runtimes',
  testMatch: 'chromium.spec.ts',
  globalSetup: './tests/helpers/playwright-global-setup.ts',
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
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-dev-shm-usage',
      ],
    },
  },
});
