import type { OrderId, PaymentView } from '@shop/contracts';
import type { PaymentDependencies } from './ports.js';

/**
 * The payment of an order as other services see it: status, amount, failure reason. Never the
 * card token, the payment id or the processor's charge id.
 *
 * @example
 * ```ts
 * (await paymentView(dependencies, orderId))?.status; // 'CAPTURED'
 * ```
 */
export const paymentView = async (
  dependencies: Pick<PaymentDependencies, 'payments'>,
  orderId: OrderId,
): Promise<PaymentView | undefined> => {
  const payment = await dependencies.payments.get(orderId);
  if (payment === undefined) return undefined;
  const { status, amount, failureReason, updatedAt } = payment;
  return {
    orderId,
    status,
    ...(amount !== undefined && { amount }),
    ...(failureReason !== undefined && { failureReason }),
    updatedAt,
  };
};
