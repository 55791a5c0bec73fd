// Small statistics helpers for the bench sections.

/** The q-quantile (0..1) of a numeric array, nearest-rank on a sorted copy. */
export function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

export function median(values) {
  return quantile(Float64Array.from(values).sort(), 0.5);
}

/** p50/p99/p99.9/max and the count above zero of latencies (ms). */
export function latencySummary(values) {
  const sorted = Float64Array.from(values).sort();
  let waited = 0;
  for (const v of sorted) if (v > 0) waited++;
  return {
    calls: sorted.length,
    waited,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    p999: quantile(sorted, 0.999),
    max: sorted.length === 0 ? NaN : sorted[sorted.length - 1],
  };
}
