import { causedBy, type EventCause, type ReceivedEvent } from '@shop/contracts';
import { ConcurrentUpdateError, type EventContext, RetryLaterError, retry } from '@shop/shared';
import {
  type ChargeOutcome,
  chargeRequest,
  completeCharge,
  completeRefund,
  newPayment,
  onCancellation,
  type Payment,
  readyToCharge,
  recordOrder,
  recordReservation,
  refundDue,
  refundRequest,
  startCharge,
} from '#domain/payment.js';
import type { paymentService } from '#service';
import {
  type PaymentDependencies,
  ProcessorTimeoutError,
  ProcessorUnavailableError,
} from './ports.js';

export type PaymentEvent = ReceivedEvent<(typeof paymentService.subscribes)[number]>;

const callProcessor = <T>(call: () => Promise<T>): Promise<T> =>
  retry(call, {
    attempts: 3,
    baseDelayMs: 100,
    retryable: (error) =>
      error instanceof ProcessorTimeoutError || error instanceof ProcessorUnavailableError,
  });

const refund = async (
  dependencies: PaymentDependencies,
  payment: Payment,
  cause: EventCause,
): Promise<Payment> => {
  try {
    await callProcessor(() => dependencies.processor.refund(refundRequest(payment)));
  } catch (error) {
    if (error instanceof ProcessorTimeoutError || error instanceof ProcessorUnavailableError) {
      throw new RetryLaterError(`Refund of order ${payment.orderId} failed: ${error.message}`);
    }
    throw error;
  }
  const change = completeRefund(payment, cause, dependencies.now());
  await dependencies.payments.save(change.payment, change.events);
  return change.payment;
};

/**
 * What the processor has on record for a charge in doubt: an attempt went unanswered, and the
 * retries with its key are answered "unavailable". A captured charge for the order is the charge;
 * none means that no attempt charged, since a repeated key gets the first answer that was not
 * "unavailable". If the processor cannot be asked either, the charge is retried later.
 */
const chargeOnRecord = async (
  dependencies: PaymentDependencies,
  payment: Payment,
): Promise<ChargeOutcome> => {
  let found: { readonly chargeId: string } | undefined;
  try {
    found = await callProcessor(() => dependencies.processor.capturedCharge(payment.orderId));
  } catch (error) {
    if (error instanceof ProcessorTimeoutError || error instanceof ProcessorUnavailableError) {
      throw new RetryLaterError(`Charge of order ${payment.orderId} unsettled: ${error.message}`);
    }
    throw error;
  }
  return found === undefined
    ? { outcome: 'failed', reason: 'PROCESSOR_UNAVAILABLE' }
    : { outcome: 'captured', chargeId: found.chargeId };
};

/**
 * Calls the processor for a claimed charge and records the outcome. "Unavailable" is taken as
 * "not charged" at once only if no attempt for this charge went unanswered; otherwise the charge
 * may have happened, and the processor's record of the order's charges decides
 * ({@link chargeOnRecord}). No answer at all is retried later with the same key.
 */
const charge = async (
  dependencies: PaymentDependencies,
  payment: Payment,
  cause: EventCause,
  resumed: boolean,
): Promise<Payment> => {
  let unanswered = resumed;
  let result: ChargeOutcome;
  try {
    result = await callProcessor(async () => {
      try {
        return await dependencies.processor.charge(chargeRequest(payment));
      } catch (error) {
        if (error instanceof ProcessorTimeoutError) unanswered = true;
        throw error;
      }
    });
  } catch (error) {
    if (error instanceof ProcessorUnavailableError) {
      result = unanswered
        ? await chargeOnRecord(dependencies, payment)
        : { outcome: 'failed', reason: 'PROCESSOR_UNAVAILABLE' };
    } else if (error instanceof ProcessorTimeoutError) {
      throw new RetryLaterError(`Charge of order ${payment.orderId} unsettled: ${error.message}`);
    } else {
      throw error;
    }
  }
  const change = completeCharge(payment, result, cause, dependencies.now());
  await dependencies.payments.save(change.payment, change.events);
  return refundDue(change.payment) ? refund(dependencies, change.payment, cause) : change.payment;
};

const collect = async (
  dependencies: PaymentDependencies,
  event: Extract<PaymentEvent, { name: 'OrderPlaced' | 'InventoryReserved' }>,
): Promise<Payment> => {
  const { orderId } = event.data;
  const now = dependencies.now();
  let payment = (await dependencies.payments.get(orderId)) ?? newPayment(orderId, now);
  const recorded =
    event.name === 'OrderPlaced'
      ? recordOrder(
          payment,
          {
            customerId: event.data.customerId,
            amount: event.data.total,
            paymentToken: event.data.paymentToken,
          },
          now,
        )
      : recordReservation(payment, now);
  if (recorded !== undefined) {
    await dependencies.payments.save(recorded);
    payment = recorded;
  }
  const resumed = payment.status === 'CHARGING';
  if (readyToCharge(payment)) {
    payment = startCharge(payment, dependencies.newPaymentId(), now);
    await dependencies.payments.save(payment);
  }
  if (payment.status === 'CHARGING') return charge(dependencies, payment, causedBy(event), resumed);
  // A refund owed for a cancellation that came while the charge was in flight, and failed.
  return refundDue(payment) ? refund(dependencies, payment, causedBy(event)) : payment;
};

const cancel = async (
  dependencies: PaymentDependencies,
  event: Extract<PaymentEvent, { name: 'OrderCancelled' }>,
): Promise<Payment | undefined> => {
  const { orderId } = event.data;
  const payment = await dependencies.payments.get(orderId);
  const decision = onCancellation(payment, orderId, dependencies.now());
  switch (decision.action) {
    case 'void':
    case 'flag':
      await dependencies.payments.save(decision.payment);
      return decision.payment;
    case 'none':
      return payment;
    case 'refund':
      return refund(dependencies, decision.payment, causedBy(event));
  }
};

/**
 * The Payment side of the saga. OrderPlaced (v2: amount and token) and InventoryReserved may
 * arrive in either order; whichever completes the picture claims the charge (a conditional
 * write only one handler wins) and calls the processor with the order's idempotency key, so a
 * customer is charged at most once whatever is redelivered. A timeout is retried with the same
 * key; a charge claimed but not settled (a crash, a timeout) is resumed by the next delivery.
 * OrderCancelled refunds a captured charge, voids the payment so it is never charged, or flags a
 * charge in flight so that it is refunded the moment it captures.
 */
export const onEvent = async (
  dependencies: PaymentDependencies,
  event: PaymentEvent,
  { logger }: EventContext,
): Promise<void> => {
  const payment = await retry(
    () =>
      event.name === 'OrderCancelled' ? cancel(dependencies, event) : collect(dependencies, event),
    { attempts: 10, retryable: (error) => error instanceof ConcurrentUpdateError },
  );
  logger.info(`Payment ${payment?.status ?? 'unknown'}`, {
    orderId: event.data.orderId,
    ...(payment?.failureReason !== undefined && { reason: payment.failureReason }),
  });
};
