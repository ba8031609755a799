import type { LogGroups } from '../logs/LogGroups.js';
import type { Deliver } from './TargetDelivery.js';

const LOG_GROUP_ARN = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:]+)(:\*)?$/;

/**
 * Delivers to CloudWatch Logs log group targets (`arn:aws:logs:region:account:log-group:name`)
 * as EventBridge does: the event's JSON is the message, timestamped with the event's `time`, in
 * a log stream named after the event's id. The log group must exist (EventBridge does not create
 * it): a missing one fails the delivery, which is then retried and dropped like any other.
 *
 * @example
 * ```ts
 * const deliver = logsDelivery(logs.logGroups);
 * await deliver('arn:aws:logs:eu-west-1:000000000000:log-group:/aws/events/shop-audit', eventJson);
 * ```
 */
export const logsDelivery =
  (logGroups: LogGroups): Deliver =>
  async (arn, body) => {
    const groupName = LOG_GROUP_ARN.exec(arn)?.[1];
    if (groupName === undefined) throw new Error(`Unsupported target ${arn}`);
    const event = JSON.parse(body) as { readonly id?: unknown; readonly time?: unknown };
    const streamName = String(event.id);
    const time = Date.parse(String(event.time));
    const timestamp = Number.isNaN(time) ? Date.now() : time;
    if (!logGroups.hasLogGroup(groupName)) throw new Error(`No log group ${groupName}`);
    logGroups.append(groupName, streamName, [{ timestamp, message: body }]);
  };

/**
 * One delivery for every kind of target, chosen by the service its ARN names (`sqs`, `logs`).
 *
 * @example
 * ```ts
 * const deliver = deliveryByService({ sqs: sqsDelivery(sqs), logs: logsDelivery(logGroups) });
 * ```
 */
export const deliveryByService =
  (deliveries: Readonly<Record<string, Deliver>>): Deliver =>
  (arn, body, attributes) => {
    const deliver = deliveries[arn.split(':')[2] ?? ''];
    if (deliver === undefined) return Promise.reject(new Error(`Unsupported target ${arn}`));
    return deliver(arn, body, attributes);
  };
