/**
 * The nearest-rank percentile of a sample, e.g. `percentile(latencies, 99)`.
 *
 * @example
 * ```ts
 * percentile([3, 1, 2, 4], 50); // 2
 * ```
 */
export const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  );
};
