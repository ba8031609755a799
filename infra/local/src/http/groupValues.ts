import type { IncomingMessage } from 'node:http';

/**
 * Name/value pairs grouped by name, keeping repeated values in order: `a=1&a=2` is
 * `{ a: ['1', '2'] }`. The names are the caller's: the record has no prototype, so `__proto__` or
 * `constructor` is a name like any other.
 */
export const groupValues = (
  pairs: Iterable<readonly [string, string]>,
): Record<string, string[]> => {
  const grouped: Record<string, string[]> = Object.create(null);
  for (const [name, value] of pairs) {
    const values = grouped[name] ?? [];
    values.push(value);
    grouped[name] = values;
  }
  return grouped;
};

/** A request's headers as name/value pairs, in the order and case they arrived. */
export const headerPairs = (request: IncomingMessage): [string, string][] =>
  request.rawHeaders.flatMap((name, index) =>
    index % 2 === 0 ? [[name, request.rawHeaders[index + 1] ?? ''] as [string, string]] : [],
  );
