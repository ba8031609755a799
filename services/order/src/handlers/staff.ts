import {
  deadLetterRoutes,
  endpoint,
  forbidden,
  isAllowed,
  sqsClient,
  staffEntryChecks,
  staffHandler,
} from '@shop/shared';
import { orderService } from '#service';
import { dependencies, logger } from './dependencies.js';
import { ORDER_BOOK, orderPage } from './orderBook.js';
import { authorizer } from './policyStore.js';

const { routes } = orderService.functions.staff;
const sqs = sqsClient();

/**
 * Order's staff routes, behind Verified Access and the staff load balancer under `/order`
 * (ADR 0021): `GET /admin/orders`, every order (Operators, Admins); `GET /admin/dead-letters`
 * (Operators, Admins) and `POST /admin/dead-letters/redrive` (Admins). Each asks Order's Cedar
 * policies.
 */
export const handler = staffHandler(
  [
    endpoint(routes.listAllOrders, undefined, async ({ query, principal }) =>
      (await isAllowed(authorizer, principal, routes.listAllOrders.action, ORDER_BOOK))
        ? orderPage(dependencies, query)
        : forbidden(),
    ),
    ...deadLetterRoutes({ authorizer, sqs }),
  ],
  { logger, declared: routes, prefix: '/order', checks: staffEntryChecks() },
);
