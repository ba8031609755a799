import { describe, expect, it } from 'vitest';
import { catalogue, eventLabel, eventPattern, OrderPlacedV2 } from '../src/index.js';

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
