import { type CedarEntity, OrderIdSchema } from '@shop/contracts';
import {
  deadLetterRoutes,
  endpoint,
  forbidden,
  isAllowed,
  problem,
  sqsClient,
  staffEntryChecks,
  staffHandler,
} from '@shop/shared';
import { paymentService } from '#service';
import { dependencies, logger } from './dependencies.js';
import { authorizer } from './policyStore.js';

const { routes } = paymentService.functions.staff;
const sqs = sqsClient();

/**
 * Payment's staff routes, behind Verified Access and the staff load balancer under `/payment`
 * (ADR 0021): `GET /admin/payments/{orderId}`, the payment's details (sensitive: Admins only,
 * not Operators; never the card token); `GET /admin/dead-letters` (Operators, Admins) and
 * `POST /admin/dead-letters/redrive` (Admins). Each asks Payment's Cedar policies.
 */
export const handler = staffHandler(
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
    ...deadLetterRoutes({ authorizer, sqs }),
  ],
  { logger, declared: routes, prefix: '/payment', checks: staffEntryChecks() },
);
