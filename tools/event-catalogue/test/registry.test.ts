import {
  buildRegistry,
  catalogue,
  eventLabel,
  findDanglingSubscriptions,
  SERVICE_NAMES,
} from '@shop/contracts';
import { describe, expect, it } from 'vitest';
import { subscribers } from '../src/subscribers.js';

describe('registry', () => {
  it('records the producer and the consumers of every event version', () => {
    const rows = Object.fromEntries(
      buildRegistry(catalogue, subscribers).map((row) => [
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

  it('joins every service of the shop, each declaring its own subscriptions in its manifest', () => {
    expect(subscribers.map((s) => s.name).sort()).toEqual([...SERVICE_NAMES].sort());
  });

  it('has no subscription to a version the catalogue does not publish', () => {
    expect(findDanglingSubscriptions(catalogue, subscribers)).toEqual([]);
  });

  it('finds a consumer left behind when a producer retires a version', () => {
    const withoutV1 = catalogue.filter((event) => eventLabel(event) !== 'OrderPlaced v1');

    expect(findDanglingSubscriptions(withoutV1, subscribers)).toEqual([
      { consumer: 'inventory', event: 'OrderPlaced v1' },
    ]);
  });
});
