import {
  type EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { EventLog } from './EventLog.js';

export interface ObserveBusOptions {
  /**
   * The only detail types the rule matches, e.g. `SETTLING_EVENTS` for a watcher that only waits
   * for orders to settle: the bus then delivers it nothing else. @default every `shop.*` event
   */
  readonly detailTypes?: readonly string[];
}

/**
 * A queue and a rule of the shop bus that see every `shop.*` event (or those of `detailTypes`),
 * read into an {@link EventLog}, as whoever watches a bus in AWS would do it: the clients are the
 * local account's administrator's.
 *
 * @example
 * ```ts
 * const events = await observeBus(sqs, eventBridge, 'test-observer');
 * await events.waitForSettled(orderId);
 * ```
 */
export const observeBus = async (
  sqs: SQSClient,
  eventBridge: EventBridgeClient,
  name: string,
  options: ObserveBusOptions = {},
): Promise<EventLog> => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  await eventBridge.send(
    new PutRuleCommand({
      Name: name,
      EventBusName: 'shop',
      EventPattern: JSON.stringify({
        source: [{ prefix: 'shop.' }],
        ...(options.detailTypes !== undefined && { 'detail-type': [...options.detailTypes] }),
      }),
    }),
  );
  await eventBridge.send(
    new PutTargetsCommand({
      Rule: name,
      EventBusName: 'shop',
      Targets: [{ Id: 'observer', Arn: Attributes?.['QueueArn'] }],
    }),
  );
  const events = new EventLog(sqs, String(QueueUrl));
  events.start();
  return events;
};
