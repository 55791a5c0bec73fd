// Three vitest projects, chosen by folder so a new test file lands in a run without editing this list:
//   workerd  tests/worker/**, tests/runtimes/workerd.test.ts: inside the Workers runtime (@cloudflare/vitest-plugin,
//            configured from wrangler.toml). In `npm test`.
//   slow     tests/slow/**: real-time scenarios and the benchmark smoke run, in Node. `npm run test:slow` only.
//   node     every other tests/**/*.test.ts, in Node 22 (unit tests on a fake clock, runtime smoke, build checks).
//            In `npm test`.
import { availableParallelism } from 'node:os';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { configDefaults, defineConfig } from 'vitest/config';
import { DEV_ENTRY, devVars } from './scripts/lib/dev-vars.mjs';

const WORKERD = ['tests/worker/**/*.test.ts', 'tests/runtimes/workerd.test.ts'];
const SLOW = ['tests/slow/**/*.test.ts'];
const PACKAGE = ['tests/package/**/*.test.ts'];
// Watchdogs, not timing: on a loaded 2-core machine a test takes many times its quiet duration (a
// fake-clock hardening test of 1 s took over 5 s, vitest's default, at a load average of 15).
const WATCHDOG = { testTimeout: 60_000, hookTimeout: 60_000 };

export default defineConfig({
  test: {
    // Starts the loopback token server once and `provide`s its URL to every project.
    globalSetup: ['tests/helpers/vitest-global-setup.ts'],
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          ...WATCHDOG,
          // vitest's default is one worker fewer than the CPUs: one on a 2-core machine, which runs these
          // CPU-bound files one after the other. Two keep both cores busy while Chromium waits on its clock.
          maxWorkers: Math.max(2, availableParallelism() - 1),
          // Files share each worker's module graph instead of reloading it (−18% CPU: 84 → 69 s here), as the
          // workerd project does; tests restore what they change (fake timers, stubs) in their own hooks.
          isolate: false,
          include: ['tests/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...WORKERD, ...SLOW, ...PACKAGE],
        },
      },
      {
        // The package as a user installs it (npm pack, an offline install, every runtime, examples/): minutes
        // of builds and runtimes, so npm test runs it as a step of its own, never beside the CPU-bound node tests.
        test: { name: 'package', environment: 'node', include: PACKAGE },
      },
      {
        // The dev entry (the Worker with the in-isolate emulator) runs here, as under `npm start`.
        // The development secrets (a fresh session key, the emulator's demo credentials) are bound here,
        // so the Worker under test never depends on a developer's .dev.vars. TOKENMINT_HARDENING=full
        // (npm run test:hardening) gives the hardening suites their full sizes.
        plugins: [cloudflareTest(async () => ({ main: `./${DEV_ENTRY}`, wrangler: { configPath: './wrangler.toml' }, miniflare: { bindings: { ...(await devVars()), TOKENMINT_HARDENING: process.env.TOKENMINT_HARDENING ?? 'reduced' } } }))],
        test: {
          name: 'workerd',
          include: WORKERD,
          ...WATCHDOG,
          // One workerd for all files instead of one per file (~5 s each under load). Files share the
          // wrangler.toml Worker's module state and storage, so tests of it must not assume a fresh one.
          isolate: false,
        },
      },
      {
        test: {
          name: 'slow',
          environment: 'node',
          ...WATCHDOG,
          include: SLOW,
        },
      },
    ],
  },
});
