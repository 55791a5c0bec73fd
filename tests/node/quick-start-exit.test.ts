// Issue 12 item 1: a script whose `get()` waits on an in-line retry (a transient 503, an unreachable
// host) must not be ended by its runtime while it waits — Node reported "unsettled top-level await"
// (exit 13) and printed nothing. The quick start runs as a child process in Node, Deno and Bun against a
// loopback endpoint that answers 503 once (the token is printed, exit 0) and against a closed port (the
// TokenError is printed, exit 1). Uses the built package (dist/), like the other runtime smoke tests.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hermeticEnv, ROOT } from '../../scripts/lib/hermetic-env.mjs';

const SCRIPT = 'tests/runtimes/quick-start.mjs';
const RUNTIMES: [name: string, command: string, args: string[]][] = [
  ['node', process.execPath, [SCRIPT]],
  ['deno', `${ROOT}node_modules/.bin/deno`, ['run', '--node-modules-dir=manual', '--no-prompt', '--allow-net=127.0.0.1', `--allow-read=${ROOT}`, SCRIPT]],
  ['bun', `${ROOT}node_modules/.bin/bun`, ['--no-install', 'run', SCRIPT]],
];

let server: Server;
let base = '';
let closedPort = 0;
/** Requests per path: the first one to each path is answered 503. */
const seen = new Map<string, number>();

beforeAll(async () => {
  server = createServer((request, response) => {
    const count = (seen.get(request.url!) ?? 0) + 1;
    seen.set(request.url!, count);
    request.resume();
    response.setHeader('content-type', 'application/json');
    if (count === 1) response.writeHead(503).end(JSON.stringify({ error: 'temporarily_unavailable' }));
    else response.writeHead(200).end(JSON.stringify({ access_token: `quick-start-token-${count}`, token_type: 'Bearer', expires_in: 3600 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A port that was just free and is closed again: connections to it are refused.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Runs the quick start against `tokenUrl`. */
function run(command: string, args: string[], tokenUrl: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // Not spawnSync: it would block this process's event loop, and with it the server.
    const child = spawn(command, [...args, tokenUrl], { cwd: ROOT, env: hermeticEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe.each(RUNTIMES)('%s: the quick start', (name, command, args) => {
  it('waits through one 503, prints the token and exits 0', async () => {
    const result = await run(command, args, `${base}/${name}/token`);
    expect({ status: result.status, stdout: result.stdout.trim() }, result.stderr).toEqual({ status: 0, stdout: 'quick-start-token-2' });
    expect(seen.get(`/${name}/token`)).toBe(2);
  }, 30_000);

  it('against a closed port prints the network TokenError and exits 1', async () => {
    const result = await run(command, args, `http://127.0.0.1:${closedPort}/token`);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/TokenError/);
    expect(result.stderr).toMatch(/network error/);
  }, 30_000);
});
