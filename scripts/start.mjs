// `npm start`: the mint Worker under `wrangler dev` on http://127.0.0.1:8787, serving the playground.
// Upstreams are the built-in emulators, so no secret is needed. PORT overrides the port.
import { spawn } from 'node:child_process';
import { hermeticEnv, ROOT } from './lib/hermetic-env.mjs';

const port = process.env.PORT ?? '8787';
const child = spawn(`${ROOT}node_modules/.bin/wrangler`, ['dev', '--ip', '127.0.0.1', '--port', port, '--show-interactive-dev-session=false'], {
  cwd: ROOT,
  env: hermeticEnv(),
  stdio: 'inherit',
});
// Forward Ctrl-C/SIGTERM to wrangler itself so workerd stops with it (TOOLCHAIN.md).
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  process.exitCode = signal ? 0 : (code ?? 1);
});
