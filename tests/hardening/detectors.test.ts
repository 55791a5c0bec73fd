// The detectors of the hardening suites can fail: a flow that leaks, hangs, answers late or throws
// junk is caught by the same cell runner the fault matrix uses, and the scanner finds every spelling.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TokenError, type TokenFlow } from '../../src/core/index.js';
import { FAULTS } from './_faults.js';
import type { FlowRow } from './_flows.js';
import { trackCrypto, useFakeClock } from './_drive.js';
import { runCell } from './_matrix.js';
import { basicCredentials } from './_planted.js';
import { captureConsole, errorTexts, forbiddenForms, scan } from './_scan.js';

const CANARY = 'S3CR3T-canary value+/:1';
let consoleLines: string[][] = [];

beforeEach(() => {
  useFakeClock();
  trackCrypto();
  consoleLines = captureConsole(vi.spyOn as never);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

/** A matrix row around a hand-written flow (no emulator request matches its path). */
function canaryRow(fetchToken: TokenFlow['fetchToken']): FlowRow {
  return {
    name: 'canary',
    short: 'ca',
    path: /^$/,
    token: ['access_token'],
    lifetime: { path: ['expires_in'], kind: 'seconds' },
    sequential: 1,
    secrets: [CANARY],
    build: async () => ({ flow: { key: 'canary', browserSafe: false, provider: 'canary', fetchToken } }),
  };
}

const baseline = FAULTS[0]!;

describe('the cell runner fails', () => {
  it('a secret in an error message, a nested cause, or a console line', async () => {
    const row = canaryRow(async () => {
      console.warn('debug: using', encodeURIComponent(CANARY));
      throw new TokenError('invalid_client', 'canary: refused', { cause: { response: { body: { echo: new Error(`deep ${CANARY}`) } } } });
    });
    const result = await runCell(row, baseline, undefined, consoleLines);
    expect(result.hits.map((hit) => hit.where).sort()).toEqual(expect.arrayContaining(['console', 'error']));
    expect(result.problems.join('\n')).toMatch(/secret hit/);
  });

  it('a fetch that never settles (ignoring its abort signal)', async () => {
    const result = await runCell(canaryRow(() => new Promise(() => {})), baseline, undefined, consoleLines);
    expect(result.outcome).toBe('never settles');
    expect(result.problems.length).toBeGreaterThan(0);
  });

  it('a fetch that settles after the bound', async () => {
    const late = canaryRow(() => new Promise((resolve) => setTimeout(() => resolve({ accessToken: 'late', tokenType: 'Bearer', expiresAt: Date.now() + 3_600_000 }), 120_000)));
    const result = await runCell(late, baseline, undefined, consoleLines);
    expect(result.problems.join('\n')).toMatch(/settled after 120000 ms, bound 30750 ms/);
  });

  it('a wrong error code', async () => {
    const row = canaryRow(async () => {
      throw new TokenError('network', 'canary: down', { provider: 'canary', retryable: true });
    });
    const fault = FAULTS.find((f) => f.name === '200 malformed JSON')!;
    const result = await runCell(row, fault, undefined, consoleLines);
    expect(result.problems).toContain('expected invalid_response, got network');
  });
});

describe('the scanner', () => {
  it('finds raw, percent-, form- and JSON-encoded spellings and Basic credentials, anywhere in a cause chain', () => {
    const forbidden = forbiddenForms([CANARY, basicCredentials('id', CANARY)]);
    const encodings = [CANARY, encodeURIComponent(CANARY), new URLSearchParams({ v: CANARY }).toString().slice(2), basicCredentials('id', CANARY)];
    for (const text of encodings) {
      const error = new Error('outer', { cause: new AggregateError([new Error(`inner ${text}`)], 'agg') });
      expect(scan('error', errorTexts(error), forbidden).length, text).toBeGreaterThan(0);
    }
    expect(scan('error', errorTexts(new Error('clean')), forbidden)).toEqual([]);
  });
});
