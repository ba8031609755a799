import { randomUUID } from 'node:crypto';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { type Message, ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import {
  type AnyEventDefinition,
  buildEvent,
  type EventData,
  InventoryReservedV1,
  OrderPlacedV1,
  OrderPlacedV2,
} from '@shop/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EUR, startTestShop, type TestShop } from './support.js';

const catalogue = [
  { sku: 'MUG-001', name: 'Mug', unitPrice: EUR(1299), available: 100 },
  { sku: 'LAST-001', name: 'The last one', unitPrice: EUR(500), available: 1 },
  { sku: 'TEE-001', name: 'T-shirt', unitPrice: EUR(2499), available: 100 },
];

let t: TestShop;

beforeAll(async () => {
  t = await startTestShop({ catalogue, deliveryCopies: 2 });
});

afterAll(async () => {
  await t?.stop();
});

const queueOf = (service: string) => {
  const consumer = t.shop.cloud.consumers.find((c) => c.service === service);
  if (consumer === undefined) throw new Error(`No consumer ${service}`);
  return consumer;
};

const publish = async <D extends AnyEventDefinition>(definition: D, data: EventData<D>) => {
  const event = buildEvent(definition, data, { correlationId: randomUUID(), causationId: 'test' });
  const result = await t.eventBridge.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: 'shop',
          Source: event.source,
          DetailType: event.detailType,
          Detail: JSON.stringify(event.detail),
        },
      ],
    }),
  );
  expect(result.FailedEntryCount).toBe(0);
};

const receiveAll = async (queueUrl: string, count: number): Promise<Message[]> => {
  const received: Message[] = [];
  while (received.length < count) {
    const { Messages = [] } = await t.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageAttributeNames: ['All'],
      }),
    );
    received.push(...Messages);
  }
  return received;
};

describe('when the bus delivers every event twice', () => {
  it('reaches the same final states and charges each order exactly once', async () => {
    // Two orders for the last unit pass Order's check; Inventory reserves it for one only.
    const racing = await t.withEventsHeld('inventory', () =>
      Promise.all([
        t.placeOrder([{ sku: 'LAST-001', quantity: 1 }], 'tok_success'),
        t.placeOrder([{ sku: 'LAST-001', quantity: 1 }], 'tok_success'),
      ]),
    );
    const [paid, declined, cancelled, ...raced] = await Promise.all([
      t.settledOrder([{ sku: 'MUG-001', quantity: 1 }], 'tok_success'),
      t.settledOrder([{ sku: 'MUG-001', quantity: 1 }], 'tok_declined'),
      t.settledOrder([{ sku: 'MUG-001', quantity: 2 }], 'tok_timeout'),
      ...racing.map((order) => t.settled(order.orderId)),
    ]);
    const unserved = raced.find((order) => order.status === 'CANCELLED');
    expect(raced.filter((order) => order.status === 'CONFIRMED')).toHaveLength(1);
    expect(unserved).toMatchObject({ cancellationReason: 'INVENTORY_UNAVAILABLE' });
    expect(cancelled?.status).toBe('CONFIRMED');
    expect((await t.cancel(String(cancelled?.orderId))).status).toBe(200);
    await t.events.waitForOrderEvent(String(cancelled?.orderId), 'PaymentRefunded');
    await t.events.waitForOrderEvent(String(cancelled?.orderId), 'InventoryReleased');
    await t.events.waitForOrderEvent(String(declined?.orderId), 'InventoryReleased');

    const deliveries = t.events.events.filter((e) => e.detail.data.orderId === paid?.orderId);
    expect(deliveries.length).toBe(2 * t.events.forOrder(String(paid?.orderId)).length);
    expect([paid, declined, unserved].map((o) => o?.status)).toEqual([
      'CONFIRMED',
      'CANCELLED',
      'CANCELLED',
    ]);
    expect(t.capturedCharges(String(paid?.orderId))).toHaveLength(1);
    expect(t.capturedCharges(String(declined?.orderId))).toHaveLength(0);
    expect(t.capturedCharges(String(unserved?.orderId))).toHaveLength(0);
    expect(t.capturedCharges(String(cancelled?.orderId))).toMatchObject([{ refundedMinor: 2598 }]);
    await expect.poll(() => t.stock('MUG-001')).toMatchObject({ available: 99, reserved: 0 });
    for (const order of [paid, declined, unserved, cancelled]) {
      const kinds = t.events.forOrder(String(order?.orderId)).map((e) => e['detail-type']);
      expect(kinds.filter((kind) => kind === 'PaymentSucceeded').length).toBeLessThanOrEqual(1);
      expect(kinds.filter((kind) => kind === 'OrderCancelled').length).toBeLessThanOrEqual(1);
    }
  });
});

describe('a poison message', () => {
  it('goes to the DLQ with its reason while the rest of its batch is processed', async () => {
    const orderId = randomUUID();
    const valid = buildEvent(
      OrderPlacedV1,
      { orderId, customerId: 'c-1', lines: [{ sku: 'TEE-001', quantity: 1 }], total: 24.99 },
      { correlationId: orderId, causationId: orderId },
    );
    const envelope = (detail: unknown) =>
      JSON.stringify({ source: valid.source, 'detail-type': valid.detailType, detail });
    const { Failed = [] } = await t.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueOf('inventory').queue.url,
        Entries: [
          { Id: 'valid', MessageBody: envelope(valid.detail) },
          {
            Id: 'invalid-data',
            MessageBody: envelope({ ...valid.detail, data: { ...valid.detail.data, lines: [] } }),
          },
          {
            Id: 'unknown-version',
            MessageBody: envelope({
              ...valid.detail,
              metadata: { ...valid.detail.metadata, version: 9 },
            }),
          },
          { Id: 'not-json', MessageBody: '{"source": "shop.order", ' },
        ],
      }),
    );
    expect(Failed).toEqual([]);

    const reserved = await t.events.waitForOrderEvent(orderId, 'InventoryReserved');
    const dead = await receiveAll(queueOf('inventory').deadLetterQueue.url, 3);

    expect(reserved.detail.data).toMatchObject({ lines: [{ sku: 'TEE-001', quantity: 1 }] });
    expect(dead.map((m) => m.MessageAttributes?.['ErrorCode']?.StringValue).sort()).toEqual([
      'INVALID_EVENT_DATA',
      'MALFORMED_EVENT',
      'UNKNOWN_EVENT_VERSION',
    ]);
    expect(
      dead.every((m) => (m.MessageAttributes?.['ErrorMessage']?.StringValue ?? '') !== ''),
    ).toBe(true);
  });
});

describe('events out of order', () => {
  it('charges once both facts are in, whichever arrives first', async () => {
    const orderId = randomUUID();
    const lines = [{ sku: 'MUG-001', quantity: 1 }];

    await publish(InventoryReservedV1, { orderId, lines });
    await publish(OrderPlacedV2, {
      orderId,
      customerId: 'c-1',
      lines: [{ sku: 'MUG-001', quantity: 1, unitPrice: EUR(1299) }],
      total: EUR(1299),
      paymentToken: 'tok_success',
    });
    const succeeded = await t.events.waitForOrderEvent(orderId, 'PaymentSucceeded');

    expect(succeeded.detail.data).toMatchObject({ orderId, amount: EUR(1299) });
    expect(t.capturedCharges(orderId)).toHaveLength(1);
  });
});
