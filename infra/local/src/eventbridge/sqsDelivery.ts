import { GetQueueUrlCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Deliver } from './TargetDelivery.js';

/**
 * Delivers to SQS queue targets (`arn:aws:sqs:region:account:name`) through the real SQS client,
 * as EventBridge does: the event is the message body; dead-letter deliveries carry the failure
 * in message attributes.
 */
export const sqsDelivery = (sqs: SQSClient): Deliver => {
  const urls = new Map<string, string>();
  const queueUrl = async (arn: string): Promise<string> => {
    const known = urls.get(arn);
    if (known) return known;
    const [, , service, , account, name] = arn.split(':');
    if (service !== 'sqs' || !name) throw new Error(`Unsupported target ${arn}`);
    const { QueueUrl } = await sqs.send(
      new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }),
    );
    if (!QueueUrl) throw new Error(`No queue for ${arn}`);
    urls.set(arn, QueueUrl);
    return QueueUrl;
  };
  return async (arn, body, attributes) => {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: await queueUrl(arn),
        MessageBody: body,
        ...(attributes && {
          MessageAttributes: Object.fromEntries(
            Object.entries(attributes).map(([key, value]) => [
              key,
              { DataType: 'String', StringValue: value },
            ]),
          ),
        }),
      }),
    );
  };
};
