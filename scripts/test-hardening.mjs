// `npm run test:hardening`: the reliability and security suites of issue #9 at full size
// (TOKENMINT_HARDENING=full): fault matrix, store under failure, secret hygiene, fast-check properties,
// the 24-hour soak (node project, tests/hardening/) and the Worker's abuse, secret and property suites
// (workerd project, tests/worker/hardening-*). Each suite prints `HARDENING <name> <json>`; this script
// streams the runs, keeps those lines in .cache/hardening/<name>.json, and ends with the figures.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { CACHE, ROOT, hermeticEnv } from './lib/hermetic-env.mjs';

const OUT = `${CACHE}/hardening`;
mkdirSync(OUT, { recursive: true });
const env = { ...hermeticEnv(), TOKENMINT_HARDENING: 'full' };
const figures = {};

function run(args) {
  return new Promise((resolve) => {
    console.log(`\n━━━ vitest ${args.join(' ')}`);
    const child = spawn(`${ROOT}node_modules/.bin/vitest`, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const match = /HARDENING (\S+) (\{.*\})\s*$/.exec(line.replace(/\x1b\[[0-9;]*m/g, ''));
        if (match) figures[match[1]] = JSON.parse(match[2]);
      }
    });
    child.on('exit', (code, signal) => resolve(signal ? 1 : (code ?? 1)));
  });
}

const started = performance.now();
const codes = [await run(['run', '--project', 'node', 'tests/hardening/']), await run(['run', '--project', 'workerd', 'tests/worker/hardening-'])];
for (const [name, data] of Object.entries(figures)) writeFileSync(`${OUT}/${name}.json`, `${JSON.stringify(data, null, 2)}\n`);

const f = figures;
const line = (text) => console.log(`  ${text}`);
console.log('\n━━━ hardening figures (TOKENMINT_HARDENING=full)');
if (f['fault-matrix']) {
  const m = f['fault-matrix'];
  line(`1 fault matrix: ${m.passed}/${m.cells} cells passed (${m.flows} flows × ${m.faults} faults); ${m.knownBugCells} cells fail on known bugs (it.fails): ${Object.keys(m.knownBugs ?? {}).join('; ') || 'none'}; table: .cache/hardening/fault-matrix.md`);
  line(`3 library secret scan: ${m.secretHits} hits in ${m.textsScanned} error/cause/event/console texts, ${m.secretHitsOutsideKnownBugs} outside the known-bug cells`);
}
if (f['store-failure']) {
  const s = f['store-failure'];
  for (const outage of ['503', 'hang', 'drop', 'malformed']) {
    const o = s[outage];
    if (o) line(`2 store, outage ${outage}: ${o.served} calls served, ${o.refusedWhileValid} refused while a token was valid, ${o.refreshErrors} failed refreshes, renewed before expiry ${o.renewedBeforeExpiry} (${s.sources} sources)`);
  }
  if (s.dispose) line(`2 after dispose(): ${s.dispose.timersAfter} timers, ${s.dispose.requestsAfter} requests`);
}
if (f['worker-secrets']) {
  const w = f['worker-secrets'];
  line(`3 Worker secret scan: ${w.passed}/${w.cells} profile×fault cells passed (${w.knownBugCells} fail on a known bug, it.fails); ${w.responseHits} hits in ${w.responses} responses; ${w.logHits} hits in ${w.logLines} log + ${w.consoleLines} console lines, ${w.logHits - w.logHitsInKnownBugCells} outside the known-bug cells`);
}
if (f['properties-library']) {
  const p = f['properties-library'];
  const runs = Object.values(p.parsers).reduce((n, x) => n + x.runs, 0);
  line(`4 properties (library): ${runs} arbitrary answers over ${Object.keys(p.parsers).length} parsers, all a usable token or a stable typed TokenError`);
}
if (f['worker-properties']) {
  const p = f['worker-properties'];
  line(`4 properties (Worker): ${p.runs} requests to the parser, ${p.runs} to the Worker; outcomes ${JSON.stringify(p.outcomes)}`);
}
if (f.soak) {
  const s = f.soak;
  line(`5 soak: ${s.sources} sources × ${s.hours} h: ${s.requests} upstream requests (policy: ${s.expected.min}–${s.expected.max}, mean ${s.expected.mean}, deviation ${s.deviationFromMean}); timers each hour ${JSON.stringify(s.timersEachHour)}; heap hour 1 → ${s.hours}: ${s.heapGrowthBytes} bytes (tolerance ${s.toleranceBytes}); leak control ${s.control?.heapGrowthBytes} bytes`);
}
if (f['worker-abuse']) {
  const a = f['worker-abuse'];
  line(`6 abuse: ${a.refused?.correct}/${a.refused?.cases} refused with the right status and code, ${a.refused?.upstreamCalls} upstream calls`);
  line(`6 flood: ${a.flood?.requests} requests from one client: ${a.flood?.ok} served (policy allows ${a.flood?.allowedByPolicy}), ${a.flood?.limited} × 429, ${a.flood?.badRetryAfter} bad Retry-After`);
  line(`6 session tokens: ${a.sessionTokens?.refusedForTheRightReason}/${a.sessionTokens?.forged} forged or misused tokens refused for the right reason; genuine accepted: ${a.sessionTokens?.genuineAccepted}`);
}
const seconds = ((performance.now() - started) / 1000).toFixed(0);
const failed = codes.some((code) => code !== 0);
console.log(`\n${failed ? 'FAILED' : 'passed'} in ${seconds} s; figures in .cache/hardening/`);
process.exitCode = failed ? 1 : 0;
