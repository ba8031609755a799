import { describe, expect, it } from 'vitest';
import { COGNITO_UNSIGNED_OPERATIONS } from '../../src/iam/cognitoRequests.js';
import { deriveIamRequests, wireProtocol } from '../../src/iam/deriveIamRequests.js';
import type { ApiCall, EndpointKind } from '../../src/iam/iamRequest.js';

const scope = { region: 'eu-west-1', account: '111122223333' };
const TABLE = 'arn:aws:dynamodb:eu-west-1:111122223333:table';
const json = (target: string, body: unknown): ApiCall => ({
  method: 'POST',
  path: '/',
  query: {},
  headers: { 'x-amz-target': target },
  body,
});
const requestsOf = (kind: EndpointKind, call: ApiCall) => {
  const derivation = deriveIamRequests(kind, call, scope);
  if (!derivation.ok) throw new Error(derivation.message);
  return derivation.requests.map(({ action, resource, context }) =>
    Object.keys(context).length === 0 ? [action, resource] : [action, resource, context],
  );
};

describe('deriveIamRequests for DynamoDB', () => {
  it.each([
    ['GetItem', { TableName: 'orders' }, [['dynamodb:GetItem', `${TABLE}/orders`]]],
    [
      'Query',
      { TableName: 'orders', IndexName: 'byCustomer' },
      [['dynamodb:Query', `${TABLE}/orders/index/byCustomer`]],
    ],
    [
      'Scan',
      { TableName: 'orders', IndexName: 'byDate' },
      [['dynamodb:Scan', `${TABLE}/orders/index/byDate`]],
    ],
    ['UpdateItem', { TableName: `${TABLE}/orders` }, [['dynamodb:UpdateItem', `${TABLE}/orders`]]],
    ['CreateTable', { TableName: 'orders' }, [['dynamodb:CreateTable', `${TABLE}/orders`]]],
    ['DeleteTable', { TableName: 'orders' }, [['dynamodb:DeleteTable', `${TABLE}/orders`]]],
    ['ListTables', {}, [['dynamodb:ListTables', '*']]],
    [
      'BatchGetItem',
      { RequestItems: { orders: {}, outbox: {} } },
      [
        ['dynamodb:BatchGetItem', `${TABLE}/orders`],
        ['dynamodb:BatchGetItem', `${TABLE}/outbox`],
      ],
    ],
    [
      'BatchWriteItem',
      { RequestItems: { orders: [] } },
      [['dynamodb:BatchWriteItem', `${TABLE}/orders`]],
    ],
    [
      'TransactWriteItems',
      {
        TransactItems: [
          { Put: { TableName: 'orders' } },
          { Put: { TableName: 'orders' } },
          { Update: { TableName: 'stock' } },
          { Delete: { TableName: 'reservations' } },
          { ConditionCheck: { TableName: 'customers' } },
        ],
      },
      [
        ['dynamodb:PutItem', `${TABLE}/orders`],
        ['dynamodb:UpdateItem', `${TABLE}/stock`],
        ['dynamodb:DeleteItem', `${TABLE}/reservations`],
        ['dynamodb:ConditionCheckItem', `${TABLE}/customers`],
      ],
    ],
    [
      'TransactGetItems',
      { TransactItems: [{ Get: { TableName: 'orders' } }, { Get: { TableName: 'stock' } }] },
      [
        ['dynamodb:GetItem', `${TABLE}/orders`],
        ['dynamodb:GetItem', `${TABLE}/stock`],
      ],
    ],
  ])('%s', (operation, body, expected) => {
    expect(requestsOf('dynamodb', json(`DynamoDB_20120810.${operation}`, body))).toEqual(expected);
  });

  it("reads DynamoDB Streams calls, the stream of GetRecords from DynamoDB Local's shard iterator", () => {
    const local =
      'arn:aws:dynamodb:ddblocal:000000000000:table/orders/stream/2026-11-29T02:47:19.434';
    const stream = `${TABLE}/orders/stream/2026-11-29T02:47:19.434`;
    const streams = (operation: string, body: unknown) =>
      requestsOf('dynamodb', json(`DynamoDBStreams_20120810.${operation}`, body));

    expect(streams('DescribeStream', { StreamArn: local })).toEqual([
      ['dynamodb:DescribeStream', stream],
    ]);
    expect(streams('GetShardIterator', { StreamArn: local, ShardId: 's' })).toEqual([
      ['dynamodb:GetShardIterator', stream],
    ]);
    expect(streams('GetRecords', { ShardIterator: `${local}|001|c2hhcmRJZA==` })).toEqual([
      ['dynamodb:GetRecords', stream],
    ]);
    expect(streams('ListStreams', {})).toEqual([['dynamodb:ListStreams', '*']]);
  });

  it('refuses what it cannot read instead of guessing', () => {
    expect(
      deriveIamRequests('dynamodb', json('DynamoDB_20120810.GetItem', {}), scope),
    ).toMatchObject({
      ok: false,
      code: 'Validation',
    });
    expect(deriveIamRequests('dynamodb', json('AmazonSQS.SendMessage', {}), scope)).toMatchObject({
      ok: false,
      code: 'UnknownOperation',
    });
  });
});

