import { causedBy, type ReceivedEvent } from '@shop/contracts';
import { type EventContext, RetryLaterError } from '@shop/shared';
import type { OrderChangeRequest } from '#domain/order.js';
import type { orderService } from '#service';
import { changeOrderStatus, OrderNotFoundError } from './changeOrderStatus.js';
import type { OrderStateDependencies } from './ports.js';

export type OrderEvent = ReceivedEvent<(typeof orderService.subscribes)[number]>;

/** What each event Order consumes asks of the order. */
export const transitionFor = (event: OrderEvent): OrderChangeRequest => {
  switch (event.name) {
    case 'PaymentSucceeded':
      return { type: 'paymentCaptured', paid: event.data.amount };
    case 'PaymentFailed':
      return { type: 'cancel', reason: 'PAYMENT_FAILED' };
    case 'InventoryReservationFailed':
      return { type: 'cancel', reason: 'INVENTORY_UNAVAILABLE' };
  }
};

/**
 * The Order side of the saga: a successful payment of the order's total confirms the order; a
 * failed reservation or payment cancels it, and so does a payment of another amount or currency
 * (PAYMENT_MISMATCH: OrderCancelled makes Payment refund it and Inventory release the stock). An
 * event for an order not saved yet is retried later. A transition the state machine refuses (a
 * payment that succeeds after the customer cancelled) changes nothing: the OrderCancelled already
 * published makes Payment refund it.
 */
export const onEvent = async (
  dependencies: OrderStateDependencies,
  event: OrderEvent,
  { logger }: EventContext,
): Promise<void> => {
  const result = await changeOrderStatus(
    dependencies,
    event.data.orderId,
    transitionFor(event),
    causedBy(event),
  );
  if (result.ok) {
    const { orderId, status, total, mismatchedPayment } = result.order;
    if (mismatchedPayment === undefined) {
      logger.info(`Order ${status}`, { orderId });
    } else {
      logger.warn('Payment is not the order total: cancelled, to be refunded', {
        orderId,
        total,
        paid: mismatchedPayment,
      });
    }
    return;
  }
  if (result.error instanceof OrderNotFoundError) throw new RetryLaterError(result.error.message);
  logger.warn('Transition refused; nothing changed', { reason: result.error.message });
};
