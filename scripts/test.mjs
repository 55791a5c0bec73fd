// `npm test`: build, then the smoke scenario and build checks in every runtime, one after the other:
//   vitest node project (Node 22 smoke, no-Node-API check, size budget, unit tests),
//   vitest workerd project, vitest package project (the packed tarball and examples/ in every runtime),
//   Playwright/Chromium, Deno, Bun.
// Every step runs even if an earlier one failed; the exit code is 1 if anything failed. The last line is
// `N passed, N failed`: tests as each runner counts them (vitest and Playwright test cases; Deno and Bun
// run the scenario as one test each). A failed build or a runner that crashed without reporting counts as
// one failure; a build that succeeds is not counted as a test.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { hermeticEnv, CACHE, ROOT } from './lib/hermetic-env.mjs';

const RESULTS = `${CACHE}/results`;
// Watchdog, not logic: a step stuck in a busy loop (a hung test worker) is killed and counted as failed.
const STEP_LIMIT_MS = Number(process.env.TEST_STEP_LIMIT_MS ?? 10 * 60_000);
const bin = (name) => `${ROOT}node_modules/.bin/${name}`;

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Counts from vitest's JSON report; a file that failed to load counts as one failure. */
function vitestCounts(file) {
  const r = readJson(file);
  if (!r) return undefined;
  const brokenFiles = r.testResults.filter((f) => f.status === 'failed' && !f.assertionResults.some((a) => a.status === 'failed')).length;
  return { passed: r.numPassedTests, failed: r.numFailedTests + brokenFiles };
}

/** Counts from Playwright's JSON report; errors outside tests (globalSetup, config) count as one failure. */
function playwrightCounts(file) {
  const r = readJson(file);
  if (!r?.stats) return undefined;
  const outside = r.errors?.length && !r.stats.unexpected ? 1 : 0;
  return { passed: r.stats.expected + r.stats.flaky, failed: r.stats.unexpected + outside };
}

const steps = [
  { name: 'build', cmd: 'npm', args: ['run', 'build'], counts: () => ({ passed: 0, failed: 0 }) },
  ...['node', 'workerd', 'package'].map((project) => ({
    name: `vitest ${project}`,
    cmd: bin('vitest'),
    args: ['run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${RESULTS}/vitest-${project}.json`],
    report: `${RESULTS}/vitest-${project}.json`,
    counts: vitestCounts,
  })),
  {
    name: 'chromium',
    cmd: bin('playwright'),
    args: ['test', '--reporter=list,json'],
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: `${RESULTS}/playwright.json` },
    report: `${RESULTS}/playwright.json`,
    counts: playwrightCounts,
  },
  { name: 'deno', cmd: process.execPath, args: ['scripts/run-deno.mjs'], counts: (_, code) => (code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 }) },
  { name: 'bun', cmd: process.execPath, args: ['scripts/run-bun.mjs'], counts: (_, code) => (code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 }) },
];

let current; // the running step's process group, stopped with us on Ctrl-C
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (current) killGroup(current, sig);
    process.exit(130);
  });
}
function killGroup(child, sig) {
  try {
    process.kill(-child.pid, sig);
  } catch {}
}

function run(step) {
  return new Promise((resolve) => {
    // Own process group, so a timeout stops the runner's workers and browsers too.
    const child = spawn(step.cmd, step.args, { cwd: ROOT, env: { ...hermeticEnv(), ...step.env }, stdio: 'inherit', detached: true });
    current = child;
    const watchdog = setTimeout(() => {
      console.error(`[${step.name}] still running after ${STEP_LIMIT_MS / 1000} s: stopping it`);
      killGroup(child, 'SIGKILL');
    }, STEP_LIMIT_MS);
    child.on('error', (err) => {
      console.error(`[${step.name}] could not start: ${err.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(watchdog);
      current = undefined;
      resolve(signal ? 1 : (code ?? 1));
    });
  });
}

mkdirSync(RESULTS, { recursive: true });
const rows = [];
for (const step of steps) {
  console.log(`\n━━━ ${step.name}: ${[step.cmd.replace(ROOT, ''), ...step.args].join(' ')}`);
  if (step.report) rmSync(step.report, { force: true });
  const started = performance.now();
  const code = await run(step);
  const seconds = (performance.now() - started) / 1000;
  let counts = step.counts(step.report && existsSync(step.report) ? step.report : undefined, code) ?? { passed: 0, failed: 1 };
  // A non-zero exit with nothing failed in the report (crash, unhandled error, build error) is a failure.
  if (code !== 0 && counts.failed === 0) counts = { ...counts, failed: 1 };
  rows.push({ name: step.name, code, seconds, ...counts });
}

const total = rows.reduce((t, r) => ({ passed: t.passed + r.passed, failed: t.failed + r.failed }), { passed: 0, failed: 0 });
console.log('\n━━━ summary');
for (const r of rows) {
  const status = r.code === 0 ? 'ok  ' : 'FAIL';
  console.log(`${status} ${r.name.padEnd(15)} ${String(r.passed).padStart(3)} passed ${String(r.failed).padStart(3)} failed ${r.seconds.toFixed(1).padStart(6)} s`);
}
console.log(`${total.passed} passed, ${total.failed} failed`);
process.exitCode = total.failed > 0 ? 1 : 0;
