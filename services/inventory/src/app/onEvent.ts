import { causedBy, type ReceivedEvent } from '@shop/contracts';
import { ConcurrentUpdateError, type EventContext, RetryLaterError, retry } from '@shop/shared';
import { commit, type ReservationChange, release, reserve } from '#domain/reservation.js';
import type { inventoryService } from '#service';
import type { InventoryDependencies } from './ports.js';

export type InventoryEvent = ReceivedEvent<(typeof inventoryService.subscribes)[number]>;

const decide = async (
  { inventory, now }: InventoryDependencies,
  event: InventoryEvent,
): Promise<ReservationChange | undefined> => {
  const existing = await inventory.getReservation(event.data.orderId);
  switch (event.name) {
    case 'OrderPlaced': {
      if (existing !== undefined) return undefined;
      const products = await inventory.getProducts(event.data.lines.map((line) => line.sku));
      const available = new Map(products.map((product) => [product.sku, product.available]));
      return reserve(existing, available, event.data, causedBy(event), now());
    }
    case 'OrderConfirmed':
      if (existing === undefined) {
        throw new RetryLaterError(`No reservation for order ${event.data.orderId} yet`);
      }
      return commit(existing, now());
    case 'OrderCancelled':
      return release(existing, event.data.orderId, causedBy(event), now());
  }
};

/**
 * The Inventory side of the saga: OrderPlaced reserves every line or none (never overselling,
 * whatever runs concurrently: the write is conditional on the stock read, and a lost race
 * decides again on fresh stock); OrderConfirmed sells the held units; OrderCancelled puts them
 * back.
 */
export const onEvent = async (
  dependencies: InventoryDependencies,
  event: InventoryEvent,
  { logger }: EventContext,
): Promise<void> => {
  const change = await retry(
    async () => {
      const decided = await decide(dependencies, event);
      if (decided !== undefined) await dependencies.inventory.save(decided);
      return decided;
    },
    { attempts: 10, retryable: (error) => error instanceof ConcurrentUpdateError },
  );
  if (change === undefined) {
    logger.info('Nothing to do: already handled', { orderId: event.data.orderId });
    return;
  }
  logger.info(`Reservation ${change.reservation.status}`, {
    orderId: change.reservation.orderId,
    lines: change.reservation.lines,
  });
};
