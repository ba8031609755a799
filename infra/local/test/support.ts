import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_CREDENTIALS } from '../src/localCloud.js';

/** Region and account every local test uses, and the local dummy credentials. */
export const region = 'eu-west-1';
export const account = '000000000000';
export const credentials = LOCAL_CREDENTIALS;

/** Creates a queue and returns its URL and ARN. */
export const createQueue = async (
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string> = {},
): Promise<{ url: string; arn: string }> => {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
  );
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  return { url: String(QueueUrl), arn: String(Attributes?.['QueueArn']) };
};

/** A promise resolved from outside: tests wait on what the code under test does, never on time. */
export const deferred = <T = void>() => {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
};
