import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

let clients: { dynamodb: DynamoDBClient; documents: DynamoDBDocumentClient } | undefined;

/**
 * The DynamoDB client of a function and its document client, created once per execution
 * environment. Region, credentials and endpoint come from the standard variables (`AWS_REGION`,
 * `AWS_ENDPOINT_URL_DYNAMODB`), so the same code runs in AWS and on the local cloud. Each AWS
 * client has a module of its own, so that a function loads only the SDK packages it calls.
 *
 * @example
 * ```ts
 * const { documents } = dynamodbClients();
 * await documents.send(new GetCommand({ TableName, Key }));
 * ```
 */
export const dynamodbClients = () => {
  if (clients === undefined) {
    const dynamodb = new DynamoDBClient({});
    clients = {
      dynamodb,
      documents: DynamoDBDocumentClient.from(dynamodb, {
        marshallOptions: { removeUndefinedValues: true },
      }),
    };
  }
  return clients;
};
