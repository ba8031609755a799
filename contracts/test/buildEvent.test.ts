import { describe, expect, it } from 'vitest';
import {
  buildEvent,
  causedBy,
  InvalidEventDataError,
  OrderConfirmedV1,
  OrderPlacedV2,
} from '../src/index.js';

const orderId = '0b6a8c2e-4f0e-4a8e-9a55-3c1f8a7f2d10';
const customerId = 'customer-1';

describe('buildEvent', () => {
  it('wraps data in the shop envelope with source, detail-type and metadata', () => {
    const event = buildEvent(
      OrderConfirmedV1,
      { orderId, customerId },
      { correlationId: orderId, causationId: 'request-1' },
      {
        eventId: '4f1c2a9e-0d7b-4c8e-9a3f-6b2e1d5c7a80',
        occurredAt: new Date('2026-11-23T10:00:00Z'),
      },
    );

    expect(event).toEqual({
      source: 'shop.order',
      detailType: 'OrderConfirmed',
      detail: {
        metadata: {
          eventId: '4f1c2a9e-0d7b-4c8e-9a3f-6b2e1d5c7a80',
          version: 1,
          occurredAt: '2026-11-23T10:00:00.000Z',
          correlationId: orderId,
          causationId: 'request-1',
        },
        data: { orderId, customerId },
      },
    });
  });

  it('gives every event a fresh UUID and the current time by default', () => {
    const cause = { correlationId: orderId, causationId: 'request-1' };
    const a = buildEvent(OrderConfirmedV1, { orderId, customerId }, cause);
    const b = buildEvent(OrderConfirmedV1, { orderId, customerId }, cause);

    expect(a.detail.metadata.eventId).not.toBe(b.detail.metadata.eventId);
    expect(a.detail.metadata.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(a.detail.metadata.occurredAt)).not.toBeNaN();
  });

  it('refuses data that breaks the contract with a typed error listing the issues', () => {
    const build = () =>
      buildEvent(
        OrderPlacedV2,
        { ...OrderPlacedV2.example, total: { amountMinor: 12.5, currency: 'EUR' } },
        { correlationId: orderId, causationId: 'request-1' },
      );

    expect(build).toThrow(InvalidEventDataError);
    expect(build).toThrow(/OrderPlaced v2 data is invalid: total\.amountMinor/);
  });

  it('links a reaction to the event that caused it', () => {
    const placed = buildEvent(OrderPlacedV2, OrderPlacedV2.example, {
      correlationId: orderId,
      causationId: 'request-1',
    });

    expect(causedBy(placed.detail)).toEqual({
      correlationId: orderId,
      causationId: placed.detail.metadata.eventId,
    });
  });
});
