import { describe, expect, it } from 'vitest';
import {
  buildEvent,
  createEventParser,
  InvalidEventDataError,
  MalformedEventError,
  OrderCancelledV1,
  OrderConfirmedV1,
  OrderPlacedV1,
  OrderPlacedV2,
  type OutgoingEvent,
  PaymentSucceededV1,
  reads,
  UnknownEventError,
  UnknownEventVersionError,
} from '../src/index.js';

const cause = { correlationId: 'order-1', causationId: 'request-1' };

/** The event as an SQS body delivered by an EventBridge rule: the full EventBridge event. */
const delivered = (event: OutgoingEvent, overrides: Record<string, unknown> = {}): string =>
  JSON.stringify({
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': event.detailType,
    source: event.source,
    account: '000000000000',
    time: '2026-11-23T10:00:00Z',
    region: 'eu-west-1',
    resources: [],
    detail: event.detail,
    ...overrides,
  });

/** What Inventory's manifest subscribes to: three event versions, and the fields it reads. */
const inventoryReads = [
  reads(OrderPlacedV1, ['orderId', 'lines']),
  reads(OrderConfirmedV1, ['orderId']),
  reads(OrderCancelledV1, ['orderId']),
];

const parser = createEventParser(inventoryReads);

describe('createEventParser', () => {
  it('returns the typed event for a subscribed version', () => {
    const event = buildEvent(OrderPlacedV1, OrderPlacedV1.example, cause);

    const result = parser.parse(delivered(event));

    expect(result).toEqual({
      ok: true,
      event: {
        name: 'OrderPlaced',
        version: 1,
        metadata: event.detail.metadata,
        data: { orderId: OrderPlacedV1.example.orderId, lines: OrderPlacedV1.example.lines },
      },
    });
  });

  it('reads only the fields the consumer declared, whatever else the producer sends', () => {
    const event = buildEvent(OrderPlacedV1, OrderPlacedV1.example, cause);
    const { customerId: _unread, ...withoutCustomer } = event.detail.data;
    const sent = {
      ...event,
      detail: { ...event.detail, data: { ...withoutCustomer, total: 'not read', giftWrap: true } },
    };

    const result = parser.parse(delivered(sent));

    expect(result.ok && result.event.data).toEqual({
      orderId: OrderPlacedV1.example.orderId,
      lines: OrderPlacedV1.example.lines,
    });
  });

  it('accepts an already decoded object as well as JSON text', () => {
    const event = buildEvent(OrderCancelledV1, OrderCancelledV1.example, cause);

    const result = parser.parse(JSON.parse(delivered(event)));

    expect(result.ok && result.event.name).toBe('OrderCancelled');
  });

  it('tolerates optional fields added later to the same version', () => {
    const event = buildEvent(OrderPlacedV1, OrderPlacedV1.example, cause);
    const withNewField = {
      ...event,
      detail: { ...event.detail, data: { ...event.detail.data, giftWrap: true } },
    };

    const result = parser.parse(delivered(withNewField));

    expect(result.ok).toBe(true);
  });

  it('reports a version the consumer does not know, naming the versions it does', () => {
    const event = buildEvent(OrderPlacedV2, OrderPlacedV2.example, cause);

    const result = parser.parse(delivered(event));

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(UnknownEventVersionError);
    expect(result.error.code).toBe('UNKNOWN_EVENT_VERSION');
    expect(result.error.message).toBe('Unknown version 2 of OrderPlaced; known versions: 1');
  });

  it('reports an event the consumer does not subscribe to', () => {
    const event = buildEvent(PaymentSucceededV1, PaymentSucceededV1.example, cause);

    const result = parser.parse(delivered(event));

    expect(!result.ok && result.error).toBeInstanceOf(UnknownEventError);
  });

  it('treats a known detail-type from another source as unknown, so no service can impersonate a producer', () => {
    const event = buildEvent(OrderPlacedV1, OrderPlacedV1.example, cause);

    const result = parser.parse(delivered(event, { source: 'shop.payment' }));

    expect(!result.ok && result.error).toBeInstanceOf(UnknownEventError);
    expect(!result.ok && result.error.message).toContain("source 'shop.payment'");
  });

  it('reports data that breaks the contract with the zod issues', () => {
    const event = buildEvent(OrderPlacedV1, OrderPlacedV1.example, cause);
    const broken = {
      ...event,
      detail: { ...event.detail, data: { ...event.detail.data, lines: [] } },
    };

    const result = parser.parse(delivered(broken));

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(InvalidEventDataError);
    expect(result.error.code).toBe('INVALID_EVENT_DATA');
    expect((result.error as InvalidEventDataError).issues[0]?.path).toEqual(['lines']);
  });

  it.each([
    ['text that is not JSON', '{"source": '],
    ['JSON that is not an object', '42'],
    [
      'an event without metadata',
      JSON.stringify({ source: 'shop.order', 'detail-type': 'OrderPlaced', detail: { data: {} } }),
    ],
    [
      'metadata with a non-integer version',
      JSON.stringify({
        source: 'shop.order',
        'detail-type': 'OrderPlaced',
        detail: {
          metadata: {
            eventId: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
            version: '1',
            occurredAt: '2026-11-23T10:00:00Z',
            correlationId: 'a',
            causationId: 'b',
          },
          data: {},
        },
      }),
    ],
  ])('returns MalformedEventError, never throws, for %s', (_, input) => {
    const result = parser.parse(input);

    expect(!result.ok && result.error).toBeInstanceOf(MalformedEventError);
    expect(!result.ok && result.error.code).toBe('MALFORMED_EVENT');
  });
});
