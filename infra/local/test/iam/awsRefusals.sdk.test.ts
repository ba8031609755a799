import { createServer } from 'node:http';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  IsAuthorizedCommand,
  VerifiedPermissionsClient,
} from '@aws-sdk/client-verifiedpermissions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServers, listen } from '../../src/http/listen.js';
import { type HttpAnswer, type Refusal, refusalAnswer } from '../../src/iam/awsRefusals.js';
import type { EndpointKind, WireProtocol } from '../../src/iam/iamRequest.js';

// A server that answers every request with the refusal under test: the real SDK clients must
// raise the error AWS raises, with AWS's name and message.
let answer: HttpAnswer = { status: 200, headers: {}, body: '{}' };
const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(answer.status, answer.headers);
    response.end(answer.body);
  });
});
let endpoint = '';
beforeAll(async () => {
  endpoint = `http://127.0.0.1:${await listen(server, 0)}`;
});
afterAll(() => closeServers([server]));

const config = () => ({
  endpoint,
  region: 'eu-west-1',
  maxAttempts: 1,
  credentials: { accessKeyId: 'ASIALOCAL', secretAccessKey: 'secret' },
});
const QUEUE_URL = 'http://127.0.0.1/111122223333/order-events';
const calls: Record<EndpointKind | 'query', () => Promise<unknown>> = {
  dynamodb: () =>
    new DynamoDBClient(config()).send(new GetItemCommand({ TableName: 'orders', Key: {} })),
  sqs: () =>
    new SQSClient(config()).send(new SendMessageCommand({ QueueUrl: QUEUE_URL, MessageBody: 'x' })),
  // SNS speaks the same Query protocol (and error XML) as SQS's Query API.
  query: () =>
    new SNSClient(config()).send(
      new PublishCommand({ TopicArn: 'arn:aws:sns:eu-west-1:111122223333:t', Message: 'x' }),
    ),
  events: () =>
    new EventBridgeClient(config()).send(
      new PutEventsCommand({ Entries: [{ Source: 's', DetailType: 'd', Detail: '{}' }] }),
    ),
  lambda: () => new LambdaClient(config()).send(new InvokeCommand({ FunctionName: 'order-place' })),
  verifiedpermissions: () =>
    new VerifiedPermissionsClient(config()).send(new IsAuthorizedCommand({ policyStoreId: 'PS1' })),
  'cognito-idp': () =>
    new CognitoIdentityProviderClient(config()).send(
      new AdminCreateUserCommand({ UserPoolId: 'p', Username: 'u' }),
    ),
  logs: () =>
    new CloudWatchLogsClient(config()).send(new FilterLogEventsCommand({ logGroupName: 'g' })),
};
const raised = async (
  kind: EndpointKind,
  protocol: WireProtocol,
  refusal: Refusal,
): Promise<{ name: string; message: string; status: number | undefined; code: unknown }> => {
  answer = refusalAnswer(kind, protocol, refusal);
  const error = await calls[protocol === 'query' ? 'query' : kind]().then(
    () => new Error('the call succeeded'),
    (caught: unknown) =>
      caught as Error & { $metadata?: { httpStatusCode?: number }; Code?: unknown },
  );
  const withMetadata = error as Error & { $metadata?: { httpStatusCode?: number }; Code?: unknown };
  return {
    name: error.name,
    message: error.message,
    status: withMetadata.$metadata?.httpStatusCode,
    code: withMetadata.Code,
  };
};

const DENIED =
  'User: arn:aws:sts::111122223333:assumed-role/order-place/order-place is not authorized to perform: x:Y on resource: arn:aws:x because no identity-based policy allows the x:Y action';
const denied: Refusal = { kind: 'AccessDenied', message: DENIED };

describe('refusalAnswer, as the AWS SDK v3 reads it', () => {
  it.each([
    ['dynamodb', 'json', 'AccessDeniedException', 400],
    ['events', 'json', 'AccessDeniedException', 400],
    ['verifiedpermissions', 'json', 'AccessDeniedException', 403],
    ['cognito-idp', 'json', 'AccessDeniedException', 400],
    ['logs', 'json', 'AccessDeniedException', 400],
    ['lambda', 'rest-json', 'AccessDeniedException', 403],
    ['sqs', 'json', 'AccessDenied', 403],
    ['sqs', 'query', 'AccessDenied', 403],
  ] as const)('%s (%s protocol) raises %s for a denial', async (kind, protocol, name, status) => {
    expect(await raised(kind, protocol, denied)).toMatchObject({ name, message: DENIED, status });
  });

  it('gives the SQS JSON error the query-compatible code its SDKs report', async () => {
    expect(await raised('sqs', 'json', denied)).toMatchObject({ code: 'AccessDenied' });
  });

  const invalidToken: Refusal = {
    kind: 'Signature',
    reason: 'UNKNOWN_KEY',
    message: 'UnrecognizedClientException: The security token included in the request is invalid.',
  };
  const mismatch: Refusal = {
    kind: 'Signature',
    reason: 'SIGNATURE_MISMATCH',
    message:
      'InvalidSignatureException: The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
  };
  const missing: Refusal = { kind: 'MissingAuthentication' };

  it.each([
    [
      'dynamodb',
      'json',
      invalidToken,
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    ],
    [
      'dynamodb',
      'json',
      mismatch,
      'InvalidSignatureException',
      /^The request signature we calculated/,
    ],
    [
      'dynamodb',
      'json',
      missing,
      'MissingAuthenticationTokenException',
      'Request is missing Authentication Token',
    ],
    [
      'events',
      'json',
      invalidToken,
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    ],
    [
      'lambda',
      'rest-json',
      invalidToken,
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    ],
    [
      'lambda',
      'rest-json',
      mismatch,
      'InvalidSignatureException',
      /^The request signature we calculated/,
    ],
    [
      'lambda',
      'rest-json',
      missing,
      'MissingAuthenticationTokenException',
      'Missing Authentication Token',
    ],
    [
      'sqs',
      'json',
      invalidToken,
      'InvalidClientTokenId',
      'The security token included in the request is invalid.',
    ],
    ['sqs', 'json', mismatch, 'SignatureDoesNotMatch', /^The request signature we calculated/],
    [
      'sqs',
      'json',
      missing,
      'MissingAuthenticationToken',
      'Request is missing Authentication Token',
    ],
    [
      'sqs',
      'query',
      invalidToken,
      'InvalidClientTokenId',
      'The security token included in the request is invalid.',
    ],
    ['sqs', 'query', mismatch, 'SignatureDoesNotMatch', /^The request signature we calculated/],
  ] as const)('%s (%s protocol): %#', async (kind, protocol, refusal, name, message) => {
    const error = await raised(kind, protocol, refusal);
    expect(error.name).toBe(name);
    expect(error.message).toMatch(message);
  });
});