describe('deriveIamRequests for SQS', () => {
  const QUEUE = 'arn:aws:sqs:eu-west-1:111122223333:order-events';
  const url = 'http://127.0.0.1:9324/111122223333/order-events';
  const query = (fields: Record<string, string[]>): ApiCall => ({
    method: 'POST',
    path: '/',
    query: {},
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields,
  });

  it.each([
    ['SendMessage', { QueueUrl: url }, [['sqs:SendMessage', QUEUE]]],
    ['SendMessageBatch', { QueueUrl: url }, [['sqs:SendMessage', QUEUE]]],
    ['DeleteMessageBatch', { QueueUrl: url }, [['sqs:DeleteMessage', QUEUE]]],
    ['ChangeMessageVisibilityBatch', { QueueUrl: url }, [['sqs:ChangeMessageVisibility', QUEUE]]],
    ['GetQueueUrl', { QueueName: 'order-events' }, [['sqs:GetQueueUrl', QUEUE]]],
    ['ListQueues', {}, [['sqs:ListQueues', '*']]],
  ])('%s in the JSON protocol', (operation, body, expected) => {
    expect(requestsOf('sqs', json(`AmazonSQS.${operation}`, body))).toEqual(expected);
  });

  it('reads the Query protocol, and refuses a field given twice', () => {
    expect(requestsOf('sqs', query({ Action: ['ReceiveMessage'], QueueUrl: [url] }))).toEqual([
      ['sqs:ReceiveMessage', QUEUE],
    ]);
    expect(
      deriveIamRequests(
        'sqs',
        query({ Action: ['SendMessage'], QueueUrl: [url, `${url}-other`] }),
        scope,
      ),
    ).toMatchObject({ ok: false, code: 'Validation' });
    expect(wireProtocol('sqs', {})).toBe('query');
    expect(wireProtocol('sqs', { 'x-amz-target': 'AmazonSQS.SendMessage' })).toBe('json');
  });
});

