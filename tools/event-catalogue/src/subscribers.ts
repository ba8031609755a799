import type { Subscriber } from '@shop/contracts';
import { inventoryService } from '@shop/inventory/service';
import { orderService } from '@shop/order/service';
import { paymentService } from '@shop/payment/service';

/**
 * Every service of the shop, as its manifest declares it: the consumers whose subscriptions the
 * registry joins with the catalogue.
 *
 * @example
 * ```ts
 * subscribers.find((s) => s.name === 'payment')?.subscribes.map(eventLabel);
 * // ['OrderPlaced v2', 'InventoryReserved v1', 'OrderCancelled v1']
 * ```
 */
export const subscribers: readonly Subscriber[] = [orderService, inventoryService, paymentService];
