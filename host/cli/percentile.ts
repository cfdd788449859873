// The percentile `mcu ping` and the benchmarks report, so both mean the same statistic.

/**
 * The value below which p percent of the sorted samples fall, by nearest rank: the smallest
 * sample with at least p percent of the samples at or below it (as ping(8)-style tools and most
 * statistics texts define it). Always one of the samples.
 */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
