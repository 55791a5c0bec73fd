// `npm run test:deno`: the smoke scenario in Deno (binary from the `deno` npm package, works offline).
// --node-modules-dir=manual: resolve dist's bare `valibot` import from the existing node_modules via
// package.json, never from the network. Permissions: loopback only, read only the checkout.
import { runInRuntime } from './lib/run-in-runtime.mjs';
import { ROOT } from './lib/hermetic-env.mjs';

process.exitCode = await runInRuntime({
  name: 'deno',
  bin: `${ROOT}node_modules/.bin/deno`,
  args: (baseUrl) => [
    'run',
    '--node-modules-dir=manual',
    '--no-prompt',
    '--allow-net=127.0.0.1',
    `--allow-read=${ROOT}`,
    'tests/runtimes/deno.mjs',
    baseUrl,
  ],
});
