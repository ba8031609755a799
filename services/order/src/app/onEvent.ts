import { causedBy, type ReceivedEvent } from '@shop/contracts';
import { type EventContext, RetryLaterError } from '@shop/shared';
import type { OrderTransition } from '#domain/orderStatus.js';
import type { orderService } from '#service';
import { changeOrderStatus, OrderNotFoundError } from './changeOrderStatus.js';
import type { OrderDependencies } from './ports.js';

export type OrderEvent = ReceivedEvent<(typeof orderService.subscribes)[number]>;

/** What each event Order consumes does to the order. */
export const transitionFor = (event: OrderEvent): OrderTransition => {
  switch (event.name) {
    case 'PaymentSucceeded':
      return { type: 'confirm' };
    case 'PaymentFailed':
      return { type: 'cancel', reason: 'PAYMENT_FAILED' };
    case 'InventoryReservationFailed':
      return { type: 'cancel', reason: 'INVENTORY_UNAVAILABLE' };
  }
};

/**
 * The Order side of the saga: a successful payment confirms the order; a failed reservation or
 * payment cancels it. An event for an order not saved yet is retried later. A transition the
 * state machine refuses (a payment that succeeds after the customer cancelled) changes nothing:
 * the OrderCancelled already published makes Payment refund it.
 */
export const onEvent = async (
  dependencies: OrderDependencies,
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
    logger.info(`Order ${result.order.status}`, { orderId: result.order.orderId });
    return;
  }
  if (result.error instanceof OrderNotFoundError) throw new RetryLaterError(result.error.message);
  logger.warn('Transition refused; nothing changed', { reason: result.error.message });
};
