import { SQSClient } from '@aws-sdk/client-sqs';

let client: SQSClient | undefined;

/**
 * The SQS client of a function, created once per execution environment. It sends to the
 * configured endpoint, not to the host in a queue URL: the same in AWS, and what lets
 * `AWS_ENDPOINT_URL_SQS` point at a local SQS whose queue URLs name another host.
 *
 * @example
 * ```ts
 * await sqsClient().send(new SendMessageCommand({ QueueUrl, MessageBody }));
 * ```
 */
export const sqsClient = (): SQSClient => {
  client ??= new SQSClient({ useQueueUrlAsEndpoint: false });
  return client;
};
