// `npm run test:bun`: the smoke scenario in Bun (binary from the `bun` npm package). --no-install: resolve
// valibot from node_modules only; never auto-install from the network.
import { runInRuntime } from './lib/run-in-runtime.mjs';
import { ROOT } from './lib/hermetic-env.mjs';

process.exitCode = await runInRuntime({
  name: 'bun',
  bin: `${ROOT}node_modules/.bin/bun`,
  args: (baseUrl) => ['--no-install', 'run', 'tests/runtimes/bun.mjs', baseUrl],
});
