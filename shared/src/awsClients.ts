import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { VerifiedPermissionsClient } from '@aws-sdk/client-verifiedpermissions';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The AWS SDK clients of one function, created once per execution environment. Region,
 * credentials and endpoints come from the standard variables (`AWS_REGION`,
 * `AWS_ENDPOINT_URL_<SERVICE>`), so the same code runs in AWS and on the local cloud.
 *
 * @example
 * ```ts
 * const { documents } = awsClients();
 * await documents.send(new GetCommand({ TableName, Key }));
 * ```
 */
export const awsClients = () => {
  const dynamodb = new DynamoDBClient({});
  return {
    dynamodb,
    documents: DynamoDBDocumentClient.from(dynamodb, {
      marshallOptions: { removeUndefinedValues: true },
    }),
    // Send to the configured endpoint, not to the host in a queue URL: the same in AWS, and what
    // lets `AWS_ENDPOINT_URL_SQS` point at a local SQS whose queue URLs name another host.
    sqs: new SQSClient({ useQueueUrlAsEndpoint: false }),
    verifiedPermissions: new VerifiedPermissionsClient({}),
  };
};

export type AwsClients = ReturnType<typeof awsClients>;
