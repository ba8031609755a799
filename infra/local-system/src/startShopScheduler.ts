import { type LocalScheduler, startScheduler } from '@shop/local-cloud/scheduler';
import type { ShopIam } from './iamEnforcement.js';
import type { ShopStartup } from './ShopStartup.js';

/**
 * The services' schedules (EventBridge Scheduler): each invokes its function through Lambda's
 * API, signed with its own role's keys, which Lambda's IAM front judges against the role's
 * policy, as in AWS; nothing else may invoke a function. With `scheduleEverySeconds`, every
 * schedule runs that often instead of at its rate.
 *
 * @example
 * ```ts
 * const scheduler = startShopScheduler(startup, { scheduleEverySeconds: 1 }, lambda, iam);
 * ```
 */
export const startShopScheduler = (
  { region, topology, progress, stops }: ShopStartup,
  props: { readonly scheduleEverySeconds?: number },
  lambda: { readonly endpoint: string },
  iam: ShopIam,
): LocalScheduler => {
  const scheduler = startScheduler({
    region,
    lambdaEndpoint: lambda.endpoint,
    schedules: topology.schedules.map((schedule) => ({
      name: schedule.scheduleName,
      rateSeconds: schedule.rateSeconds,
      functionName: schedule.functionName,
      credentials: iam.credentialsOf(schedule.roleName),
    })),
    ...(props.scheduleEverySeconds !== undefined && {
      everySeconds: props.scheduleEverySeconds,
    }),
  });
  stops.push(() => scheduler.stop());
  const every = (expression: string) =>
    props.scheduleEverySeconds === undefined
      ? expression
      : `every ${props.scheduleEverySeconds} s (${expression} in AWS)`;
  progress(
    `EventBridge Scheduler: ${topology.schedules
      .map((s) => `${s.scheduleName} ${every(s.expression)}, as ${s.roleName}`)
      .join('; ')}`,
  );
  return scheduler;
};
