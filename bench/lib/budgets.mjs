// Budgets a full `npm run bench` enforces (issue 16): a run that breaks one prints it and exits 1. The quick
// run (`--quick`, the CI smoke in tests/slow) only reports them: it asserts no timing.
// Bundle bytes are budgets of `npm test` instead (tests/node/size.test.ts, tests/node/bundle-budgets.test.ts).

import { median } from './stats.mjs';

export const BENCH_BUDGETS = {
  /** Bench 1: a cached `get()` costs at most this multiple of the hand-written cache's, in the same run. */
  getCostVsHandCache: 1.1,
  /** Bench 5: heap per cached source, bytes, with 100,000 sources in one store. */
  heapPerSource: 1024,
};

/** The contender a cached get() is held against: oauth4webapi under the minimal hand-written cache. */
export const HAND_CACHE_ID = 'o4w-hand';

/** @returns {{ label: string, value: number, budget: number, unit: string, held: boolean }[]} the checks this run's figures allow */
export function budgetChecks(r) {
  const checks = [];
  const async = r['get-cost']?.async;
  const tm = async?.find((x) => x.id === 'tokenmint');
  const hand = async?.find((x) => x.id === HAND_CACHE_ID);
  if (Number.isFinite(tm?.nsPerOp) && Number.isFinite(hand?.nsPerOp) && hand.nsPerOp > 0) {
    // The median of the per-round ratios: the rounds are interleaved, so a round's two figures saw the same
    // machine; drift between rounds (other work on the cores) cancels out of each ratio.
    const ratios = tm.rounds?.length === hand.rounds?.length && tm.rounds.length > 0 ? tm.rounds.map((v, i) => v / hand.rounds[i]) : [tm.nsPerOp / hand.nsPerOp];
    const value = median(ratios);
    checks.push({ label: 'cached get() / hand-written cache (bench 1)', value, budget: BENCH_BUDGETS.getCostVsHandCache, unit: '×', held: value <= BENCH_BUDGETS.getCostVsHandCache });
  }
  const bytes = r.scale?.rows?.find((x) => x.id === 'tokenmint')?.bytesPerSource;
  if (Number.isFinite(bytes) && !r.quick) {
    checks.push({ label: `heap per cached source, ${r.scale.params.n.toLocaleString('en-US')} sources (bench 5)`, value: bytes, budget: BENCH_BUDGETS.heapPerSource, unit: 'B', held: bytes <= BENCH_BUDGETS.heapPerSource });
  }
  return checks;
}

/** What fails a full run: every budget check that did not hold (none on a quick run). */
export const budgetFailures = (r) => (r.quick ? [] : budgetChecks(r).filter((c) => !c.held).map((c) => `budget: ${c.label} ${c.unit === '×' ? c.value.toFixed(2) : Math.round(c.value)} ${c.unit} > ${c.budget} ${c.unit}`));
