import { describe, expect, it } from 'vitest';
import type { ServiceMap } from '../src/map/ServiceMap.js';
import map from '../src/map/serviceMap.json' with { type: 'json' };
import { type AuditLogEntry, orderTimeline } from '../src/timeline/orderTimeline.js';

const ORDER = '0b6a8c2e-4f0e-4a8e-9a55-3c1f8a7f2d10';

let ids = 0;
const logged = (
  name: string,
  source: string,
  occurredAt: string,
  version = 1,
  data: Record<string, unknown> = {},
): AuditLogEntry => {
  ids += 1;
  const eventId = `00000000-0000-4000-8000-${String(ids).padStart(12, '0')}`;
  return {
    timestamp: Date.parse(occurredAt) + 50,
    message: JSON.stringify({
      version: '0',
      id: `bus-${ids}`,
      'detail-type': name,
      source,
      time: occurredAt,
      detail: {
        metadata: { eventId, version, occurredAt, correlationId: ORDER, causationId: ORDER },
        data: { orderId: ORDER, ...data },
      },
    }),
  };
};

describe('orderTimeline', () => {
  it('orders the events as they happened, with producer, consumers and latency between steps', () => {
    const entries = [
      logged('PaymentSucceeded', 'shop.payment', '2026-11-29T10:00:00.900Z'),
      logged('OrderPlaced', 'shop.order', '2026-11-29T10:00:00.000Z', 1),
      logged('OrderPlaced', 'shop.order', '2026-11-29T10:00:00.000Z', 2),
      logged('InventoryReserved', 'shop.inventory', '2026-11-29T10:00:00.400Z'),
      logged('OrderConfirmed', 'shop.order', '2026-11-29T10:00:01.000Z'),
    ];
    const timeline = orderTimeline(ORDER, entries, map as ServiceMap);

    expect(timeline.outcome).toBe('confirmed');
    expect(timeline.steps.map((s) => `${s.name} v${s.version}`)).toEqual([
      'OrderPlaced v1',
      'OrderPlaced v2',
      'InventoryReserved v1',
      'PaymentSucceeded v1',
      'OrderConfirmed v1',
    ]);
    expect(timeline.steps.map((s) => s.sincePreviousMs)).toEqual([0, 0, 400, 500, 100]);
    expect(timeline.steps.at(-1)?.sinceStartMs).toBe(1000);
    const placedV2 = timeline.steps[1];
    expect(placedV2?.producer).toBe('order');
    expect(placedV2?.consumers).toContain('payment');
    expect(timeline.steps.some((s) => s.compensation)).toBe(false);
  });

  it('marks the compensation path of a failed order, with its reason', () => {
    const timeline = orderTimeline(
      ORDER,
      [
        logged('OrderPlaced', 'shop.order', '2026-11-29T10:00:00.000Z', 2),
        logged('InventoryReserved', 'shop.inventory', '2026-11-29T10:00:00.100Z'),
        logged('PaymentFailed', 'shop.payment', '2026-11-29T10:00:00.200Z'),
        logged('OrderCancelled', 'shop.order', '2026-11-29T10:00:00.300Z', 1, {
          reason: 'PAYMENT_FAILED',
        }),
        logged('InventoryReleased', 'shop.inventory', '2026-11-29T10:00:00.400Z'),
      ],
      map as ServiceMap,
    );

    expect(timeline.outcome).toBe('cancelled');
    expect(timeline.reason).toBe('PAYMENT_FAILED');
    expect(timeline.steps.filter((s) => s.compensation).map((s) => s.name)).toEqual([
      'PaymentFailed',
      'OrderCancelled',
      'InventoryReleased',
    ]);
  });

  it('shows an event the bus delivered twice once, and skips what is not an event', () => {
    const placed = logged('OrderPlaced', 'shop.order', '2026-11-29T10:00:00.000Z', 2);
    const timeline = orderTimeline(
      ORDER,
      [
        placed,
        { ...placed, timestamp: placed.timestamp + 5 },
        { timestamp: 1, message: 'not json' },
      ],
      map as ServiceMap,
    );

    expect(timeline.steps).toHaveLength(1);
    expect(timeline.outcome).toBe('in progress');
  });
});
