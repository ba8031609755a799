import { defineSubscriptions } from '../defineSubscriptions.js';
import { InventoryReservationFailedV1 } from '../events/inventory.js';
import { PaymentFailedV1, PaymentSucceededV1 } from '../events/payment.js';

/** Order confirms on a successful payment and cancels when stock or payment fails. */
export const orderSubscriptions = defineSubscriptions('order', [
  InventoryReservationFailedV1,
  PaymentSucceededV1,
  PaymentFailedV1,
]);
