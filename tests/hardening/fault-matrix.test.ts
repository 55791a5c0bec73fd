// Issue #9 part 1 (and 3 for the library): every fault × every flow ends in a valid token or a typed
// TokenError with the right code, within timeout × attempts + backoff, never caches the failure, leaves
// no timer after dispose(), and no planted secret or issued token reaches an error, event or log line.
// The matrix is written to .cache/hardening/fault-matrix.md and printed.
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FAULTS } from './_faults.js';
import { FLOWS } from './_flows.js';
import { trackCrypto, useFakeClock } from './_drive.js';
import { _report } from './_figures.js';
import { matrixMarkdown, runCell, type CellResult } from './_matrix.js';
import { captureConsole } from './_scan.js';

const results: (CellResult & { knownBug: boolean })[] = [];
const baselines = new Map<string, number>();
let consoleLines: string[][] = [];

/**
 * Cells that fail because of a bug in src/ (reported; pinned in known-bugs.test.ts), kept failing on
 * purpose with `it.fails`: fault name → why, and the rows it hits (all when absent).
 */
const KNOWN_BUGS: ReadonlyMap<string, { why: string; rows?: readonly string[] }> = new Map([]);

beforeEach(() => {
  useFakeClock();
  trackCrypto();
  consoleLines = captureConsole(vi.spyOn as never);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

afterAll(() => {
  const markdown = matrixMarkdown(results, FLOWS, FAULTS);
  const passed = results.filter((r) => r.problems.length === 0).length;
  const hits = results.reduce((n, r) => n + r.hits.length, 0);
  const hitsOutsideKnownBugs = results.filter((r) => !r.knownBug).reduce((n, r) => n + r.hits.length, 0);
  const knownBugCells = results.filter((r) => r.knownBug).length;
  const scanned = results.reduce((n, r) => n + r.scanned, 0);
  const bugs = [...KNOWN_BUGS].map(([fault, { why, rows }]) => `- known bug, \`it.fails\` (${rows ? rows.join(', ') : 'every flow'}): **${fault}** — ${why}`).join('\n');
  _report('fault-matrix', { knownBugs: Object.fromEntries([...KNOWN_BUGS].map(([fault, { why }]) => [fault, why])), cells: results.length, passed, flows: FLOWS.length, faults: FAULTS.length, secretHits: hits, secretHitsOutsideKnownBugs: hitsOutsideKnownBugs, knownBugCells, textsScanned: scanned, failures: results.filter((r) => r.problems.length > 0) }, `# Fault matrix\n\n${markdown}\n${bugs}\n`);
  console.log(`\n${markdown}`);
});

describe.each(FLOWS)('$name', (row) => {
  for (const fault of FAULTS) {
    const known = KNOWN_BUGS.get(fault.name);
    const bug = known && (known.rows === undefined || known.rows.includes(row.short));
    (bug ? it.fails : it)(fault.name, async () => {
      const result = await runCell(row, fault, baselines.get(row.name), consoleLines);
      results.push({ ...result, knownBug: Boolean(bug) });
      if (fault.name.startsWith('none') && result.lifetime !== undefined) baselines.set(row.name, result.lifetime);
      expect(result.problems).toEqual([]);
    });
  }
});
