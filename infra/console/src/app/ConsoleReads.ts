import type { ServiceMap } from '../map/ServiceMap.js';

/** Messages of one queue, as SQS counts them (approximately). */
export interface QueueCount {
  /** `ApproximateNumberOfMessages`: waiting to be received. */
  readonly waiting: number;
  /** `ApproximateNumberOfMessagesNotVisible`: received, not yet deleted. */
  readonly inFlight: number;
}

/** One log event that matched a filter. */
export interface LogEvent {
  readonly timestamp: number;
  readonly message: string;
}

/** What the console reads, and only through the public AWS APIs its role may call. */
export interface ConsoleReads {
  /** SQS `GetQueueAttributes` of each queue, by name; a queue that cannot be read is absent. */
  queueCounts(queueNames: readonly string[]): Promise<Readonly<Record<string, QueueCount>>>;
  /**
   * CloudWatch Logs `FilterLogEvents` on one group, every page, oldest first; a group that does
   * not exist has no events.
   */
  filterLogEvents(
    logGroupName: string,
    filter: { readonly pattern?: string; readonly startTime?: number; readonly limit: number },
  ): Promise<readonly LogEvent[]>;
}

/** The map and the live counts of its queues. */
export interface MapWithCounts {
  readonly map: ServiceMap;
  readonly counts: Readonly<Record<string, QueueCount>>;
  readonly readAt: string;
}
