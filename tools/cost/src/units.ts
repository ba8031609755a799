/** DynamoDB bills a read by 4 KB of item, a write by 1 KB, and a 64 KB chunk as one message. */
const READ_UNIT_BYTES = 4 * 1024;
const WRITE_UNIT_BYTES = 1024;
const CHUNK_BYTES = 64 * 1024;

/**
 * The read request units one read of an item costs: one per started 4 KB for a strongly
 * consistent read, half that eventually consistent, twice that in a transaction.
 *
 * @example
 * ```ts
 * readRequestUnits(4096, 'strong'); // 1
 * readRequestUnits(4097, 'strong'); // 2
 * readRequestUnits(1500, 'eventual'); // 0.5
 * ```
 */
export const readRequestUnits = (
  itemBytes: number,
  consistency: 'strong' | 'eventual' | 'transactional',
): number => {
  const units = Math.max(1, Math.ceil(itemBytes / READ_UNIT_BYTES));
  return consistency === 'eventual'
    ? units / 2
    : consistency === 'transactional'
      ? units * 2
      : units;
};

/**
 * The write request units one write of an item costs: one per started 1 KB, twice that in a
 * transaction.
 *
 * @example
 * ```ts
 * writeRequestUnits(1024, 'standard'); // 1
 * writeRequestUnits(1025, 'transactional'); // 4
 * ```
 */
export const writeRequestUnits = (
  itemBytes: number,
  kind: 'standard' | 'transactional',
): number => {
  const units = Math.max(1, Math.ceil(itemBytes / WRITE_UNIT_BYTES));
  return kind === 'transactional' ? units * 2 : units;
};

/**
 * How many billed requests (SQS) or events (EventBridge, Pipes) a payload is: one per started
 * 64 KB.
 *
 * @example
 * ```ts
 * chunks64Kb(1200); // 1
 * chunks64Kb(65537); // 2
 * ```
 */
export const chunks64Kb = (payloadBytes: number): number =>
  Math.max(1, Math.ceil(payloadBytes / CHUNK_BYTES));

/** Bytes in a GB as AWS bills data (2^30). */
export const BYTES_PER_GB = 1024 ** 3;
