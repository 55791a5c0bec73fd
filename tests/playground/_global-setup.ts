// Starts the mint Worker as `npm start` does (scripts/start.mjs: widget bundle, .dev.vars, wrangler dev,
// demo origins moved to the port) on a free loopback port, before Playwright's workers start; they
// inherit PLAYGROUND_URL. Teardown sends SIGTERM to start.mjs, which hands it to wrangler itself, so
// workerd exits too; a port still open afterwards fails the run.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { CACHE, ROOT, hermeticEnv } from '../../scripts/lib/hermetic-env.mjs';
import { freePort } from './_ports.ts';

const LOG = `${CACHE}/playground/wrangler.log`;
const READY_WITHIN_MS = 60_000;

const tail = (): string => readFileSync(LOG, 'utf8').split('\n').slice(-30).join('\n');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForWorker(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_WITHIN_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`scripts/start.mjs exited (${child.exitCode}) before the Worker answered:\n${tail()}`);
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) return;
    await sleep(200);
  }
  throw new Error(`the Worker did not answer ${url}/healthz within ${READY_WITHIN_MS / 1000} s:\n${tail()}`);
}

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

async function stop(child: ChildProcess, port: number): Promise<void> {
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(10_000)]);
  }
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    throw new Error('scripts/start.mjs ignored SIGTERM for 10 s');
  }
  if (await portOpen(port)) throw new Error(`port ${port} still open after wrangler stopped: workerd outlived it`);
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const port = await freePort();
  mkdirSync(`${CACHE}/playground`, { recursive: true });
  const log = createWriteStream(LOG);
  const child = spawn(process.execPath, ['scripts/start.mjs'], { cwd: ROOT, env: { ...hermeticEnv(), PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForWorker(url, child);
  } catch (error) {
    await stop(child, port).catch(() => {});
    throw error;
  }
  process.env.PLAYGROUND_URL = url;
  return () => stop(child, port);
}
