/**
 * The most a `SendMessageBatch` request may carry, its messages' sizes added up: 1 MiB, as large
 * as one message may be ("The maximum allowed individual message size and the maximum total
 * payload size (the sum of the individual lengths of all of the batched messages) are both 1 MiB",
 * SQS API reference; both were 256 KiB before August 2025).
 */
export const MAX_BATCH_REQUEST_BYTES = 1024 * 1024;

/** A message attribute as the JSON protocol carries it: binary values in base64. */
interface WireAttribute {
  readonly DataType?: unknown;
  readonly StringValue?: unknown;
  readonly BinaryValue?: unknown;
}

const utf8Bytes = (value: unknown): number =>
  typeof value === 'string' ? Buffer.byteLength(value) : 0;

/**
 * The size of one message as SQS counts it against its limits: the body's UTF-8 bytes and, for
 * each message attribute, its name, its type and its value (a binary value's bytes, not its
 * base64 text).
 */
const messageSize = (body: unknown, attributes: unknown): number => {
  let size = utf8Bytes(body);
  if (typeof attributes !== 'object' || attributes === null) return size;
  for (const [name, attribute] of Object.entries(attributes as Record<string, WireAttribute>)) {
    size += Buffer.byteLength(name) + utf8Bytes(attribute?.DataType);
    size += utf8Bytes(attribute?.StringValue);
    if (typeof attribute?.BinaryValue === 'string')
      size += Buffer.from(attribute.BinaryValue, 'base64').length;
  }
  return size;
};

/** SQS's answer to a batch over the limit, as the JSON protocol carries it. */
export interface BatchTooLong {
  readonly status: 400;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: { readonly __type: string; readonly message: string };
}

/**
 * SQS's `BatchRequestTooLong` answer when a `SendMessageBatch` request's entries add up to more
 * than {@link MAX_BATCH_REQUEST_BYTES}, with the message SQS gives ("Batch requests cannot be
 * longer than 1048576 bytes. You have sent 1200000 bytes."); undefined when it is within it.
 *
 * @example
 * ```ts
 * batchTooLong({ Entries: [{ Id: '1', MessageBody: 'x'.repeat(2 ** 20 + 1) }] })?.body.__type;
 * // 'com.amazonaws.sqs#BatchRequestTooLong'
 * ```
 */
export const batchTooLong = (input: unknown): BatchTooLong | undefined => {
  const entries = (input as { readonly Entries?: unknown } | null)?.Entries;
  if (!Array.isArray(entries)) return undefined;
  const sent = entries.reduce(
    (sum: number, entry: { MessageBody?: unknown; MessageAttributes?: unknown } | null) =>
      sum + messageSize(entry?.MessageBody, entry?.MessageAttributes),
    0,
  );
  if (sent <= MAX_BATCH_REQUEST_BYTES) return undefined;
  return {
    status: 400,
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-query-error': 'AWS.SimpleQueueService.BatchRequestTooLong;Sender',
    },
    body: {
      __type: 'com.amazonaws.sqs#BatchRequestTooLong',
      message: `Batch requests cannot be longer than ${MAX_BATCH_REQUEST_BYTES} bytes. You have sent ${sent} bytes.`,
    },
  };
};
