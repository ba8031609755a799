import { defineSubscriptions } from '../defineSubscriptions.js';
import { OrderCancelledV1, OrderConfirmedV1, OrderPlacedV1 } from '../events/order.js';

/** Inventory reserves stock for placed orders, commits it on confirm, releases it on cancel. */
export const inventorySubscriptions = defineSubscriptions('inventory', [
  OrderPlacedV1,
  OrderConfirmedV1,
  OrderCancelledV1,
]);
