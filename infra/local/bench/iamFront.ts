/**
 * Benchmark: what the IAM enforcement front adds to a DynamoDB call (body read, hardened SigV4,
 * derivation, the cached IAM decision, forwarding): 1,000 GetItem calls through the front and
 * 1,000 straight to the same trivial upstream, interleaved so that both see the same machine
 * load, compared at p50 and p99; the time the front held each call apart from the upstream's, as
 * it measures it (`onTiming`: no difference of two noisy tails); and the first (uncached)
 * decision on its own.
 */
import { createServer } from 'node:http';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { closeServers, listen } from '../src/http/listen.js';
import { createRequestAuthorizer, issueLocalCredentials, startIamFront } from '../src/iam/index.js';
import { percentile } from './percentile.js';

const REQUESTS = 1000;
const TARGET_ADDED_P99_MS = 2;
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
/** What the front itself held each call, apart from the upstream's time, as it measures it. */
const held: number[] = [];
let measuring = false;
const front = await startIamFront({
  port: 0,
  upstream: upstreamUrl,
  kind: 'dynamodb',
  region: REGION,
  account: ACCOUNT,
  credentials,
  policies,
  onTiming: ({ addedMs }) => {
    if (measuring) held.push(addedMs);
  },
});

const clientOf = (endpoint: string) => {
  const client = new DynamoDBClient({ endpoint, region: REGION, credentials: keys });
  return () => client.send(new GetItemCommand({ TableName: 'orders', Key: { pk: { S: 'o-1' } } }));
};
const timed = async (call: () => Promise<unknown>): Promise<number> => {
  const began = performance.now();
  await call();
  return performance.now() - began;
};

const straight = clientOf(upstreamUrl);
const fronted = clientOf(front.endpoint);
for (let i = 0; i < 100; i++) await Promise.all([straight(), fronted()]); // warm up
const direct: number[] = [];
const through: number[] = [];
measuring = true;
for (let i = 0; i < REQUESTS; i++) {
  direct.push(await timed(straight));
  through.push(await timed(fronted));
}
measuring = false;
const authorizer = createRequestAuthorizer(policies, { region: REGION, account: ACCOUNT });
const began = performance.now();
await authorizer.authorize(keys, { action: 'dynamodb:GetItem', resource: TABLE, context: {} });
const uncached = performance.now() - began;

const ms = (value: number) => `${value.toFixed(3)} ms`;
const row = (label: string, at: (p: number) => number, note = '') =>
  console.log(`  ${label.padEnd(34)} p50 ${ms(at(50))}  p99 ${ms(at(99))}${note}`);
console.log(
  `IAM enforcement front, ${REQUESTS} GetItem calls through it and ${REQUESTS} straight, interleaved:`,
);
row('straight to the upstream', (p) => percentile(direct, p));
row('through the IAM front', (p) => percentile(through, p));
row(
  'added by the front (per call)',
  (p) => percentile(through, p) - percentile(direct, p),
  `  (target: p99 at most ${TARGET_ADDED_P99_MS} ms)`,
);
row(
  'held by the front (its own clock)',
  (p) => percentile(held, p),
  `  (its own time: body, SigV4, judgement, forwarding; the upstream's excluded)`,
);
console.log(`  ${'first (uncached) IAM decision'.padEnd(34)} ${ms(uncached)}`);
await front.close();
await closeServers([upstream]);
