import { randomUUID } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  IsAuthorizedCommand,
  VerifiedPermissionsClient,
} from '@aws-sdk/client-verifiedpermissions';
import type { LocalCredentials } from '@shop/local-cloud/iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTACK, EUR, startTestShop, type TestShop } from './support.js';

let t: TestShop;

beforeAll(async () => {
  t = await startTestShop({
    catalogue: [{ sku: 'MUG-001', name: 'Mug', unitPrice: EUR(1299), available: 10 }],
    shared: true,
  });
});

afterAll(async () => {
  await t?.stop();
});

const ACCOUNT = '000000000000';
const REGION = 'eu-west-1';
const arn = (service: string, resource: string) =>
  `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;
const sessionOf = (functionName: string) =>
  `arn:aws:sts::${ACCOUNT}:assumed-role/${functionName}-${REGION}/${functionName}`;

/** AWS's message for a call no policy allows. */
const noPolicyAllows = (principal: string, action: string, resource: string) =>
  `User: ${principal} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;

/** The keys of the role a function (or an outbox Pipe) runs as: the shop's own, not a back door. */
const keysOf = (name: string): LocalCredentials => {
  const keys = t.shop.iam.credentials.forRole(t.shop.access.roleOf(name).arn);
  if (keys === undefined) throw new Error(`No keys for ${name}`);
  return keys;
};
/** An SDK client's settings: the shop's public endpoint for the service, signed with `keys`. */
const config = (
  variable: string,
  keys: Pick<LocalCredentials, 'accessKeyId' | 'secretAccessKey'>,
  extra: object = {},
) => ({
  region: REGION,
  endpoint: String(t.shop.environment[variable]),
  credentials: { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey },
  maxAttempts: 1,
  ...extra,
});
const dynamodb = (keys: Pick<LocalCredentials, 'accessKeyId' | 'secretAccessKey'>, extra = {}) =>
  new DynamoDBClient(config('AWS_ENDPOINT_URL_DYNAMODB', keys, extra));
const sqs = (keys: Pick<LocalCredentials, 'accessKeyId' | 'secretAccessKey'>, extra = {}) =>
  new SQSClient(config('AWS_ENDPOINT_URL_SQS', keys, extra));
const events = (keys: Pick<LocalCredentials, 'accessKeyId' | 'secretAccessKey'>, extra = {}) =>
  new EventBridgeClient(config('AWS_ENDPOINT_URL_EVENTBRIDGE', keys, extra));
const lambda = (keys: Pick<LocalCredentials, 'accessKeyId' | 'secretAccessKey'>, extra = {}) =>
  new LambdaClient(config('AWS_ENDPOINT_URL_LAMBDA', keys, extra));
const verifiedPermissions = (keys: Pick<LocalCredentials, 'accessKeyId' | 'secretAccessKey'>) =>
  new VerifiedPermissionsClient(config('AWS_ENDPOINT_URL_VERIFIEDPERMISSIONS', keys));
const userPool = (keys: Pick<LocalCredentials, 'accessKeyId' | 'secretAccessKey'>, extra = {}) =>
  new CognitoIdentityProviderClient(
    config('AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER', keys, extra),
  );
/** Sends requests as they are, without a signature. */
const UNSIGNED = { signer: { sign: async <R>(request: R) => request } };

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => ({ name: 'none', message: 'the call succeeded' }),
    (error: Error) => ({ name: error.name, message: error.message }),
  );
const getItem = (table: string) =>
  new GetItemCommand({ TableName: table, Key: { pk: { S: 'PRODUCT#MUG-001' }, sk: { S: 'A' } } });
const queueUrlOf = (service: string) =>
  t.shop.cloud.consumers.find((consumer) => consumer.service === service)?.queue.url ?? '';
const forgedPaymentSucceeded = (source: string) =>
  new PutEventsCommand({
    Entries: [
      {
        EventBusName: 'shop',
        Source: source,
        DetailType: 'PaymentSucceeded',
        Detail: JSON.stringify({ forged: randomUUID() }),
      },
    ],
  });

