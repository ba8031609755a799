import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/**
 * Why each item of a cancelled `TransactWriteItems` failed (`ConditionalCheckFailed`,
 * `TransactionConflict`, `None` ...), in the order of the request; `undefined` when the error is
 * not a cancelled transaction.
 *
 * @example
 * ```ts
 * const codes = cancellationCodes(error);
 * if (codes?.[0] === 'ConditionalCheckFailed') throw new ConcurrentUpdateError('changed');
 * ```
 */
export const cancellationCodes = (error: unknown): readonly string[] | undefined =>
  error instanceof TransactionCanceledException
    ? (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None')
    : undefined;

/** Whether a transaction lost a race: a condition failed or another transaction got there first. */
export const lostRace = (codes: readonly string[]): boolean =>
  codes.some((code) => code === 'ConditionalCheckFailed' || code === 'TransactionConflict');
