/**
 * Runs `work` over `items`, `concurrency` at a time, and answers the results in the items' order.
 *
 * @example
 * ```ts
 * const answers = await inParallel([1, 2, 3], 2, async (n) => n * 2); // [2, 4, 6]
 * ```
 */
export const inParallel = async <T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> => {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
};
