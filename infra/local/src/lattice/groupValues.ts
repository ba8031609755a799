/** Name/value pairs grouped by name, keeping repeated values in order: `a=1&a=2` is `{ a: ['1', '2'] }`. */
export const groupValues = (
  pairs: Iterable<readonly [string, string]>,
): Record<string, string[]> => {
  const grouped: Record<string, string[]> = {};
  for (const [name, value] of pairs) {
    const values = grouped[name] ?? [];
    values.push(value);
    grouped[name] = values;
  }
  return grouped;
};
