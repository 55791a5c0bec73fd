// Starting and stopping `wrangler dev` for the Worker bench: loopback only, free ports, the hermetic
// environment of the tests (no metrics, no network), its own process group so that workerd stops with it.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { hermeticEnv, ROOT } from '../../scripts/lib/hermetic-env.mjs';

/** A TCP port free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `wrangler dev --config <config>` on 127.0.0.1 and waits until `readyPath` answers.
 * @returns {Promise<{ url: string, output: () => string, stop: () => Promise<void> }>}
 */
export async function startWrangler({ config, script, envFile, readyPath = '/', timeoutMs = 60_000 }) {
  const port = await freePort();
  const inspector = await freePort();
  // The script (overriding the config's `main`) comes first: wrangler's --env-file takes several values and
  // would swallow a script path after it.
  const args = ['dev', ...(script ? [script] : []), '--config', config, '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspector), '--show-interactive-dev-session=false', '--log-level', 'warn', '--persist-to', `${ROOT}.cache/bench/wrangler-state`];
  if (envFile) args.push('--env-file', envFile);
  const child = spawn(`${ROOT}node_modules/.bin/wrangler`, args, { cwd: ROOT, env: hermeticEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const collect = (chunk) => {
    output = (output + chunk).slice(-20_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let alive = true;
  exited.then(() => {
    alive = false;
  });
  const stop = async () => {
    if (!alive) return;
    try {
      process.kill(-child.pid, 'SIGTERM'); // the group: wrangler and its workerd
    } catch {}
    const timeout = sleep(5_000).then(() => 'timeout');
    if ((await Promise.race([exited, timeout])) === 'timeout') {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
      await exited;
    }
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!alive) throw new Error(`wrangler dev exited before it was ready: ${reason(output)}\n${output.slice(-2_000)}`);
    // A build or start-up error leaves wrangler waiting for a file change: no point in waiting for it.
    if (/\[ERROR\]/.test(plain(output))) {
      await stop();
      throw new Error(`wrangler dev reported an error: ${reason(output)}\n${output.slice(-2_000)}`);
    }
    try {
      const response = await fetch(url + readyPath, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      return { url, output: () => output, stop };
    } catch {}
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev was not ready within ${timeoutMs} ms: ${reason(output)}\n${output.slice(-2_000)}`);
    }
    await sleep(200);
  }
}

// eslint-disable-next-line no-control-regex
const plain = (output) => output.replace(/\u001b\[[0-9;]*m/g, '');

/** The line of wrangler's output that says what went wrong (and the next one), without terminal colours. */
function reason(output) {
  const lines = plain(output).split('\n').map((line) => line.trim()).filter(Boolean);
  const at = lines.findIndex((line) => /Uncaught|\[ERROR\]|✘|Error:/.test(line));
  return (at < 0 ? (lines[0] ?? 'no output') : lines.slice(at, at + 2).join(' ')).slice(0, 300);
}
