import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import {
  buildEvent,
  catalogue,
  EXAMPLE_ORDER_ID,
  orderTimelinePattern,
  SHOP_LOG_GROUPS,
} from '@shop/contracts';
import { inventoryService } from '@shop/inventory/service';
import { orderService } from '@shop/order/service';
import { paymentService } from '@shop/payment/service';
import { shopTopology } from '@shop/topology';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProvisionedConsumer, provisionTopology } from '../src/provisionTopology.js';
import { type Messaging, startMessaging } from './support.js';

let messaging: Messaging;
let consumers: ProvisionedConsumer[];

beforeAll(async () => {
  messaging = await startMessaging();
  const busArn = messaging.eventBridgeServer.emulator.CreateEventBus({ Name: 'shop' }).EventBusArn;
  consumers = await provisionTopology(
    shopTopology([orderService, inventoryService, paymentService]),
    { ...messaging, busArn },
  );
});

afterAll(async () => {
  await messaging?.stop();
});

describe('the provisioned topology', () => {
  it("leaves every queue SQS's default MaximumMessageSize (1 MiB), as the stacks set none", async () => {
    const sizes = await Promise.all(
      consumers.flatMap(({ queue, deadLetterQueue }) =>
        [queue, deadLetterQueue].map(async ({ url }) => {
          const { Attributes } = await messaging.sqs.send(
            new GetQueueAttributesCommand({
              QueueUrl: url,
              AttributeNames: ['MaximumMessageSize'],
            }),
          );
          return Attributes?.['MaximumMessageSize'];
        }),
      ),
    );

    expect(new Set(sizes)).toEqual(new Set(['1048576']));
  });

  it('delivers every published event version to exactly the consumers that subscribe to it', async () => {
    const entries = catalogue.map((definition) => {
      const event = buildEvent(definition, definition.example, {
        correlationId: 'c',
        causationId: 'c',
      });
      return {
        EventBusName: 'shop',
        Source: event.source,
        DetailType: event.detailType,
        Detail: JSON.stringify(event.detail),
      };
    });
    for (let i = 0; i < entries.length; i += 10) {
      const result = await messaging.eventBridge.send(
        new PutEventsCommand({ Entries: entries.slice(i, i + 10) }),
      );
      expect(result.FailedEntryCount).toBe(0);
    }
    await messaging.eventBridgeServer.emulator.settled();

    const received: Record<string, string[]> = {};
    for (const consumer of consumers) {
      const labels: string[] = [];
      for (;;) {
        const { Messages = [] } = await messaging.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: consumer.queue.url, MaxNumberOfMessages: 10 }),
        );
        if (Messages.length === 0) break;
        for (const message of Messages) {
          const body = JSON.parse(String(message.Body));
          labels.push(`${body['detail-type']} v${body.detail.metadata.version}`);
        }
      }
      received[consumer.service] = labels.sort();
    }

    const expected = Object.fromEntries(
      shopTopology([orderService, inventoryService, paymentService]).consumers.map((consumer) => [
        consumer.service,
        [...consumer.events].sort(),
      ]),
    );
    expect(received).toEqual(expected);
    expect(received['inventory']).toEqual([
      'OrderCancelled v1',
      'OrderConfirmed v1',
      'OrderPlaced v1',
    ]);
  });

  it("writes every event of the bus to the audit log, where one call finds an order's events in order", async () => {
    const orderId = '7d3e1f0a-5b2c-4c8e-9f1a-2b3c4d5e6f70';
    const events = catalogue.map((definition) =>
      buildEvent(
        definition,
        { ...definition.example, orderId },
        { correlationId: orderId, causationId: orderId },
      ),
    );
    // Another order's event, which the timeline leaves out.
    const [other] = catalogue.map((definition) =>
      buildEvent(definition, definition.example, { correlationId: 'c', causationId: 'c' }),
    );
    if (other === undefined) throw new Error('The catalogue has no event');
    for (const event of [...events, other]) {
      const result = await messaging.eventBridge.send(
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
    }
    await messaging.eventBridgeServer.emulator.settled();

    const timeline = await messaging.logs.send(
      new FilterLogEventsCommand({
        logGroupName: SHOP_LOG_GROUPS.audit,
        filterPattern: orderTimelinePattern(orderId),
      }),
    );
    const found = (timeline.events ?? []).map((logEvent) => JSON.parse(String(logEvent.message)));
    expect(found.map((event) => event.detail.metadata.eventId)).toEqual(
      events.map((event) => event.detail.metadata.eventId),
    );
    // As EventBridge writes it: the whole event, in a stream named after the event's id.
    expect(found[0]).toMatchObject({
      version: '0',
      source: events[0]?.source,
      account: expect.any(String),
    });
    expect(timeline.events?.map((logEvent) => logEvent.logStreamName)).toEqual(
      found.map((event) => event.id),
    );
    expect(other.detail.data).toMatchObject({ orderId: EXAMPLE_ORDER_ID });
  });
});
