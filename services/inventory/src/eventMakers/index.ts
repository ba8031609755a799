import type { OutgoingEvent } from '@shop/contracts';
import { release, reserve } from '#domain/reservation.js';

const now = new Date('2026-11-23T10:00:00Z');
const orderId = '0b6a8c2e-4f0e-4a8e-9a55-3c1f8a7f2d10';
const cause = { correlationId: orderId, causationId: '5f0c2a9e-8d14-4b7a-9e36-1c2d3e4f5a6b' };
const lines = [
  { sku: 'MUG-001', quantity: 2 },
  { sku: 'TEE-001', quantity: 1 },
];

/** Inventory's domain, step by step: every event it publishes comes from here. */
const reserving = (stock: number) =>
  reserve(
    undefined,
    new Map([
      ['MUG-001', stock],
      ['TEE-001', stock],
    ]),
    { orderId, lines },
    cause,
    now,
  );

/**
 * How Inventory makes each event version it publishes, with its real domain code: what every
 * consumer's pact is verified against, in its tests and before a deploy (`npm run can-i-deploy`).
 *
 * @example
 * ```ts
 * await verifyProviderPacts('inventory', inventoryEventMakers);
 * ```
 */
export const inventoryEventMakers: Readonly<Record<string, () => readonly OutgoingEvent[]>> = {
  'InventoryReserved v1': () => reserving(5)?.events ?? [],
  'InventoryReservationFailed v1': () => reserving(1)?.events ?? [],
  'InventoryReleased v1': () =>
    release(reserving(5)?.reservation, orderId, cause, now)?.events ?? [],
};
