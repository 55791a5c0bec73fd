// `npm run bench`: tokenmint side by side with the anchor libraries, one command, one table.
//   npm run bench                 full run (~2 min on 2 cores), writes BENCHMARKS.md
//   npm run bench -- --quick      a few seconds per bench (CI smoke), writes bench/results/quick.md
//   --out FILE                    write the report there instead
//   --from FILE                   no run: render the report again from a run's raw figures (bench/results/latest.json)
// Benches 1–5 each run in their own Node process (bundled from bench/sections/ with esbuild, started
// with --expose-gc) with every contender side by side inside it; bench 6 drives `wrangler dev`; bench 7
// bundles with esbuild in this process; bench 8 (bench/proxy/overhead.mjs) runs Miniflare in its own.
// Raw figures: bench/results/latest.json (gitignored).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem, release } from 'node:os';
import { build } from 'esbuild';
import { ROOT } from '../scripts/lib/hermetic-env.mjs';
import { CONTENDER_INFO } from './lib/contender-info.mjs';
import { renderReport } from './lib/report.mjs';
import { measureAll } from './lib/sizes.mjs';
import { benchWorkers } from './lib/worker-bench.mjs';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const outArg = argv.indexOf('--out');
const out = outArg >= 0 ? argv[outArg + 1] : quick ? 'bench/results/quick.md' : 'BENCHMARKS.md';
const RESULTS = `${ROOT}bench/results`;
const SECTIONS = ['get-cost', 'herd', 'refresh-load', 'requests-per-hour', 'scale'];
const SECTION_LIMIT_MS = 240_000;

const log = (line) => process.stderr.write(`[bench] ${line}\n`);

/** Bundles the sections (TypeScript sources of tokenmint inlined, node_modules left as imports). */
async function buildSections() {
  await build({
    entryPoints: SECTIONS.map((name) => `bench/sections/${name}.mjs`),
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    target: 'node22',
    outdir: 'bench/results/build',
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  });
}

/** Runs one section in its own process; resolves to its JSON result or `{ error }`. */
function runSection(name) {
  const resultFile = `${RESULTS}/${name}.json`;
  return runChild(['--expose-gc', `${RESULTS}/build/${name}.mjs`, JSON.stringify({ quick }), resultFile], resultFile);
}

/** The proxy's latency (bench/proxy/overhead.mjs): its budget is judged by renderReport, on full runs only. */
function runProxyBench() {
  const resultFile = `${RESULTS}/proxy.json`;
  return runChild(['bench/proxy/overhead.mjs', '--no-budget', '--out', resultFile], resultFile, { BENCH_PROXY_ROUNDS: quick ? '100' : '1500' });
}

/** Node with `args`, which writes its JSON result to `resultFile`; resolves to it or `{ error }`. */
function runChild(args, resultFile, env = {}) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let output = '';
    const keep = (chunk) => {
      output = (output + chunk).slice(-4_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const watchdog = setTimeout(() => child.kill('SIGKILL'), SECTION_LIMIT_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(watchdog);
      const seconds = (performance.now() - started) / 1000;
      if (code === 0) {
        try {
          return resolve({ ...JSON.parse(readFileSync(resultFile, 'utf8')), seconds });
        } catch {}
      }
      const why = signal ? `killed (${signal}${signal === 'SIGKILL' ? `, over ${SECTION_LIMIT_MS / 1000} s` : ''})` : `exit code ${code}`;
      resolve({ error: `${why}: ${output.trim().split('\n').slice(-3).join(' | ')}`, seconds });
    });
  });
}

function machine() {
  const cpu = cpus()[0];
  return {
    nproc: availableParallelism(),
    cpu: cpu?.model?.trim() ?? 'unknown',
    memoryGiB: totalmem() / 2 ** 30,
    node: process.version,
    os: `${process.platform} ${release()}`,
    loadAtStart: loadavg()[0],
  };
}

const fromArg = argv.indexOf('--from');
if (fromArg >= 0) {
  const { markdown, table } = renderReport(JSON.parse(readFileSync(argv[fromArg + 1], 'utf8')));
  writeFileSync(new URL(out, `file://${ROOT}`), markdown);
  process.stdout.write(`${table}\n`);
  process.exit(0);
}

const started = performance.now();
mkdirSync(RESULTS, { recursive: true });
log(`${quick ? 'quick' : 'full'} run; report → ${out}`);
await buildSections();
const results = { quick, machine: machine(), date: new Date().toISOString(), command: `npm run bench${quick ? ' -- --quick' : ''}`, contenders: CONTENDER_INFO };
for (const name of SECTIONS) {
  log(`${name}…`);
  results[name] = await runSection(name);
  log(`${name}: ${results[name].error ? `FAILED ${results[name].error}` : `${results[name].seconds.toFixed(1)} s`}`);
}
log('worker…');
const workerStarted = performance.now();
try {
  results.worker = { ...(await benchWorkers({ quick, log })), seconds: (performance.now() - workerStarted) / 1000 };
} catch (error) {
  results.worker = { error: error instanceof Error ? error.message : String(error), seconds: (performance.now() - workerStarted) / 1000 };
}
// The proxy's latency over a direct call (bench/proxy/overhead.mjs, one Miniflare); its budget is
// enforced on full runs (renderReport's failures), not on --quick ones.
log('proxy…');
results.proxy = await runProxyBench();
log(`proxy: ${results.proxy.error ? `FAILED ${results.proxy.error}` : `${results.proxy.seconds.toFixed(1)} s`}`);
// Prism's token RPC has its own budgets (bench/prism-service.mjs); enforced on full runs only, so that
// the quick smoke run in `npm test` asserts no timing.
const prismBudgets = quick ? undefined : spawnSync(process.execPath, ['bench/prism-service.mjs'], { cwd: ROOT, stdio: 'inherit' }).status;
log('sizes…');
results.sizes = { rows: await measureAll() };
results.totalSeconds = (performance.now() - started) / 1000;
results.machine.loadAtEnd = loadavg()[0];

writeFileSync(`${RESULTS}/latest${quick ? '-quick' : ''}.json`, JSON.stringify(results, null, 2));
const { markdown, table, failures } = renderReport(results);
mkdirSync(new URL('.', new URL(out, `file://${ROOT}`)), { recursive: true });
writeFileSync(new URL(out, `file://${ROOT}`), markdown);
process.stdout.write(`${table}\n`);
log(`done in ${results.totalSeconds.toFixed(1)} s; wrote ${out}`);
if (failures.length > 0) {
  log(`failed: ${failures.join('; ')}`);
  process.exitCode = 1;
}
if (prismBudgets !== undefined && prismBudgets !== 0) {
  log('failed: the Prism token RPC budgets (npm run bench:prism)');
  process.exitCode = 1;
}
