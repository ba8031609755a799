import { CONSOLE_FUNCTION_NAME } from '@shop/console';
import { reservePort } from '@shop/local-cloud';
import type { InvokeFunction } from '@shop/local-cloud/lambda';
import { type LoadBalancer, startLoadBalancer } from '@shop/local-cloud/load-balancer';
import { LOCAL_ACCOUNT } from './principals.js';
import type { ShopStartup } from './ShopStartup.js';

/** One listener rule of the staff load balancer that no service's manifest declares. */
export interface StaffListenerRule {
  readonly priority: number;
  readonly pathPattern: `/${string}*`;
  readonly functionName: string;
}

/**
 * The staff load balancer's rules beyond each service's `/<service>/*` (from the manifests):
 * one line per staff application, e.g. `{ priority: 40, pathPattern: '/console/*', functionName: 'staff-console' }`.
 */
export const STAFF_LISTENER_RULES: readonly StaffListenerRule[] = [
  // The staff console (ADR 0025), a function of its own beside the services' staff functions.
  { priority: 100, pathPattern: '/console/*', functionName: CONSOLE_FUNCTION_NAME },
];

/** What the platform's listener answers to a path no rule claims (`StaffAccess`). */
const NO_SUCH_STAFF_ROUTE = {
  status: 404,
  contentType: 'application/json',
  body: JSON.stringify({ code: 'NOT_FOUND', message: 'No such staff route' }),
};

/**
 * The internal staff load balancer behind the Verified Access endpoint (ADR 0021), on
 * `ports.staffLoadBalancer`, 127.0.0.1 only: a listener rule for each service's staff function
 * (`/order/*` to `order-staff`, ...), the rules of `STAFF_LISTENER_RULES`, and 404 to anything
 * else, as the platform's listener answers. Its functions are invoked through the shop's Lambda,
 * with ALB events.
 *
 * @example
 * ```ts
 * const alb = await startShopLoadBalancer(startup, { ports: { staffLoadBalancer: 0 } }, lambda.invoke);
 * ```
 */
export const startShopLoadBalancer = async (
  { region, topology, progress, stops }: ShopStartup,
  props: { readonly ports: { readonly staffLoadBalancer: number } },
  invokeFunction: InvokeFunction,
): Promise<LoadBalancer> => {
  const port = await reservePort(
    'staff load balancer',
    props.ports.staffLoadBalancer,
    'LOCAL_STAFF_LOAD_BALANCER_PORT',
  );
  const rules = [
    ...topology.staffRoutes.map((route) => ({
      priority: route.priority,
      pathPattern: route.pathPattern as `/${string}*`,
      functionName: route.functionName,
    })),
    ...STAFF_LISTENER_RULES,
  ];
  const alb = await startLoadBalancer({
    region,
    account: LOCAL_ACCOUNT,
    name: 'shop-staff',
    port,
    rules: rules.map((rule) => ({
      priority: rule.priority,
      pathPattern: rule.pathPattern,
      targetGroup: rule.functionName,
      invoke: (event) => invokeFunction(rule.functionName, event),
    })),
    fixedResponse: NO_SUCH_STAFF_ROUTE,
  });
  stops.push(() => alb.close());
  progress(
    `staff load balancer at ${alb.url}: ${rules.map((rule) => `${rule.pathPattern} to ${rule.functionName}`).join(', ')}`,
  );
  return alb;
};
