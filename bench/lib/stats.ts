/** Small statistics for the benchmarks: medians, percentiles and ratios over samples, and number formatting. */

/** The p-th percentile (0..100) of the samples, nearest-rank on a sorted copy; NaN for no samples. */
export function percentile(samples: ArrayLike<number>, p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = Float64Array.from(samples).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/** The median: the middle sample, or the mean of the two middle ones. */
export function median(samples: ArrayLike<number>): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = Float64Array.from(samples).sort();
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export interface Summary {
  runs: number;
  median: number;
  p90: number;
  p99: number;
  min: number;
  max: number;
}

export function summarise(samples: ArrayLike<number>): Summary {
  const values = Array.from(samples);
  return {
    runs: values.length,
    median: median(values),
    p90: percentile(values, 90),
    p99: percentile(values, 99),
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

/** A number with a fixed count of decimals, thousands separated by a thin space; '-' for NaN. */
export function num(value: number, decimals = 0): string {
  if (!Number.isFinite(value)) return '-';
  const [whole, fraction] = value.toFixed(decimals).split('.');
  const grouped = (whole as string).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** A ratio such as `2.31×`. */
export const ratio = (a: number, b: number, decimals = 2): string => (b > 0 ? `${num(a / b, decimals)}×` : '-');

/** Milliseconds from a process.hrtime.bigint() difference. */
export const ms = (nanoseconds: bigint): number => Number(nanoseconds) / 1e6;
