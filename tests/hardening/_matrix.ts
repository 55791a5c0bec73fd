// One cell of the fault matrix: a fresh emulator and store, the row's flow (primed if it needs it), the
// fault armed, one get() driven on the fake clock, the outcome judged, the fault cleared, recovery
// checked, the store disposed, and every error, event and console line scanned for planted secrets.
import { vi } from 'vitest';
import { TokenError, createTokenStore, type TokenEvent } from '../../src/core/index.js';
import { createEmulatorWith } from '../../src/emulator/emulator.js';
import { PROVIDER_DESCRIPTORS, type ProviderDescriptor } from '../../src/providers/index.js';
import { faultyFetch } from './_faulty-fetch.js';
import type { FlowRow } from './_flows.js';
import type { FaultSpec } from './_faults.js';
import { settle } from './_drive.js';
import { EMULATORS, basicForms, plantedEmulatorOptions, type EmulatorList } from './_planted.js';
import { errorTexts, forbiddenForms, scan, type Hit } from './_scan.js';

// The store's default transport policy (src/core/http.ts): what the settle bound is derived from.
export const POLICY = { timeout: 10_000, retries: 2, backoffBase: 250, backoffMax: 5_000 };

/** Longest a fetch may take: per request, every attempt timing out plus the longest wait before each retry. */
export function settleBound(row: FlowRow, retryAfter: number | undefined): number {
  const inline = retryAfter !== undefined && retryAfter * 1000 <= POLICY.backoffMax ? retryAfter * 1000 : 0;
  let waits = 0;
  for (let i = 0; i < POLICY.retries; i++) waits += Math.max(Math.min(POLICY.backoffMax, POLICY.backoffBase * 2 ** i), inline);
  return row.sequential * ((POLICY.retries + 1) * POLICY.timeout + waits);
}

export interface CellResult {
  row: string;
  short: string;
  fault: string;
  outcome: string;
  elapsed: number;
  bound: number;
  attempts: number;
  /** Lifetime of the token obtained (ms), for the baseline. */
  lifetime?: number;
  problems: string[];
  hits: Hit[];
  /** Texts scanned for secrets. */
  scanned: number;
}

