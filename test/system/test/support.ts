import { DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { LOCAL_CREDENTIALS } from '@shop/local-cloud';
import type { Charge } from '@shop/local-cloud/card-processor';
import type { LatticeAccessLogEntry } from '@shop/local-cloud/lattice';
import { FREE_PORTS, invoke, type SeedProduct, type Shop, startShop } from '@shop/local-system';

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

/**
 * Every event on the shop bus, as a test observer sees it through its own queue and a rule
 * matching every `shop.*` source. Waiting is event-driven: a waiter resolves when its event is
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

type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

export interface Order {
  readonly orderId: string;
  readonly status: 'PENDING' | 'CONFIRMED' | 'CANCELLED';
  readonly cancellationReason?: string;
  readonly total: { readonly amountMinor: number; readonly currency: string };
}
export interface Product {
  readonly sku: string;
  readonly available: number;
  readonly reserved: number;
}
export interface Payment {
  readonly status: string;
  readonly failureReason?: string;
  readonly paymentToken?: string;
}

/** Money in euros, in minor units. */
export const EUR = (amountMinor: number) => ({ amountMinor, currency: 'EUR' as const });

/** A whole shop for a test file, and the ways a test talks to it. */
export interface TestShop {
  readonly shop: Shop;
  readonly events: EventLog;
  readonly sqs: SQSClient;
  readonly eventBridge: EventBridgeClient;
  /** Every log line of every service, for a failing test's diagnosis. */
  readonly logs: string[];
  /** Every request through the Lattice gateway. */
  readonly accessLog: LatticeAccessLogEntry[];
  call<T>(functionName: string, payload: unknown): Promise<Result<T>>;
  placeOrder(
    lines: readonly { sku: string; quantity: number }[],
    paymentToken: string,
  ): Promise<Order>;
  /** Places an order and waits for OrderConfirmed or OrderCancelled. */
  settledOrder(
    lines: readonly { sku: string; quantity: number }[],
    paymentToken: string,
  ): Promise<Order>;
  /** Waits for an order's OrderConfirmed or OrderCancelled and reads it. */
  settled(orderId: string): Promise<Order>;
  /**
   * Runs `work` while a service's queue consumer is disabled (its events wait in its queue, its
   * functions still answer), then enables it again.
   */
  withEventsHeld<T>(service: string, work: () => Promise<T>): Promise<T>;
  order(orderId: string): Promise<Order>;
  product(sku: string): Promise<Product>;
  payment(orderId: string): Promise<Payment>;
  /** The items of a service's table that mention `text` anywhere (a test-only Scan). */
  itemsMentioning(service: string, text: string): Promise<readonly Record<string, unknown>[]>;
  /** What the card processor really captured for an order, from its ledger. */
  capturedCharges(orderId: string): readonly Charge[];
  stop(): Promise<void>;
}

const value = <T>(result: Result<T>): T => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
};

export const startTestShop = async (props: {
  readonly catalogue: readonly SeedProduct[];
  readonly deliveryCopies?: number;
}): Promise<TestShop> => {
  const logs: string[] = [];
  const accessLog: LatticeAccessLogEntry[] = [];
  const shop = await startShop({
    onAccessLog: (entry) => accessLog.push(entry),
    ports: FREE_PORTS,
    catalogue: props.catalogue,
    onLog: (service, line) => logs.push(`[${service}] ${line}`),
    ...(props.deliveryCopies !== undefined && { deliveryCopies: props.deliveryCopies }),
  });
  const env = shop.environment;
  const common = { region: String(env['AWS_REGION']), credentials: LOCAL_CREDENTIALS };
  const lambda = new LambdaClient({ ...common, endpoint: String(env['AWS_ENDPOINT_URL_LAMBDA']) });
  const sqs = new SQSClient({ ...common, endpoint: String(env['AWS_ENDPOINT_URL_SQS']) });
  const eventBridge = new EventBridgeClient({
    ...common,
    endpoint: String(env['AWS_ENDPOINT_URL_EVENTBRIDGE']),
  });

  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'test-observer' }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  await eventBridge.send(
    new PutRuleCommand({
      Name: 'test-observer',
      EventBusName: 'shop',
      EventPattern: JSON.stringify({ source: [{ prefix: 'shop.' }] }),
    }),
  );
  await eventBridge.send(
    new PutTargetsCommand({
      Rule: 'test-observer',
      EventBusName: 'shop',
      Targets: [{ Id: 'observer', Arn: Attributes?.['QueueArn'] }],
    }),
  );
  const dynamodb = new DynamoDBClient({
    ...common,
    endpoint: String(env['AWS_ENDPOINT_URL_DYNAMODB']),
  });
  const events = new EventLog(sqs, String(QueueUrl));
  events.start();

  const call = async <T>(functionName: string, payload: unknown) =>
    (await invoke(lambda, functionName, payload)) as Result<T>;
  const placeOrder = async (
    lines: readonly { sku: string; quantity: number }[],
    paymentToken: string,
  ) =>
    value(
      await call<Order>('order-place-order', { customerId: 'customer-1', lines, paymentToken }),
    );
  const order = async (orderId: string) => value(await call<Order>('order-get-order', { orderId }));
  const settled = async (orderId: string) => {
    await events.waitFor(
      (e) =>
        e.detail.data.orderId === orderId &&
        (e['detail-type'] === 'OrderConfirmed' || e['detail-type'] === 'OrderCancelled'),
    );
    return order(orderId);
  };

  return {
    shop,
    events,
    sqs,
    eventBridge,
    logs,
    accessLog,
    call,
    placeOrder,
    settledOrder: async (lines, paymentToken) =>
      settled((await placeOrder(lines, paymentToken)).orderId),
    settled,
    withEventsHeld: async (service, work) => {
      const process = shop.services.find((s) => s.service === service);
      if (process === undefined) throw new Error(`No ${service} service`);
      await process.setEventSourceEnabled(false);
      try {
        return await work();
      } finally {
        await process.setEventSourceEnabled(true);
      }
    },
    order,
    product: async (sku) => value(await call<Product>('inventory-get-product', { sku })),
    payment: async (orderId) => value(await call<Payment>('payment-get-payment', { orderId })),
    itemsMentioning: async (service, text) => {
      const items: Record<string, unknown>[] = [];
      for await (const page of paginateScan(
        { client: dynamodb },
        { TableName: `shop-${service}` },
      )) {
        items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
      }
      return items.filter((item) => JSON.stringify(item).includes(text));
    },
    capturedCharges: (orderId) =>
      shop.cardProcessor
        .charges()
        .filter((charge) => charge.reference === orderId && charge.status === 'captured'),
    stop: async () => {
      dynamodb.destroy();
      await events.stop();
      await shop.stop();
    },
  };
};