describe("a function's role is judged by IAM on every local endpoint", () => {
  it("lets a function do what its manifest grants: Payment's consumer reads its own table", async () => {
    await expect(dynamodb(keysOf('payment-events')).send(getItem('shop-payment'))).resolves.toEqual(
      expect.objectContaining({ $metadata: expect.objectContaining({ httpStatusCode: 200 }) }),
    );
    expect(t.decisions).toContainEqual(
      expect.objectContaining({
        principal: sessionOf('payment-events'),
        action: 'dynamodb:GetItem',
        resource: arn('dynamodb', 'table/shop-payment'),
        decision: 'Allow',
      }),
    );
  });

  it("refuses Payment's consumer reading Inventory's table", { tags: ATTACK }, async () => {
    expect(
      await failure(dynamodb(keysOf('payment-events')).send(getItem('shop-inventory'))),
    ).toEqual({
      name: 'AccessDeniedException',
      message: noPolicyAllows(
        sessionOf('payment-events'),
        'dynamodb:GetItem',
        arn('dynamodb', 'table/shop-inventory'),
      ),
    });
  });

  it("refuses a PaymentSucceeded forged by Payment's role straight into Order's queue", {
    tags: ATTACK,
  }, async () => {
    const forged = new SendMessageCommand({
      QueueUrl: queueUrlOf('order'),
      MessageBody: JSON.stringify({ source: 'shop.payment', 'detail-type': 'PaymentSucceeded' }),
    });

    expect(await failure(sqs(keysOf('payment-events')).send(forged))).toEqual({
      name: 'AccessDenied',
      message: noPolicyAllows(
        sessionOf('payment-events'),
        'sqs:sendmessage',
        arn('sqs', 'order-events'),
      ),
    });
  });

  it("refuses an event put with another service's source, by the bus policy", {
    tags: ATTACK,
  }, async () => {
    const pipe = keysOf('order-outbox-pipe');
    expect(await failure(events(pipe).send(forgedPaymentSucceeded('shop.payment')))).toEqual({
      name: 'AccessDeniedException',
      message: `User: ${pipe.principal} is not authorized to perform: events:PutEvents on resource: ${arn('events', 'event-bus/shop')} with an explicit deny in a resource-based policy`,
    });
    expect(
      await failure(events(keysOf('order-events')).send(forgedPaymentSucceeded('shop.order'))),
    ).toEqual({
      name: 'AccessDeniedException',
      message: noPolicyAllows(
        sessionOf('order-events'),
        'events:PutEvents',
        arn('events', 'event-bus/shop'),
      ),
    });
  });

  it('refuses unsigned calls with the errors AWS gives', { tags: ATTACK }, async () => {
    const keys = keysOf('payment-events');
    expect(await failure(dynamodb(keys, UNSIGNED).send(getItem('shop-payment')))).toEqual({
      name: 'MissingAuthenticationTokenException',
      message: 'Request is missing Authentication Token',
    });
    expect(
      await failure(
        sqs(keys, UNSIGNED).send(
          new SendMessageCommand({ QueueUrl: queueUrlOf('payment'), MessageBody: '{}' }),
        ),
      ),
    ).toMatchObject({ name: 'MissingAuthenticationToken' });
    expect(
      await failure(events(keys, UNSIGNED).send(forgedPaymentSucceeded('shop.payment'))),
    ).toMatchObject({ name: 'MissingAuthenticationTokenException' });
  });

  it('refuses calls signed with a wrong secret or an unknown key', { tags: ATTACK }, async () => {
    const wrong = { ...keysOf('payment-events'), secretAccessKey: 'guessed' };
    const unknown = { accessKeyId: 'ASIAUNKNOWNKEY00000', secretAccessKey: 'guessed' };
    expect(await failure(dynamodb(wrong).send(getItem('shop-payment')))).toMatchObject({
      name: 'InvalidSignatureException',
      message: expect.stringMatching(/^The request signature we calculated does not match/),
    });
    expect(await failure(dynamodb(unknown).send(getItem('shop-payment')))).toEqual({
      name: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
    const send = new SendMessageCommand({ QueueUrl: queueUrlOf('payment'), MessageBody: '{}' });
    expect(await failure(sqs(wrong).send(send))).toMatchObject({ name: 'SignatureDoesNotMatch' });
    expect(await failure(sqs(unknown).send(send))).toMatchObject({ name: 'InvalidClientTokenId' });
    const put = forgedPaymentSucceeded('shop.order');
    expect(await failure(events(wrong).send(put))).toMatchObject({
      name: 'InvalidSignatureException',
    });
    expect(await failure(events(unknown).send(put))).toMatchObject({
      name: 'UnrecognizedClientException',
    });
  });

  it("refuses every role invoking another service's function, and the administrator any", {
    tags: ATTACK,
  }, async () => {
    const charge = new InvokeCommand({
      FunctionName: 'payment-events',
      Payload: JSON.stringify({ Records: [] }),
    });
    const resource = arn('lambda', 'function:payment-events');

    expect(await failure(lambda(keysOf('order-events')).send(charge))).toEqual({
      name: 'AccessDeniedException',
      message: noPolicyAllows(sessionOf('order-events'), 'lambda:InvokeFunction', resource),
    });
    expect(await failure(lambda(t.shop.iam.admin).send(charge))).toEqual({
      name: 'AccessDeniedException',
      message: `User: ${t.shop.iam.admin.principal} is not authorized to perform: lambda:InvokeFunction on resource: ${resource} with an explicit deny in an identity-based policy`,
    });
    expect(await failure(lambda(keysOf('order-events'), UNSIGNED).send(charge))).toMatchObject({
      name: 'MissingAuthenticationTokenException',
    });
  });

  it("refuses a service asking another service's policy store", { tags: ATTACK }, async () => {
    const ask = new IsAuthorizedCommand({
      policyStoreId: 'local-order',
      principal: { entityType: 'Shop::User', entityId: 'mallory' },
      action: { actionType: 'Shop::Action', actionId: 'ViewOrder' },
      resource: { entityType: 'Shop::Order', entityId: randomUUID() },
    });

    expect(await failure(verifiedPermissions(keysOf('payment-queries')).send(ask))).toEqual({
      name: 'AccessDeniedException',
      message: noPolicyAllows(
        sessionOf('payment-queries'),
        'verifiedpermissions:IsAuthorized',
        `arn:aws:verifiedpermissions::${ACCOUNT}:policy-store/local-order`,
      ),
    });
  });

  it("refuses the user pool's admin actions to a function's role and to an unsigned caller", {
    tags: ATTACK,
  }, async () => {
    const pool = `${REGION}_local`;
    const promote = new AdminAddUserToGroupCommand({
      UserPoolId: pool,
      Username: 'mallory',
      GroupName: 'Admins',
    });

    expect(await failure(userPool(keysOf('order-events')).send(promote))).toEqual({
      name: 'AccessDeniedException',
      message: noPolicyAllows(
        sessionOf('order-events'),
        'cognito-idp:AdminAddUserToGroup',
        arn('cognito-idp', `userpool/${pool}`),
      ),
    });
    const create = new AdminCreateUserCommand({ UserPoolId: pool, Username: 'mallory' });
    expect(await failure(userPool(keysOf('order-events'), UNSIGNED).send(create))).toMatchObject({
      name: 'MissingAuthenticationTokenException',
    });
  });

  it('refuses a function in the VPC calling a service the VPC has no endpoint for', {
    tags: ATTACK,
  }, async () => {
    expect(
      await failure(events(keysOf('order-api')).send(forgedPaymentSucceeded('shop.order'))),
    ).toEqual({
      name: 'VpcEndpointMissing',
      message: `${sessionOf('order-api')} runs in a VPC that has no endpoint for events (com.amazonaws.${REGION}.events): in AWS this request could not leave the VPC, and the call would hang until the function timed out.`,
    });
  });
});
