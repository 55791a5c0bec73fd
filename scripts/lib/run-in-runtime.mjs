// Runs tests/runtimes/<runtime>.mjs in a non-Node runtime (Deno, Bun): starts the loopback token server
// here in Node, spawns the runtime with its URL, streams its output, and resolves with its exit code.
import { spawn } from 'node:child_process';
import { startTokenServer } from '../../tests/helpers/token-server.mjs';
import { hermeticEnv, ROOT } from './hermetic-env.mjs';

/**
 * @param {{ name: string, bin: string, args: (baseUrl: string) => string[] }} runtime
 * @returns {Promise<number>} the child's exit code (1 if it died from a signal or could not start)
 */
export async function runInRuntime({ name, bin, args }) {
  const server = await startTokenServer();
  const started = performance.now();
  try {
    const argv = args(server.url);
    console.log(`[${name}] ${bin} ${argv.join(' ')}`);
    const code = await new Promise((resolve) => {
      const child = spawn(bin, argv, { cwd: ROOT, env: hermeticEnv(), stdio: 'inherit' });
      child.on('error', (err) => {
        console.error(`[${name}] could not start ${bin}: ${err.message}`);
        resolve(1);
      });
      child.on('exit', (c, signal) => resolve(signal ? 1 : (c ?? 1)));
    });
    const secs = ((performance.now() - started) / 1000).toFixed(2);
    console.log(`[${name}] ${code === 0 ? 'PASS' : `FAIL (exit ${code})`} in ${secs}s`);
    return code;
  } finally {
    await server.close();
  }
}
