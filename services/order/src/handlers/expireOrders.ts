import type { Context } from 'aws-lambda';
import { expireOrders } from '../app/expireOrders.js';
import { dependencies, logger } from './dependencies.js';

/** Due orders one page holds, and pages one run reads: 500 orders a run at most. */
const PAGES = { pageSize: 25, maxPages: 20 } as const;

/** Some due orders could not be expired; the others were, and the next run tries these again. */
export class OrderExpiryError extends Error {
  override readonly name = 'OrderExpiryError';

  constructor(readonly orderIds: readonly string[]) {
    super(`Orders not expired, to be tried again by the next run: ${orderIds.join(', ')}`);
  }
}

/**
 * Order's schedule (every minute): expires the orders still PENDING at their deadline. It takes
 * no input (whatever it is given is ignored), and it fails, naming them, when some due orders
 * could not be expired, after expiring the others.
 */
export const handler = async (
  _input: unknown,
  context: Context,
): Promise<{ readonly expired: number; readonly more: boolean }> => {
  logger.addContext(context);
  const run = await expireOrders(dependencies, PAGES);
  for (const order of run.expired) {
    logger.info('Order expired: cancelled, its stock to be released', {
      correlation_id: order.orderId,
      confirmBy: order.confirmBy,
    });
  }
  if (run.more) logger.warn('More orders are due than one run expires; the next run goes on');
  for (const { orderId, error } of run.failed) {
    logger.error('Order not expired; the next run tries again', { correlation_id: orderId, error });
  }
  if (run.failed.length > 0) throw new OrderExpiryError(run.failed.map((f) => f.orderId));
  return { expired: run.expired.length, more: run.more };
};
