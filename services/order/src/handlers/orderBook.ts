import { type CedarEntity, PageRequestSchema } from '@shop/contracts';
import { type ApiAnswer, answerOf, pageResult, problem } from '@shop/shared';
import type { OrderStateDependencies } from '../app/ports.js';

/** Every order, as Cedar names the collection: the resource of placing and listing orders. */
export const ORDER_BOOK: CedarEntity = {
  uid: { type: 'Shop::OrderBook', id: 'all' },
  attrs: {},
  parents: [],
};

/**
 * One page of orders, a customer's own or everyone's, as the query string asks for it (400 for
 * a malformed page request).
 *
 * @example
 * ```ts
 * await orderPage(dependencies, query, user.sub); // { status: 200, body: { items, next } }
 * ```
 */
export const orderPage = async (
  dependencies: Pick<OrderStateDependencies, 'orders'>,
  query: Readonly<Record<string, string>>,
  customerId?: string,
): Promise<ApiAnswer> => {
  const parsed = PageRequestSchema.safeParse(query);
  if (!parsed.success)
    return problem(400, 'VALIDATION_FAILED', 'Invalid request', parsed.error.issues);
  return answerOf(await pageResult(() => dependencies.orders.list({ ...parsed.data, customerId })));
};
