/**
 * The errors SQS names with the `AWS.SimpleQueueService.` prefix in its `x-amzn-query-error`
 * header: the `awsQueryError` codes of the SQS service model that carry it. Every other error
 * goes by its own name (`InvalidParameterValue`, `InvalidMessageContents`, `MissingParameter`,
 * `OverLimit`, ...), and the SDKs name the errors they throw after the header.
 */
const PREFIXED = new Set([
  'BatchEntryIdsNotDistinct',
  'BatchRequestTooLong',
  'EmptyBatchRequest',
  'InvalidBatchEntryId',
  'MessageNotInflight',
  'NonExistentQueue',
  'PurgeQueueInProgress',
  'QueueDeletedRecently',
  'TooManyEntriesInBatchRequest',
  'UnsupportedOperation',
]);

/**
 * The `x-amzn-query-error` header SQS sends for an error, from one that prefixes every code with
 * `AWS.SimpleQueueService.` (as fauxqs does): the prefix is kept only where SQS has it.
 *
 * @example
 * ```ts
 * queryErrorHeader('AWS.SimpleQueueService.InvalidParameterValue;Sender'); // 'InvalidParameterValue;Sender'
 * queryErrorHeader('AWS.SimpleQueueService.NonExistentQueue;Sender'); // unchanged
 * ```
 */
export const queryErrorHeader = (header: string): string => {
  const match = /^AWS\.SimpleQueueService\.([^;]+)(;.*)?$/.exec(header);
  if (match === null || PREFIXED.has(match[1] ?? '')) return header;
  return `${match[1]}${match[2] ?? ''}`;
};
