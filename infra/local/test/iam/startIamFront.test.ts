import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import {
  DeleteTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { PolicyDocument } from '@shop/topology';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeServers, listen } from '../../src/http/listen.js';
import { readBody } from '../../src/http/readBody.js';
import {
  type FrontTiming,
  type IamDecisionLogEntry,
  type IamFront,
  type IamFrontProps,
  issueLocalCredentials,
  startIamFront,
} from '../../src/iam/index.js';
import { type RawAnswer, rawRequest } from '../rawHttp.js';

const REGION = 'eu-west-1';
const ACCOUNT = '111122223333';
const ORDER_ROLE = `arn:aws:iam::${ACCOUNT}:role/shop/order/order-place`;
const PAYMENT_ROLE = `arn:aws:iam::${ACCOUNT}:role/shop/payment/payment-charge`;
const TABLE = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`;
const QUEUE = `arn:aws:sqs:${REGION}:${ACCOUNT}:order-events`;
const ORDER_SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/order-place/order`;
const policy = (...Statement: Record<string, unknown>[]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement,
});
const credentials = issueLocalCredentials({
  roles: [{ roleArn: ORDER_ROLE, sessionName: 'order' }, { roleArn: PAYMENT_ROLE }],
});
const policies = {
  identity: {
    [ORDER_ROLE]: [
      policy(
        { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE },
        { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: QUEUE },
      ),
    ],
  },
  resource: {
    [QUEUE]: policy({
      Effect: 'Allow',
      Principal: { AWS: PAYMENT_ROLE },
      Action: 'sqs:ReceiveMessage',
      Resource: QUEUE,
    }),
  },
};

/** What reached the endpoint behind the front. */
const received: { target: string; body: string; authorization: string }[] = [];
const upstream = createServer(async (request, response) => {
  const body = (await readBody(request))?.toString('utf8') ?? '';
  const target = String(request.headers['x-amz-target'] ?? '');
  received.push({ target, body, authorization: String(request.headers.authorization) });
  const input = JSON.parse(body || '{}') as { MessageBody?: string };
  const output = target.endsWith('SendMessage')
    ? {
        MessageId: 'm-1',
        MD5OfMessageBody: createHash('md5').update(String(input.MessageBody)).digest('hex'),
      }
    : target.endsWith('ReceiveMessage')
      ? { Messages: [] }
      : { Item: { pk: { S: 'o-1' } } };
  response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
  response.end(JSON.stringify(output));
});
const decisions: IamDecisionLogEntry[] = [];
let dynamodb: IamFront;
let sqs: IamFront;
let upstreamEndpoint: string;
/** A front of `kind` before the test's upstream, logging into `decisions`. */
const frontBefore = (kind: 'dynamodb' | 'sqs', extra: Partial<IamFrontProps> = {}) =>
  startIamFront({
    port: 0,
    upstream: upstreamEndpoint,
    kind,
    region: REGION,
    account: ACCOUNT,
    credentials,
    policies,
    onDecision: (entry) => decisions.push(entry),
    ...extra,
  });

beforeAll(async () => {
  upstreamEndpoint = `http://127.0.0.1:${await listen(upstream, 0)}`;
  dynamodb = await frontBefore('dynamodb');
  sqs = await frontBefore('sqs');
});
afterAll(async () => {
  await Promise.all([dynamodb.close(), sqs.close(), closeServers([upstream])]);
});
beforeEach(() => {
  received.length = 0;
  decisions.length = 0;
});

const keysOf = (roleArn: string) => {
  const issued = credentials.forRole(roleArn);
  if (issued === undefined) throw new Error(`No credentials for ${roleArn}`);
  return { accessKeyId: issued.accessKeyId, secretAccessKey: issued.secretAccessKey };
};
const clientConfig = (front: IamFront, keys = keysOf(ORDER_ROLE)) => ({
  endpoint: front.endpoint,
  region: REGION,
  maxAttempts: 1,
  credentials: keys,
});
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => ({ name: 'none', message: 'the call succeeded' }),
    (error: Error) => ({ name: error.name, message: error.message }),
  );

