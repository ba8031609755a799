import { describe, expect, it } from 'vitest';
import {
  buildRegistry,
  catalogue,
  eventLabel,
  eventPattern,
  findDanglingSubscriptions,
  OrderPlacedV2,
  SERVICE_NAMES,
  subscriptions,
} from '../src/index.js';

describe('catalogue', () => {
  it('publishes every saga event', () => {
    expect(catalogue.map(eventLabel).sort()).toEqual([
      'InventoryReleased v1',
      'InventoryReservationFailed v1',
      'InventoryReserved v1',
      'OrderCancelled v1',
      'OrderConfirmed v1',
      'OrderPlaced v1',
      'OrderPlaced v2',
      'PaymentFailed v1',
      'PaymentRefunded v1',
      'PaymentSucceeded v1',
    ]);
  });

  it.each(catalogue.map((event) => [eventLabel(event), event] as const))(
    '%s has a valid example',
    (_, event) => {
      expect(event.schema.safeParse(event.example).success).toBe(true);
    },
  );

  it('numbers the versions of each event 1, 2, ... with one producer for all of them', () => {
    const names = new Set(catalogue.map((event) => event.name));
    for (const name of names) {
      const versions = catalogue.filter((event) => event.name === name);
      expect(
        versions.map((v) => v.version),
        name,
      ).toEqual(versions.map((_, i) => i + 1));
      expect(new Set(versions.map((v) => v.producer)).size, name).toBe(1);
    }
  });

  it('gives each version a rule pattern of its own', () => {
    expect(eventPattern(OrderPlacedV2)).toEqual({
      source: ['shop.order'],
      'detail-type': ['OrderPlaced'],
      detail: { metadata: { version: [2] } },
    });
    const patterns = catalogue.map((event) => JSON.stringify(eventPattern(event)));
    expect(new Set(patterns).size).toBe(catalogue.length);
  });
});

describe('registry', () => {
  it('records the producer and the consumers of every event version', () => {
    const rows = Object.fromEntries(
      buildRegistry().map((row) => [
        eventLabel(row),
        `${row.source} -> ${row.consumers.join(',')}`,
      ]),
    );

    expect(rows).toEqual({
      'OrderPlaced v1': 'shop.order -> inventory',
      'OrderPlaced v2': 'shop.order -> payment',
      'InventoryReserved v1': 'shop.inventory -> payment',
      'InventoryReservationFailed v1': 'shop.inventory -> order',
      'PaymentSucceeded v1': 'shop.payment -> order',
      'PaymentFailed v1': 'shop.payment -> order',
      'OrderConfirmed v1': 'shop.order -> inventory',
      'OrderCancelled v1': 'shop.order -> inventory,payment',
      'InventoryReleased v1': 'shop.inventory -> ',
      'PaymentRefunded v1': 'shop.payment -> ',
    });
  });

  it('has every service declare its own subscriptions, none to its own events', () => {
    expect(subscriptions.map((s) => s.consumer).sort()).toEqual([...SERVICE_NAMES].sort());
    for (const { consumer, events } of subscriptions) {
      expect(events.filter((event) => event.producer === consumer)).toEqual([]);
    }
  });

  it('has no subscription to a version the catalogue does not publish', () => {
    expect(findDanglingSubscriptions()).toEqual([]);
  });

  it('finds a consumer left behind when a producer retires a version', () => {
    const withoutV1 = catalogue.filter((event) => eventLabel(event) !== 'OrderPlaced v1');

    expect(findDanglingSubscriptions(withoutV1)).toEqual([
      { consumer: 'inventory', event: 'OrderPlaced v1' },
    ]);
  });
});
