// Medians and spreads for benchmark rows: every figure is the median of several runs, with the
// spread (min–max) so a noisy row shows it.
export interface Sample {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function sample(values: number[]): Sample {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]!, runs: s.length };
}

/** Runs `fn` n times (after one warm-up when asked) and samples what it returns. */
export async function repeat(n: number, fn: () => Promise<number>, warmup = false): Promise<Sample> {
  if (warmup) await fn();
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await fn());
  return sample(out);
}

export function fmt(s: Sample, digits = 2, unit = ""): string {
  return `${s.median.toFixed(digits)}${unit} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)}, n=${s.runs})`;
}
