// Two vitest projects: `node` (Node 22: runtime smoke, build checks) and `workerd` (tests run inside the
// Workers runtime via @cloudflare/vitest-plugin, configured from wrangler.toml).
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { devVars } from './scripts/lib/dev-vars.mjs';

export default defineConfig({
  test: {
    // Starts the loopback token server once and `provide`s its URL to both projects.
    globalSetup: ['tests/helpers/vitest-global-setup.ts'],
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['tests/core/**/*.test.ts', 'tests/fetch/**/*.test.ts', 'tests/widget/**/*.test.ts', 'tests/node/**/*.test.ts', 'tests/runtimes/node.test.ts', 'tests/providers/**/*.test.ts', 'tests/prism/**/*.test.ts', 'tests/emulator/**/*.test.ts', 'tests/hardening/**/*.test.ts'],
        },
      },
      {
        // The package as a user installs it (npm pack, an offline install, every runtime, examples/): minutes
        // of builds and runtimes, so npm test runs it as a step of its own, never beside the CPU-bound node tests.
        test: { name: 'package', environment: 'node', include: ['tests/package/**/*.test.ts'] },
      },
      {
        // The development secrets (a fresh session key, the emulator's demo credentials) are bound here,
        // so the Worker under test never depends on a developer's .dev.vars. TOKENMINT_HARDENING=full
        // (npm run test:hardening) gives the hardening suites their full sizes.
        plugins: [cloudflareTest(async () => ({ wrangler: { configPath: './wrangler.toml' }, miniflare: { bindings: { ...(await devVars()), TOKENMINT_HARDENING: process.env.TOKENMINT_HARDENING ?? 'reduced' } } }))],
        test: {
          name: 'workerd',
          include: ['tests/runtimes/workerd.test.ts', 'tests/worker/**/*.test.ts'],
        },
      },
    ],
  },
});