describe('startIamFront before DynamoDB', () => {
  it('forwards an allowed call unchanged and logs who did what', async () => {
    const output = await new DynamoDBClient(clientConfig(dynamodb)).send(
      new GetItemCommand({ TableName: 'orders', Key: { pk: { S: 'o-1' } } }),
    );

    expect(output.Item).toEqual({ pk: { S: 'o-1' } });
    expect(received).toEqual([
      {
        target: 'DynamoDB_20120810.GetItem',
        body: '{"TableName":"orders","Key":{"pk":{"S":"o-1"}}}',
        authorization: expect.stringContaining(keysOf(ORDER_ROLE).accessKeyId),
      },
    ]);
    expect(decisions).toEqual([
      {
        kind: 'dynamodb',
        operation: 'GetItem',
        principal: ORDER_SESSION,
        roleArn: ORDER_ROLE,
        action: 'dynamodb:GetItem',
        resource: TABLE,
        decision: 'Allow',
        reason: 'IdentityPolicy',
      },
    ]);
  });

  it('tells how long it held each call it forwarded, apart from the time the endpoint took', async () => {
    const ENDPOINT_MS = 50;
    const slow = createServer((request, response) => {
      request.resume();
      // An endpoint that takes its time: what the front reports must leave it out.
      setTimeout(() => {
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        response.end('{}');
      }, ENDPOINT_MS);
    });
    const timings: FrontTiming[] = [];
    const front = await frontBefore('dynamodb', {
      upstream: `http://127.0.0.1:${await listen(slow, 0)}`,
      onTiming: (timing) => timings.push(timing),
    });
    try {
      const client = new DynamoDBClient(clientConfig(front));
      await client.send(new GetItemCommand({ TableName: 'orders', Key: { pk: { S: 'o-1' } } }));
      const refused = new DynamoDBClient(clientConfig(front, keysOf(PAYMENT_ROLE)));
      await failure(refused.send(new DeleteTableCommand({ TableName: 'orders' })));

      expect(timings).toHaveLength(1);
      const [timing] = timings;
      expect(timing).toMatchObject({ kind: 'dynamodb', operation: 'GetItem' });
      expect(timing?.upstreamMs).toBeGreaterThanOrEqual(ENDPOINT_MS - 1);
      expect(timing?.addedMs).toBeGreaterThan(0);
      expect((timing?.upstreamMs ?? 0) + (timing?.addedMs ?? 0)).toBeCloseTo(timing?.totalMs ?? 0);
    } finally {
      await Promise.all([front.close(), closeServers([slow])]);
    }
  });

  it('tells of each call it forwarded, with the answer, before the caller has it; of none it refused', async () => {
    const told: { target: string | undefined; body: string; status: number }[] = [];
    const front = await frontBefore('dynamodb', {
      onAnswered: ({ target, body, status }) =>
        told.push({ target, body: Buffer.from(body).toString('utf8'), status }),
    });
    try {
      const client = new DynamoDBClient(clientConfig(front));
      await client.send(new GetItemCommand({ TableName: 'orders', Key: { pk: { S: 'o-1' } } }));
      const toldWhenAnswered = told.length;
      await failure(client.send(new PutItemCommand({ TableName: 'orders', Item: {} })));

      expect(toldWhenAnswered).toBe(1);
      expect(told).toEqual([
        {
          target: 'DynamoDB_20120810.GetItem',
          body: '{"TableName":"orders","Key":{"pk":{"S":"o-1"}}}',
          status: 200,
        },
      ]);
    } finally {
      await front.close();
    }
  });

  it("refuses a call no policy allows with DynamoDB's AccessDeniedException, and forwards nothing", async () => {
    const error = await failure(
      new DynamoDBClient(clientConfig(dynamodb)).send(
        new PutItemCommand({ TableName: 'orders', Item: { pk: { S: 'o-2' } } }),
      ),
    );

    expect(error).toEqual({
      name: 'AccessDeniedException',
      message: `User: ${ORDER_SESSION} is not authorized to perform: dynamodb:PutItem on resource: ${TABLE} because no identity-based policy allows the dynamodb:PutItem action`,
    });
    expect(received).toEqual([]);
    expect(decisions).toMatchObject([
      { action: 'dynamodb:PutItem', decision: 'Deny', reason: 'NoAllow' },
    ]);
  });

  it('refuses a wrong secret and an unknown key with the signature errors AWS gives', async () => {
    const call = (keys: { accessKeyId: string; secretAccessKey: string }) =>
      failure(
        new DynamoDBClient(clientConfig(dynamodb, keys)).send(
          new GetItemCommand({ TableName: 'orders', Key: { pk: { S: 'o-1' } } }),
        ),
      );

    expect(await call({ ...keysOf(ORDER_ROLE), secretAccessKey: 'guessed' })).toMatchObject({
      name: 'InvalidSignatureException',
      message: expect.stringMatching(/^The request signature we calculated does not match/),
    });
    expect(await call({ accessKeyId: 'ASIAUNKNOWN', secretAccessKey: 'x' })).toEqual({
      name: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
    expect(received).toEqual([]);
    expect(decisions.map((entry) => entry.reason)).toEqual([
      'Signature:SIGNATURE_MISMATCH',
      'Signature:UNKNOWN_KEY',
    ]);
  });

  it('refuses an unsigned call with MissingAuthenticationTokenException', async () => {
    const response = await fetch(dynamodb.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.GetItem',
      },
      body: '{"TableName":"orders","Key":{"pk":{"S":"o-1"}}}',
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      __type: 'com.amazon.coral.service#MissingAuthenticationTokenException',
      message: 'Request is missing Authentication Token',
    });
    expect(received).toEqual([]);
  });
});

/** Sends a request signed with the order role's key, with `extra` raw headers added after signing. */
const sendSigned = async (
  front: IamFront,
  input: { headers: Record<string, string>; body: string },
  extra: [string, string][] = [],
): Promise<RawAnswer> => {
  const host = new URL(front.endpoint).host;
  const signed = await new SignatureV4({
    service: 'sqs',
    region: REGION,
    credentials: keysOf(ORDER_ROLE),
    sha256: Hash.bind(null, 'sha256'),
  }).sign({
    method: 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    path: '/',
    headers: { host, ...input.headers },
    body: input.body,
  });
  return rawRequest(front.endpoint, {
    method: 'POST',
    path: '/',
    headers: [...Object.entries(signed.headers), ...extra],
    body: input.body,
  });
};
const QUEUE_URL = `http://127.0.0.1/${ACCOUNT}/order-events`;

