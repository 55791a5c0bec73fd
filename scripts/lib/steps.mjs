// The step runner of `npm test` (scripts/test.mjs): runs test runners side by side, each in its own
// process group with a watchdog, keeps each one's output and prints it whole when it ends, and counts
// passed/failed tests from each runner's JSON report.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { hermeticEnv, ROOT } from './hermetic-env.mjs';

// Watchdog, not logic: a step stuck in a busy loop (a hung test worker) is killed and counted as failed.
const STEP_LIMIT_MS = Number(process.env.TEST_STEP_LIMIT_MS ?? 10 * 60_000);
// While steps run silently (their output is held back), a line every so often says which still run.
const HEARTBEAT_MS = 30_000;

export const bin = (name) => `${ROOT}node_modules/.bin/${name}`;

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Counts from vitest's JSON report; a file that failed to load counts as one failure. */
export function vitestCounts(file) {
  const r = readJson(file);
  if (!r) return undefined;
  const brokenFiles = r.testResults.filter((f) => f.status === 'failed' && !f.assertionResults.some((a) => a.status === 'failed')).length;
  return { passed: r.numPassedTests, failed: r.numFailedTests + brokenFiles };
}

/** Counts from Playwright's JSON report; errors outside tests (globalSetup, config) count as one failure. */
export function playwrightCounts(file) {
  const r = readJson(file);
  if (!r?.stats) return undefined;
  const outside = r.errors?.length && !r.stats.unexpected ? 1 : 0;
  return { passed: r.stats.expected + r.stats.flaky, failed: r.stats.unexpected + outside };
}

/** A script that runs one scenario (Deno, Bun): its exit code is the one test. */
export const scriptCounts = (_, code) => (code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 });

const running = new Set(); // process groups under way, stopped with us on Ctrl-C
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    for (const child of running) killGroup(child, sig);
    process.exit(130);
  });
}
function killGroup(child, sig) {
  try {
    process.kill(-child.pid, sig);
  } catch {}
}

const commandLine = (step) => [step.cmd.replace(ROOT, ''), ...step.args].join(' ');

/** Runs one step with its output captured; resolves to its exit code and that output. */
function run(step) {
  return new Promise((resolve) => {
    const chunks = [];
    // Colours as a terminal would show them, though the runner writes to a pipe.
    const colour = process.stdout.isTTY ? { FORCE_COLOR: '1' } : {};
    // Own process group, so a timeout stops the runner's workers and browsers too.
    const child = spawn(step.cmd, step.args, { cwd: ROOT, env: { ...hermeticEnv(), ...colour, ...step.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running.add(child);
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
    const watchdog = setTimeout(() => {
      chunks.push(Buffer.from(`\n[${step.name}] still running after ${STEP_LIMIT_MS / 1000} s: stopping it\n`));
      killGroup(child, 'SIGKILL');
    }, STEP_LIMIT_MS);
    const done = (code) => {
      clearTimeout(watchdog);
      running.delete(child);
      resolve({ code, output: Buffer.concat(chunks).toString() });
    };
    child.on('error', (err) => {
      chunks.push(Buffer.from(`[${step.name}] could not start: ${err.message}\n`));
      done(1);
    });
    // 'close', not 'exit': the output pipes are drained by then.
    child.on('close', (code, signal) => done(signal ? 1 : (code ?? 1)));
  });
}

/**
 * Runs `steps`, at most `jobs` at a time, in the order given. Each step's output is printed whole, under
 * its header, when it ends (`announce`: also say when each starts; default when several run at once).
 * Resolves to one row per step, in the order given:
 * `{ name, code, seconds, passed, failed }`.
 */
export async function runSteps(steps, { jobs, announce = jobs > 1 }) {
  const rows = new Array(steps.length);
  let next = 0;
  const startedAt = new Map();
  const heartbeat = setInterval(() => {
    const now = performance.now();
    const list = [...startedAt].map(([name, t]) => `${name} (${((now - t) / 1000).toFixed(0)} s)`);
    if (list.length > 0) console.log(`… still running: ${list.join(', ')}`);
  }, HEARTBEAT_MS);
  async function lane() {
    while (next < steps.length) {
      const index = next++;
      const step = steps[index];
      const started = performance.now();
      startedAt.set(step.name, started);
      if (announce) console.log(`▶ ${step.name} started`);
      const { code, output } = await run(step);
      startedAt.delete(step.name);
      const seconds = (performance.now() - started) / 1000;
      let counts = step.counts(step.report && existsSync(step.report) ? step.report : undefined, code) ?? { passed: 0, failed: 1 };
      // A non-zero exit with nothing failed in the report (crash, unhandled error, build error) is a failure.
      if (code !== 0 && counts.failed === 0) counts = { ...counts, failed: 1 };
      rows[index] = { name: step.name, code, seconds, ...counts };
      const status = code === 0 ? 'ok' : `FAILED (exit ${code})`;
      process.stdout.write(`\n━━━ ${step.name}: ${commandLine(step)}\n${output}${output.endsWith('\n') || output === '' ? '' : '\n'}━━━ ${step.name}: ${status}, ${seconds.toFixed(1)} s\n`);
    }
  }
  await Promise.all(Array.from({ length: Math.min(jobs, steps.length) }, lane));
  clearInterval(heartbeat);
  return rows;
}

/** Prints the per-step table and the `N passed, N failed` line; returns the totals. */
export function summary(rows, wallSeconds) {
  const total = rows.reduce((t, r) => ({ passed: t.passed + r.passed, failed: t.failed + r.failed }), { passed: 0, failed: 0 });
  console.log('\n━━━ summary');
  for (const r of rows) {
    const status = r.code === 0 ? 'ok  ' : 'FAIL';
    console.log(`${status} ${r.name.padEnd(15)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed ${r.seconds.toFixed(1).padStart(6)} s`);
  }
  console.log(`wall clock ${wallSeconds.toFixed(1)} s`);
  console.log(`${total.passed} passed, ${total.failed} failed`);
  return total;
}