/** One cell, against the emulators of `emulators` knowing only the planted credentials of `descriptors` (by default, the built-in lists). */
export async function runCell(
  row: FlowRow,
  fault: FaultSpec,
  baseline: number | undefined,
  consoleLines: string[][],
  descriptors: readonly ProviderDescriptor[] = PROVIDER_DESCRIPTORS,
  emulators: EmulatorList = EMULATORS,
): Promise<CellResult> {
  const problems: string[] = [];
  const expectation = fault.expect(row);
  const emulator = createEmulatorWith(emulators, { ...plantedEmulatorOptions(descriptors, emulators), ...(fault.serverSkew ? { clock: { now: () => Date.now() + fault.serverSkew! } } : {}) });
  const faulty = faultyFetch(emulator, row, fault);
  const events: TokenEvent[] = [];
  const errors: unknown[] = [];
  const store = createTokenStore({ fetch: faulty.fetch, onEvent: (event) => events.push(event) });
  const { flow, prime } = await row.build(emulator);
  const source = store.source(flow);
  if (prime) {
    const primed = await settle(prime(source), 60_000);
    if (primed.status !== 'fulfilled') problems.push(`priming failed: ${primed.status}`);
  }

  faulty.arm();
  const retryAfter = 'code' in expectation ? expectation.retryAfter : undefined;
  const bound = settleBound(row, retryAfter);
  const got = await settle(source.get(), bound + 60_000);
  let outcome: string;
  let lifetime: number | undefined;
  if (got.status === 'fulfilled') {
    outcome = 'token';
    const token = got.value;
    lifetime = token.expiresAt - Date.now();
    if (typeof token.accessToken !== 'string' || token.accessToken === '' || !(lifetime > 0)) problems.push('an unusable token was handed out');
    if (!Number.isFinite(token.expiresAt)) problems.push(`expiresAt is ${token.expiresAt}, not an epoch`);
  } else if (got.status === 'rejected') {
    errors.push(got.reason);
    outcome = got.reason instanceof TokenError ? got.reason.code : `not a TokenError: ${String(got.reason)}`;
  } else {
    outcome = got.stuck ? 'never settles' : 'still pending';
  }
  if (got.elapsed > bound) problems.push(`settled after ${got.elapsed} ms, bound ${bound} ms`);

  if ('token' in expectation) {
    if (outcome !== 'token') problems.push(`expected a token, got ${outcome}`);
    else if (expectation.lifetime === 'baseline' && baseline !== undefined && Math.abs(lifetime! - baseline) > 2_000) {
      problems.push(`lifetime ${lifetime} ms, expected ${baseline} ± 2000 ms (clock skew leaked into expiry)`);
    }
  } else {
    if (outcome !== expectation.code) problems.push(`expected ${expectation.code}, got ${outcome}`);
    const error = got.status === 'rejected' ? (got.reason as TokenError) : undefined;
    if (error instanceof TokenError) {
      if (expectation.retryAfter !== undefined && !(Math.abs((error.retryAfter ?? -99) - expectation.retryAfter) <= 1)) problems.push(`retryAfter ${error.retryAfter}, expected ${expectation.retryAfter}`);
      if (error.provider === undefined) problems.push('error names no provider');
    }
    if (faulty.attempts !== expectation.attempts) problems.push(`${faulty.attempts} attempts, expected ${expectation.attempts}`);
    if (expectation.minElapsed !== undefined && got.elapsed < expectation.minElapsed) problems.push(`settled after ${got.elapsed} ms, before ${expectation.minElapsed} ms`);
  }
  if (faulty.calls.some((call) => call.redirect !== 'manual' || !call.signal)) problems.push("a request without redirect: 'manual' or without a signal");

  // The fault clears: the next get() (or a forced refresh after a token) must reach upstream and succeed.
  faulty.disarm();
  const before = faulty.calls.length;
  const recovered = await settle(outcome === 'token' ? source.refresh() : source.get(), bound + 60_000);
  if (recovered.status === 'rejected') errors.push(recovered.reason);
  if (recovered.status !== 'fulfilled') problems.push(`no recovery after the fault cleared: ${recovered.status === 'rejected' ? String((recovered.reason as Error).message) : recovered.status}`);
  else if (faulty.calls.length === before) problems.push('recovery made no request (a cached failure?)');

  store.dispose();
  const timers = vi.getTimerCount();
  if (timers !== 0) problems.push(`${timers} timer(s) left after dispose()`);

  const secrets = [...row.secrets, ...faulty.issued, ...faulty.derived, ...(row.basic ? basicForms(...row.basic) : [])];
  const forbidden = forbiddenForms(secrets);
  const texts = {
    errors: errors.flatMap((error) => errorTexts(error)),
    events: events.map((event) => JSON.stringify(event)),
    console: consoleLines.flat(),
  };
  const hits = [...scan('error', texts.errors, forbidden), ...scan('event', texts.events, forbidden), ...scan('console', texts.console, forbidden)];
  if (hits.length > 0) problems.push(`${hits.length} secret hit(s): ${hits.map((hit) => `${hit.where} ${hit.secret}`).join(', ')}`);
  return {
    row: row.name,
    short: row.short,
    fault: fault.name,
    outcome,
    elapsed: got.elapsed,
    bound,
    attempts: faulty.attempts,
    ...(lifetime === undefined ? {} : { lifetime }),
    problems,
    hits,
    scanned: texts.errors.length + texts.events.length + texts.console.length,
  };
}

/** The matrix as Markdown: faults down, flows across, ✓/✗ per cell, passed/total per row and overall. */
export function matrixMarkdown(results: readonly CellResult[], rows: readonly { name: string; short: string }[], faults: readonly { name: string }[]): string {
  const cell = (row: string, fault: string) => results.find((r) => r.row === row && r.fault === fault);
  const lines = [`| fault | ${rows.map((r) => r.short).join(' | ')} | passed/total |`, `|---|${rows.map(() => ':-:').join('|')}|--:|`];
  for (const fault of faults) {
    const cells = rows.map((r) => cell(r.name, fault.name));
    const passed = cells.filter((c) => c && c.problems.length === 0).length;
    const run = cells.filter(Boolean).length;
    lines.push(`| ${fault.name} | ${cells.map((c) => (c === undefined ? '·' : c.problems.length === 0 ? '✓' : '✗')).join(' | ')} | ${passed}/${run} |`);
  }
  const passed = results.filter((r) => r.problems.length === 0).length;
  lines.push('', `**${passed}/${results.length} cells passed** (${rows.length} flows × ${faults.length} faults).`, '', 'Flows: ' + rows.map((r) => `\`${r.short}\` ${r.name}`).join(', ') + '.');
  const failed = results.filter((r) => r.problems.length > 0);
  if (failed.length > 0) lines.push('', 'Failures:', ...failed.map((r) => `- ${r.row} × ${r.fault}: ${r.problems.join('; ')}`));
  return `${lines.join('\n')}\n`;
}
