import { defineSubscriptions, reads } from '../defineSubscriptions.js';
import { OrderCancelledV1, OrderConfirmedV1, OrderPlacedV1 } from '../events/order.js';

/** Inventory reserves stock for placed orders, commits it on confirm, releases it on cancel. */
export const inventorySubscriptions = defineSubscriptions('inventory', [
  reads(OrderPlacedV1, ['orderId', 'lines']),
  reads(OrderConfirmedV1, ['orderId']),
  reads(OrderCancelledV1, ['orderId']),
]);
