import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { OrderCancelledV1, OrderConfirmedV1 } from '@shop/contracts';

/** An event as the bus delivered it. */
export interface ObservedEvent {
  readonly source: string;
  readonly 'detail-type': string;
  readonly detail: {
    readonly metadata: {
      readonly eventId: string;
      readonly version: number;
      readonly correlationId: string;
    };
    readonly data: { readonly orderId?: string } & Record<string, unknown>;
  };
}

/** The events that settle an order: `waitForSettled` waits for one of them. */
export const SETTLING_EVENTS: readonly string[] = [OrderConfirmedV1.name, OrderCancelledV1.name];

/**
 * The events on the shop bus a test observer sees through its own queue and a rule matching
 * every `shop.*` source (or some of their detail types). Waiting is event-driven: a waiter resolves when its event is
 * delivered.
 */
export class EventLog {
  readonly events: ObservedEvent[] = [];
  private readonly waiters = new Set<{
    match: (e: ObservedEvent) => boolean;
    resolve: (e: ObservedEvent) => void;
  }>();
  private readonly abort = new AbortController();
  private polling: Promise<void> | undefined;

  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  start(): void {
    this.polling = this.poll();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.polling;
  }

  /** Resolves with the first event, seen or to come, that matches. */
  waitFor(match: (event: ObservedEvent) => boolean): Promise<ObservedEvent> {
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.add({ match, resolve }));
  }

  /** Resolves with the first event of this name about this order. */
  waitForOrderEvent(orderId: string, detailType: string): Promise<ObservedEvent> {
    return this.waitFor(
      (e) => e['detail-type'] === detailType && e.detail.data.orderId === orderId,
    );
  }

  /** Resolves with an order's OrderConfirmed or OrderCancelled: the saga has settled it. */
  waitForSettled(orderId: string): Promise<ObservedEvent> {
    return this.waitFor(
      (e) => e.detail.data.orderId === orderId && SETTLING_EVENTS.includes(e['detail-type']),
    );
  }

  /** The distinct events (by event id) about one order, in the order they were seen. */
  forOrder(orderId: string): ObservedEvent[] {
    const ids = new Set<string>();
    return this.events.filter((e) => {
      if (e.detail.data.orderId !== orderId || ids.has(e.detail.metadata.eventId)) return false;
      ids.add(e.detail.metadata.eventId);
      return true;
    });
  }

  private async poll(): Promise<void> {
    while (!this.abort.signal.aborted) {
      try {
        const { Messages = [] } = await this.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: this.queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 1,
          }),
          { abortSignal: this.abort.signal },
        );
        if (Messages.length === 0) continue;
        await this.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: this.queueUrl,
            Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
          }),
        );
        for (const message of Messages) {
          const event = JSON.parse(String(message.Body)) as ObservedEvent;
          this.events.push(event);
          for (const waiter of [...this.waiters]) {
            if (waiter.match(event)) {
              this.waiters.delete(waiter);
              waiter.resolve(event);
            }
          }
        }
      } catch (error) {
        if (!this.abort.signal.aborted) throw error;
      }
    }
  }
}