describe('startIamFront before SQS', () => {
  it("forwards an allowed JSON-protocol SendMessage, refuses ReceiveMessage with SQS's AccessDenied", async () => {
    const client = new SQSClient(clientConfig(sqs));

    expect(
      (await client.send(new SendMessageCommand({ QueueUrl: QUEUE_URL, MessageBody: 'hello' })))
        .MessageId,
    ).toBe('m-1');
    expect(await failure(client.send(new ReceiveMessageCommand({ QueueUrl: QUEUE_URL })))).toEqual({
      name: 'AccessDenied',
      message: `User: ${ORDER_SESSION} is not authorized to perform: sqs:receivemessage on resource: ${QUEUE} because no identity-based policy allows the sqs:receivemessage action`,
    });
    expect(received.map((request) => request.target)).toEqual(['AmazonSQS.SendMessage']);
  });

  it('allows what only the queue policy grants, as within one account', async () => {
    const client = new SQSClient(clientConfig(sqs, keysOf(PAYMENT_ROLE)));

    expect(
      (await client.send(new ReceiveMessageCommand({ QueueUrl: QUEUE_URL }))).Messages,
    ).toEqual([]);
    expect(decisions).toMatchObject([{ decision: 'Allow', reason: 'ResourcePolicy' }]);
  });

  it('answers a Query-protocol call in XML', async () => {
    const answer = await sendSigned(sqs, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `Action=ReceiveMessage&QueueUrl=${encodeURIComponent(QUEUE_URL)}`,
    });

    expect(answer.status).toBe(403);
    expect(answer.body).toMatch(
      /^<\?xml version="1.0"\?><ErrorResponse xmlns="http:\/\/queue.amazonaws.com\/doc\/2012-11-05\/"><Error><Type>Sender<\/Type><Code>AccessDenied<\/Code><Message>User: .* is not authorized to perform: sqs:receivemessage on resource: arn:aws:sqs:eu-west-1:111122223333:order-events because no identity-based policy allows the sqs:receivemessage action<\/Message>/,
    );
  });

  it('refuses a signed request that arrives with a second Host header', async () => {
    const answer = await sendSigned(
      sqs,
      {
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'AmazonSQS.SendMessage',
        },
        body: JSON.stringify({ QueueUrl: QUEUE_URL, MessageBody: 'x' }),
      },
      [['Host', 'evil.example.com']],
    );

    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({
      __type: 'com.amazonaws.sqs#IncompleteSignature',
      message: "The request has more than one 'host' header.",
    });
    expect(received).toEqual([]);
  });
});

describe('startIamFront for a caller whose functions run in a VPC', () => {
  /** Order's functions run in a VPC with an endpoint for DynamoDB only. */
  const network = {
    vpcEndpointsOf: (roleArn: string) =>
      roleArn === ORDER_ROLE ? new Set(['dynamodb']) : undefined,
  };
  let inVpc: { dynamodb: IamFront; sqs: IamFront };

  beforeAll(async () => {
    inVpc = {
      dynamodb: await frontBefore('dynamodb', { network }),
      sqs: await frontBefore('sqs', { network }),
    };
  });
  afterAll(async () => {
    await Promise.all([inVpc.dynamodb.close(), inVpc.sqs.close()]);
  });

  it('lets it reach a service its VPC has an endpoint for', async () => {
    const output = await new DynamoDBClient(clientConfig(inVpc.dynamodb)).send(
      new GetItemCommand({ TableName: 'orders', Key: { pk: { S: 'o-1' } } }),
    );

    expect(output.Item).toEqual({ pk: { S: 'o-1' } });
  });

  it('refuses, naming the missing endpoint, a call that could not leave the VPC in AWS', async () => {
    const send = new SendMessageCommand({ QueueUrl: QUEUE_URL, MessageBody: 'hello' });

    expect(await failure(new SQSClient(clientConfig(inVpc.sqs)).send(send))).toEqual({
      name: 'VpcEndpointMissing',
      message: `${ORDER_SESSION} runs in a VPC that has no endpoint for sqs (com.amazonaws.${REGION}.sqs): in AWS this request could not leave the VPC, and the call would hang until the function timed out.`,
    });
    expect(received).toEqual([]);
    expect(decisions).toEqual([
      expect.objectContaining({
        principal: ORDER_SESSION,
        decision: 'Deny',
        reason: 'NoVpcEndpoint',
      }),
    ]);
  });

  it('judges callers outside any VPC by their policies alone', async () => {
    const client = new SQSClient(clientConfig(inVpc.sqs, keysOf(PAYMENT_ROLE)));

    expect(
      (await client.send(new ReceiveMessageCommand({ QueueUrl: QUEUE_URL }))).Messages,
    ).toEqual([]);
  });
});
