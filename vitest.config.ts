// Three vitest projects, chosen by folder so a new test file lands in a run without editing this list:
//   workerd  tests/worker/**, tests/runtimes/workerd.test.ts: inside the Workers runtime (@cloudflare/vitest-plugin,
//            configured from wrangler.toml). In `npm test`.
//   slow     tests/slow/**: real-time scenarios and the benchmark smoke run, in Node. `npm run test:slow` only.
//   node     every other tests/**/*.test.ts, in Node 22 (unit tests on a fake clock, runtime smoke, build checks).
//            In `npm test`.
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { configDefaults, defineConfig } from 'vitest/config';
import { devVars } from './scripts/lib/dev-vars.mjs';

const WORKERD = ['tests/worker/**/*.test.ts', 'tests/runtimes/workerd.test.ts'];
const SLOW = ['tests/slow/**/*.test.ts'];

export default defineConfig({
  test: {
    // Starts the loopback token server once and `provide`s its URL to every project.
    globalSetup: ['tests/helpers/vitest-global-setup.ts'],
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['tests/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...WORKERD, ...SLOW],
        },
      },
      {
        // The development secrets (a fresh session key, the emulator's demo credentials) are bound here,
        // so the Worker under test never depends on a developer's .dev.vars. TOKENMINT_HARDENING=full
        // (npm run test:hardening) gives the hardening suites their full sizes.
        plugins: [cloudflareTest(async () => ({ wrangler: { configPath: './wrangler.toml' }, miniflare: { bindings: { ...(await devVars()), TOKENMINT_HARDENING: process.env.TOKENMINT_HARDENING ?? 'reduced' } } }))],
        test: {
          name: 'workerd',
          include: WORKERD,
        },
      },
      {
        test: {
          name: 'slow',
          environment: 'node',
          include: SLOW,
        },
      },
    ],
  },
});
