import { defineSubscriptions, reads } from '../defineSubscriptions.js';
import { InventoryReservationFailedV1 } from '../events/inventory.js';
import { PaymentFailedV1, PaymentSucceededV1 } from '../events/payment.js';

/** Order confirms on a successful payment and cancels when stock or payment fails. */
export const orderSubscriptions = defineSubscriptions('order', [
  reads(InventoryReservationFailedV1, ['orderId']),
  reads(PaymentSucceededV1, ['orderId']),
  reads(PaymentFailedV1, ['orderId']),
]);
