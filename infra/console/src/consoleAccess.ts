import { SHOP_LOG_GROUPS } from '@shop/contracts';
import type { ServiceMap } from './map/ServiceMap.js';

/** The console function's name, and its role's, in AWS and locally. */
export const CONSOLE_FUNCTION_NAME = 'shop-console';

/** Where the console's role sits, as each service's roles sit under `/shop/<service>/`. */
export const CONSOLE_ROLE_PATH = '/shop/console/';

/** One statement of an identity policy. */
export interface ConsoleStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
}

/**
 * Everything the console's role may do (ADR 0025): `logs:FilterLogEvents` on the bus's audit
 * log and the decision logs, `sqs:GetQueueAttributes` on the shop's queues and DLQs, nothing
 * else: no table, no message, no function.
 *
 * @example
 * ```ts
 * consoleStatements({ partition: 'aws', region: 'eu-west-1', account: '123456789012' }, map);
 * ```
 */
export const consoleStatements = (
  where: { readonly partition: string; readonly region: string; readonly account: string },
  map: ServiceMap,
): ConsoleStatement[] => {
  const { partition, region, account } = where;
  const groups = [SHOP_LOG_GROUPS.audit, ...Object.values(SHOP_LOG_GROUPS.decisions)];
  return [
    {
      Sid: 'ReadTheAuditAndDecisionLogs',
      Effect: 'Allow',
      Action: ['logs:FilterLogEvents'],
      Resource: groups.map(
        (group) => `arn:${partition}:logs:${region}:${account}:log-group:${group}:*`,
      ),
    },
    {
      Sid: 'CountTheShopsMessages',
      Effect: 'Allow',
      Action: ['sqs:GetQueueAttributes'],
      Resource: map.queues.map(
        (queue) => `arn:${partition}:sqs:${region}:${account}:${queue.name}`,
      ),
    },
  ];
};
