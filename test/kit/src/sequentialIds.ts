/**
 * A generator of UUIDs in order: `00000000-0000-4000-8000-000000000001`, `…2`, …
 *
 * @example
 * ```ts
 * const newOrderId = sequentialIds();
 * newOrderId(); // '00000000-0000-4000-8000-000000000001'
 * ```
 */
export const sequentialIds = (): (() => string) => {
  let last = 0;
  return () => `00000000-0000-4000-8000-${String(++last).padStart(12, '0')}`;
};
