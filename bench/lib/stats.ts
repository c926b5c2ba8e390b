/** The few statistics the timed runs need (nearest-rank percentiles) and how the tables print numbers. */

/** The p-th percentile (0..100), nearest rank; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted.length ? (sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] as number) : Number.NaN;
}

export const median = (samples: readonly number[]): number => percentile(samples, 50);

/** `1,234.5`; '-' for NaN. */
export const num = (value: number, decimals = 0): string =>
  Number.isFinite(value) ? value.toLocaleString('en', { minimumFractionDigits: decimals, maximumFractionDigits: decimals }) : '-';

/** A ratio such as `2.31×`. */
export const ratio = (a: number, b: number, decimals = 2): string => (b > 0 ? `${num(a / b, decimals)}×` : '-');

/** `12.3 (15.0)`: median (p90). */
export const p50p90 = (samples: readonly number[]): string => `${num(median(samples), 1)} (${num(percentile(samples, 90), 1)})`;

/** A small seeded generator (mulberry32), so that every run draws the same sequence. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
