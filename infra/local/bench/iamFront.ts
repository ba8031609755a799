/**
 * Benchmark: what the IAM enforcement front adds to a DynamoDB call (body read, hardened SigV4,
 * derivation, the cached IAM decision, forwarding), measured as the difference between 1,000
 * GetItem calls through the front and 1,000 straight to the same trivial upstream; and the
 * first (uncached) decision on its own.
 */
import { createServer } from 'node:http';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { closeServers, listen } from '../src/http/listen.js';
import { createRequestAuthorizer, issueLocalCredentials, startIamFront } from '../src/iam/index.js';

const REQUESTS = 1000;
const REGION = 'eu-west-1';
const ACCOUNT = '000000000000';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/shop/order/order-local`;
const TABLE = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`;
const policies = {
  identity: {
    [ROLE]: [
      {
        Version: '2012-10-17' as const,
        Statement: [{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE }],
      },
    ],
  },
  resource: {},
};
const credentials = issueLocalCredentials({ roles: [{ roleArn: ROLE }] });
const keys = credentials.forRole(ROLE);
if (keys === undefined) throw new Error('no credentials');

const upstream = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
    response.end('{"Item":{"pk":{"S":"o-1"}}}');
  });
});
const upstreamUrl = `http://127.0.0.1:${await listen(upstream, 0)}`;
const front = await startIamFront({
  port: 0,
  upstream: upstreamUrl,
  kind: 'dynamodb',
  region: REGION,
  account: ACCOUNT,
  credentials,
  policies,
});

const meanOf = async (endpoint: string): Promise<number> => {
  const client = new DynamoDBClient({ endpoint, region: REGION, credentials: keys });
  const call = () =>
    client.send(new GetItemCommand({ TableName: 'orders', Key: { pk: { S: 'o-1' } } }));
  for (let i = 0; i < 100; i++) await call(); // warm up
  const began = performance.now();
  for (let i = 0; i < REQUESTS; i++) await call();
  return (performance.now() - began) / REQUESTS;
};

const direct = await meanOf(upstreamUrl);
const through = await meanOf(front.endpoint);
const authorizer = createRequestAuthorizer(policies, { region: REGION, account: ACCOUNT });
const began = performance.now();
await authorizer.authorize(keys, { action: 'dynamodb:GetItem', resource: TABLE, context: {} });
const uncached = performance.now() - began;

console.log(`GetItem straight to the upstream: ${direct.toFixed(3)} ms per call`);
console.log(`GetItem through the IAM front:    ${through.toFixed(3)} ms per call`);
console.log(`added by the front:               ${(through - direct).toFixed(3)} ms per call`);
console.log(`first (uncached) IAM decision:    ${uncached.toFixed(3)} ms`);
await front.close();
await closeServers([upstream]);
