import { type CedarEntity, OrderIdSchema } from '@shop/contracts';
import {
  apiHandler,
  deadLetterRedriveRoute,
  endpoint,
  forbidden,
  isAllowed,
  problem,
  sqsClient,
} from '@shop/shared';
import { paymentService } from '#service';
import { dependencies, logger } from './dependencies.js';
import { authorizer } from './policyStore.js';

const { routes } = paymentService.functions.api;

/**
 * Payment's REST API. Employees: `GET /admin/payments/{orderId}`, the payment's details
 * (sensitive: Admins only, not Operators). Never the card token.
 */
export const handler = apiHandler(
  [
    endpoint(routes.viewPaymentDetails, undefined, async ({ params, principal }) => {
      const orderId = OrderIdSchema.safeParse(params['orderId']);
      if (!orderId.success)
        return problem(400, 'VALIDATION_FAILED', 'Invalid order id', orderId.error.issues);
      const resource: CedarEntity = {
        uid: { type: 'Shop::Payment', id: orderId.data },
        attrs: {},
        parents: [],
      };
      if (!(await isAllowed(authorizer, principal, routes.viewPaymentDetails.action, resource))) {
        return forbidden();
      }
      const payment = await dependencies.payments.get(orderId.data);
      if (payment === undefined)
        return problem(404, 'NOT_FOUND', `No payment for order ${orderId.data}`);
      const { paymentToken: _secret, ...details } = payment;
      return { status: 200, body: details };
    }),
    deadLetterRedriveRoute({ authorizer, sqs: sqsClient() }),
  ],
  { logger, declared: routes },
);