describe('deriveIamRequests for EventBridge, Lambda, Verified Permissions and Cognito', () => {
  it('authorizes PutEvents per entry, on its bus, with its source and detail-type', () => {
    const call = json('AWSEvents.PutEvents', {
      Entries: [
        { EventBusName: 'shop', Source: 'shop.order', DetailType: 'OrderPlaced', Detail: '{}' },
        {
          EventBusName: 'arn:aws:events:eu-west-1:111122223333:event-bus/shop',
          Source: 'shop.payment',
          DetailType: 'PaymentSucceeded',
        },
        { Source: 'shop.order', DetailType: 'OrderPlaced' },
      ],
    });

    expect(requestsOf('events', call)).toEqual([
      [
        'events:PutEvents',
        'arn:aws:events:eu-west-1:111122223333:event-bus/shop',
        { 'events:source': ['shop.order'], 'events:detail-type': ['OrderPlaced'] },
      ],
      [
        'events:PutEvents',
        'arn:aws:events:eu-west-1:111122223333:event-bus/shop',
        { 'events:source': ['shop.payment'], 'events:detail-type': ['PaymentSucceeded'] },
      ],
      [
        'events:PutEvents',
        'arn:aws:events:eu-west-1:111122223333:event-bus/default',
        { 'events:source': ['shop.order'], 'events:detail-type': ['OrderPlaced'] },
      ],
    ]);
    expect(
      requestsOf('events', json('AWSEvents.PutRule', { Name: 'r', EventBusName: 'shop' })),
    ).toEqual([['events:PutRule', 'arn:aws:events:eu-west-1:111122223333:rule/shop/r']]);
  });

  it.each([
    ['order-place', undefined, 'arn:aws:lambda:eu-west-1:111122223333:function:order-place'],
    ['order-place', 'live', 'arn:aws:lambda:eu-west-1:111122223333:function:order-place:live'],
    [
      'order-place%3Alive',
      undefined,
      'arn:aws:lambda:eu-west-1:111122223333:function:order-place:live',
    ],
    [
      'arn%3Aaws%3Alambda%3Aeu-west-1%3A111122223333%3Afunction%3Aorder-place',
      undefined,
      'arn:aws:lambda:eu-west-1:111122223333:function:order-place',
    ],
    [
      '444455556666%3Afunction%3Aother',
      undefined,
      'arn:aws:lambda:eu-west-1:444455556666:function:other',
    ],
  ])('Lambda Invoke of %s (qualifier %s)', (name, qualifier, arn) => {
    const call: ApiCall = {
      method: 'POST',
      path: `/2015-03-31/functions/${name}/invocations`,
      query: qualifier === undefined ? {} : { Qualifier: [qualifier] },
      headers: {},
      body: undefined,
    };
    expect(requestsOf('lambda', call)).toEqual([['lambda:InvokeFunction', arn]]);
  });

  it('Verified Permissions on the policy store, with no region in its ARN', () => {
    expect(
      requestsOf(
        'verifiedpermissions',
        json('VerifiedPermissions.IsAuthorized', { policyStoreId: 'PS1' }),
      ),
    ).toEqual([
      [
        'verifiedpermissions:IsAuthorized',
        'arn:aws:verifiedpermissions::111122223333:policy-store/PS1',
      ],
    ]);
  });

  it('CloudWatch Logs on the log group as policies name it, stream reads and writes on the stream', () => {
    const group = 'arn:aws:logs:eu-west-1:111122223333:log-group:/aws/events/shop-audit';
    expect(
      requestsOf(
        'logs',
        json('Logs_20140328.FilterLogEvents', { logGroupName: '/aws/events/shop-audit' }),
      ),
    ).toEqual([['logs:FilterLogEvents', `${group}:*`]]);
    expect(
      requestsOf('logs', json('Logs_20140328.FilterLogEvents', { logGroupIdentifier: group })),
    ).toEqual([['logs:FilterLogEvents', `${group}:*`]]);
    expect(
      requestsOf(
        'logs',
        json('Logs_20140328.PutLogEvents', {
          logGroupName: '/aws/events/shop-audit',
          logStreamName: 'e-1',
        }),
      ),
    ).toEqual([['logs:PutLogEvents', `${group}:log-stream:e-1`]]);
    expect(requestsOf('logs', json('Logs_20140328.DescribeLogGroups', {}))).toEqual([
      ['logs:DescribeLogGroups', 'arn:aws:logs:eu-west-1:111122223333:log-group:*'],
    ]);
    expect(deriveIamRequests('logs', json('Logs_20140328.GetLogEvents', {}), scope)).toMatchObject({
      ok: false,
      code: 'Validation',
    });
  });

  it('Cognito admin actions on the user pool; the public and token-authorized ones unsigned', () => {
    expect(
      requestsOf(
        'cognito-idp',
        json('AWSCognitoIdentityProviderService.AdminCreateUser', { UserPoolId: 'eu-west-1_abc' }),
      ),
    ).toEqual([
      [
        'cognito-idp:AdminCreateUser',
        'arn:aws:cognito-idp:eu-west-1:111122223333:userpool/eu-west-1_abc',
      ],
    ]);
    for (const operation of ['InitiateAuth', 'RespondToAuthChallenge', 'SignUp', 'GetUser']) {
      expect(COGNITO_UNSIGNED_OPERATIONS.has(operation)).toBe(true);
      expect(
        deriveIamRequests(
          'cognito-idp',
          json(`AWSCognitoIdentityProviderService.${operation}`, {}),
          scope,
        ),
      ).toEqual({ ok: true, operation, requests: [], unauthenticated: true });
    }
  });

  it('Cognito’s managed login unsigned, as its domain serves anyone; nothing else on its paths', () => {
    for (const [method, path] of [
      ['GET', '/oauth2/authorize'],
      ['GET', '/login'],
      ['POST', '/login'],
      ['POST', '/oauth2/token'],
      ['GET', '/oauth2/userInfo'],
      ['GET', '/logout'],
    ] as const) {
      expect(
        deriveIamRequests(
          'cognito-idp',
          { method, path, query: {}, headers: {}, body: undefined },
          scope,
        ),
      ).toEqual({
        ok: true,
        operation: 'ManagedLogin',
        requests: [],
        unauthenticated: true,
        ownAuthorization: true,
      });
    }
    for (const path of ['/oauth2/other', '/login/x', '/x/login']) {
      expect(
        deriveIamRequests(
          'cognito-idp',
          { method: 'GET', path, query: {}, headers: {}, body: undefined },
          scope,
        ),
      ).toMatchObject({ ok: false });
    }
  });
});
