/**
 * The key and time-to-live attributes of every service's own table. A service keeps its state
 * and its outbox in one table (single-table design), so both are written in one transaction.
 * The `by-entity` index (key `sk`, then `pk`, all attributes) lists the entities of one kind,
 * e.g. the catalogue, one page at a time without a Scan. The sparse `by-deadline` index (key
 * `deadlineOf`, the entity kind, then `deadlineAt`, an ISO-8601 UTC timestamp; keys only) holds
 * the items that have a deadline now, soonest first, e.g. the PENDING orders by when they expire.
 */
export const SERVICE_TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLive: 'expiresAt',
  byEntityIndex: { indexName: 'by-entity', partitionKey: 'sk', sortKey: 'pk' },
  byDeadlineIndex: { indexName: 'by-deadline', partitionKey: 'deadlineOf', sortKey: 'deadlineAt' },
} as const;

/** The key and time-to-live attributes of a Powertools idempotency table. */
export const IDEMPOTENCY_TABLE = { partitionKey: 'id', timeToLive: 'expiration' } as const;

/**
 * An item read from a service table without the key attributes of the table and its indexes:
 * the stored entity.
 *
 * @example
 * ```ts
 * const order = withoutKeys<Order>(Item);
 * ```
 */
export const withoutKeys = <T>(item: Readonly<Record<string, unknown>>): T => {
  const {
    [SERVICE_TABLE.partitionKey]: _pk,
    [SERVICE_TABLE.sortKey]: _sk,
    [SERVICE_TABLE.byDeadlineIndex.partitionKey]: _deadlineOf,
    [SERVICE_TABLE.byDeadlineIndex.sortKey]: _deadlineAt,
    ...entity
  } = item;
  return entity as T;
};
