import { GetPayment } from '@shop/contracts';
import { found, queryHandler, route } from '@shop/shared';
import { paymentView } from '../app/queries.js';
import { dependencies, logger } from './dependencies.js';
import { authorizer } from './policyStore.js';

/** Payment's Lattice service: the payment status of an order. */
export const handler = queryHandler(
  [
    route(
      GetPayment,
      ({ params }) => ({ type: 'Shop::Payment', id: params.orderId }),
      async ({ params }) =>
        found(
          await paymentView(dependencies, params.orderId),
          `Payment of order ${params.orderId}`,
        ),
    ),
  ],
  { logger, authorizer },
);
