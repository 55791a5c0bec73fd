// `npm test`: build, then the smoke scenario and build checks in every runtime, side by side:
//   vitest node project (Node 22 smoke, no-Node-API check, size budgets, unit tests), vitest workerd
//   project, Playwright/Chromium, Deno, Bun. Then the vitest package project (the packed tarball and
//   examples/ in every runtime: builds and runtimes that would starve the CPU-bound runners), once those
//   have ended, beside Chromium's real-clock scenarios. Slow real-time scenarios are `npm run test:slow`.
// After the build, up to TEST_JOBS runners run at once (default: the CPU count + 1, as Chromium's
// scenarios mostly wait on the real clock; TEST_JOBS=1 runs them one after the other). Each runner's
// output is kept and printed whole when it ends, so parallel output stays readable.
// Every step runs even if an earlier one failed; the exit code is 1 if anything failed. The last line is
// `N passed, N failed`: tests as each runner counts them (vitest and Playwright test cases; Deno and Bun
// run the scenario as one test each). A failed build or a runner that crashed without reporting counts as
// one failure; a build that succeeds is not counted as a test.
import { mkdirSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { CACHE } from './lib/hermetic-env.mjs';
import { bin, playwrightCounts, runSteps, scriptCounts, summary, vitestCounts } from './lib/steps.mjs';

const RESULTS = `${CACHE}/results`;
const JOBS = Math.max(1, Number(process.env.TEST_JOBS) || availableParallelism() + 1);

const build = { name: 'build', cmd: 'npm', args: ['run', 'build'], counts: () => ({ passed: 0, failed: 0 }) };
const vitest = (project) => ({
  name: `vitest ${project}`,
  cmd: bin('vitest'),
  args: ['run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${RESULTS}/vitest-${project}.json`],
  report: `${RESULTS}/vitest-${project}.json`,
  counts: vitestCounts,
});
// Longest first, so the short ones fill in behind it.
const runners = [
  {
    name: 'chromium',
    cmd: bin('playwright'),
    args: ['test', '--reporter=list,json'],
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: `${RESULTS}/playwright.json` },
    report: `${RESULTS}/playwright.json`,
    counts: playwrightCounts,
  },
  vitest('node'),
  vitest('workerd'),
  { name: 'deno', cmd: process.execPath, args: ['scripts/run-deno.mjs'], counts: scriptCounts },
  { name: 'bun', cmd: process.execPath, args: ['scripts/run-bun.mjs'], counts: scriptCounts },
];

const packaged = vitest('package');

mkdirSync(RESULTS, { recursive: true });
for (const step of [build, ...runners, packaged]) if (step.report) rmSync(step.report, { force: true });
const started = performance.now();
// The runners test dist/: nothing starts before the build has ended.
const rows = await runSteps([build], { jobs: 1 });
console.log(`\n━━━ ${runners.length} runners, up to ${Math.min(JOBS, runners.length)} at once (TEST_JOBS)`);
if (JOBS === 1) {
  rows.push(...(await runSteps(runners, { jobs: 1 })));
  rows.push(...(await runSteps([packaged], { jobs: 1 })));
} else {
  // Chromium's scenarios mostly wait on the real clock: the CPU-bound runners share the other slots, and
  // the package step follows them there instead of waiting for Chromium too.
  const [chromium, ...cpuBound] = runners;
  const lanes = await Promise.all([
    runSteps([chromium], { jobs: 1, announce: true }),
    runSteps(cpuBound, { jobs: JOBS - 1 }).then(async (done) => [...done, ...(await runSteps([packaged], { jobs: 1, announce: true }))]),
  ]);
  rows.push(...lanes.flat());
}
const total = summary(rows, (performance.now() - started) / 1000);
process.exitCode = total.failed > 0 ? 1 : 0;
