// `npm run bench -- --quick` runs every bench briefly and prints every row of its tables. Figures are not
// checked (benchmarks, not timed tests); that each row is there, and that no library bench failed, is.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { ROWS } from '../../bench/lib/report.mjs';
import { ROOT } from '../../scripts/size.mjs';

function runQuickBench(out: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bench/run.mjs', '--quick', '--out', out], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

test('npm run bench -- --quick prints every row and writes its report', { timeout: 600_000 } /* a watchdog: 178 s at a load average of 27 */, async () => {
  const out = '.cache/bench/smoke.md';
  const { code, stdout, stderr } = await runQuickBench(out);
  expect(code, stderr.slice(-2_000)).toBe(0);
  const lines = stdout.split('\n');
  const row = (label: string) => lines.find((line) => line.startsWith(`| ${label}`));
  for (const label of [...ROWS.libraries, ...ROWS.sizes, ...ROWS.proxy]) {
    expect(row(label), `row "${label}"`).toBeDefined();
    expect(row(label), `row "${label}"`).not.toMatch(/error:/);
  }
  // Every Worker row is measured: a row reading "not available" hid for a whole round that wrangler dev
  // ran the production entry (the dev entry's path was taken for a second --env-file).
  for (const label of ROWS.worker) {
    expect(row(label), `row "${label}"`).toMatch(/\| [\d,]+ \| [\d.]+× \|/);
  }
  const report = readFileSync(`${ROOT}${out}`, 'utf8');
  for (const heading of ['## Libraries side by side', '## The mint Worker', '## Bundle sizes', "## The proxy's latency", '## Where tokenmint is behind', '## Method']) expect(report).toContain(heading);
  expect(report).toMatch(/CPUs \(nproc\), .+ GiB memory, Node v\d+/);
  expect(report).toContain('npm run bench -- --quick');
});
