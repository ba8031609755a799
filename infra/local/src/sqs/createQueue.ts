import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** A queue's URL (for the SQS API) and ARN (for rules, targets and redrive policies). */
export interface QueueRef {
  readonly url: string;
  readonly arn: string;
}

/** Creates a queue (or finds it, when it exists with the same attributes) and returns its URL and ARN. */
export const createQueue = async (
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string> = {},
): Promise<QueueRef> => {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
  );
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  return { url: String(QueueUrl), arn: String(Attributes?.['QueueArn']) };
};
