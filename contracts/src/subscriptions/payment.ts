import { defineSubscriptions, reads } from '../defineSubscriptions.js';
import { InventoryReservedV1 } from '../events/inventory.js';
import { OrderCancelledV1, OrderPlacedV2 } from '../events/order.js';

/** Payment charges once stock is reserved (amount from OrderPlaced v2) and refunds on cancel. */
export const paymentSubscriptions = defineSubscriptions('payment', [
  reads(OrderPlacedV2, ['orderId', 'customerId', 'total', 'paymentToken']),
  reads(InventoryReservedV1, ['orderId']),
  reads(OrderCancelledV1, ['orderId']),
]);
