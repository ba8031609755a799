import {
  type CloudWatchLogsClient,
  FilterLogEventsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ConsoleReads, LogEvent, QueueCount } from '../app/ConsoleReads.js';

const count = (value: string | undefined): number => Number.parseInt(value ?? '0', 10) || 0;

/**
 * The console's reads through the real AWS SDK clients: `sqs:GetQueueAttributes` on the
 * shop's queues, addressed as `<queueUrlBase>/<name>` (no `GetQueueUrl`, which the role has
 * not), and `logs:FilterLogEvents` on the groups it is given.
 *
 * @example
 * ```ts
 * const reads = awsConsoleReads({ sqs: new SQSClient({}), logs: new CloudWatchLogsClient({}), queueUrlBase });
 * ```
 */
export const awsConsoleReads = (clients: {
  readonly sqs: SQSClient;
  readonly logs: CloudWatchLogsClient;
  /** `https://sqs.<region>.amazonaws.com/<account>` in AWS. */
  readonly queueUrlBase: string;
  /** Told of each queue that could not be counted. @default nothing */
  readonly onUncounted?: (queueName: string, error: unknown) => void;
}): ConsoleReads => ({
  queueCounts: async (queueNames) => {
    const read = await Promise.allSettled(
      queueNames.map(async (name): Promise<[string, QueueCount]> => {
        const { Attributes: attributes = {} } = await clients.sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: `${clients.queueUrlBase.replace(/\/$/, '')}/${name}`,
            AttributeNames: [
              'ApproximateNumberOfMessages',
              'ApproximateNumberOfMessagesNotVisible',
            ],
          }),
        );
        return [
          name,
          {
            waiting: count(attributes.ApproximateNumberOfMessages),
            inFlight: count(attributes.ApproximateNumberOfMessagesNotVisible),
          },
        ];
      }),
    );
    return Object.fromEntries(
      read.flatMap((r, index) => {
        if (r.status === 'fulfilled') return [r.value];
        clients.onUncounted?.(String(queueNames[index]), r.reason);
        return [];
      }),
    );
  },
  filterLogEvents: async (logGroupName, filter) => {
    const events: LogEvent[] = [];
    let nextToken: string | undefined;
    try {
      do {
        const page = await clients.logs.send(
          new FilterLogEventsCommand({
            logGroupName,
            ...(filter.pattern !== undefined && { filterPattern: filter.pattern }),
            ...(filter.startTime !== undefined && { startTime: filter.startTime }),
            limit: Math.min(10_000, filter.limit - events.length),
            ...(nextToken !== undefined && { nextToken }),
          }),
        );
        for (const event of page.events ?? []) {
          if (event.message !== undefined) {
            events.push({ timestamp: event.timestamp ?? 0, message: event.message });
          }
        }
        nextToken = page.nextToken;
      } while (nextToken !== undefined && events.length < filter.limit);
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return [];
      throw error;
    }
    return events;
  },
});
