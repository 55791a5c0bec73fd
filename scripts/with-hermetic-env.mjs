// `node scripts/with-hermetic-env.mjs <bin> [args...]`: runs a node_modules/.bin tool with the hermetic
// environment of scripts/lib/hermetic-env.mjs (used by the per-runtime npm scripts).
import { spawn } from 'node:child_process';
import { hermeticEnv, ROOT } from './lib/hermetic-env.mjs';

const [bin, ...args] = process.argv.slice(2);
if (!bin) throw new Error('usage: with-hermetic-env.mjs <bin> [args...]');
const child = spawn(`${ROOT}node_modules/.bin/${bin}`, args, { cwd: ROOT, env: hermeticEnv(), stdio: 'inherit' });
child.on('error', (err) => {
  console.error(`could not start ${bin}: ${err.message}`);
  process.exitCode = 1;
});
child.on('exit', (code, signal) => {
  process.exitCode = signal ? 1 : (code ?? 1);
});
