import { verified, verifyProviderPacts } from '@shop/pacts';
import { describe, expect, it } from 'vitest';
import { inventoryEventMakers } from '../../src/eventMakers/index.js';

describe("Inventory's events", () => {
  it("meet every consumer's pact", async () => {
    const verifications = await verifyProviderPacts('inventory', inventoryEventMakers);

    expect(verifications).toEqual([
      verified('order-inventory', 'InventoryReservationFailed v1'),
      verified('payment-inventory', 'InventoryReserved v1'),
    ]);
  });
});
