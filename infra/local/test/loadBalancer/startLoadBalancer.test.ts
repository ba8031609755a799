import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvokeOutcome } from '../../src/lambda/startLambdaEndpoint.js';
import { type LoadBalancer, startLoadBalancer } from '../../src/loadBalancer/index.js';

const errors: unknown[] = [];
/** What each target group's function received, and what it answers next. */
const received: { targetGroup: string; event: Record<string, unknown> }[] = [];
let answer: (event: unknown) => InvokeOutcome = () => ({ kind: 'result', payload: {} });
let alb: LoadBalancer;

const target = (targetGroup: string) => async (event: unknown) => {
  received.push({ targetGroup, event: event as Record<string, unknown> });
  return answer(event);
};

beforeAll(async () => {
  alb = await startLoadBalancer({
    region: 'eu-west-1',
    account: '000000000000',
    name: 'shop-staff',
    port: 0,
    rules: [
      {
        priority: 10,
        pathPattern: '/order/*',
        targetGroup: 'order-staff',
        invoke: target('order-staff'),
      },
      {
        priority: 20,
        pathPattern: '/inventory/*',
        targetGroup: 'inventory-staff',
        invoke: target('inventory-staff'),
      },
    ],
    fixedResponse: {
      status: 404,
      contentType: 'application/json',
      body: JSON.stringify({ code: 'NOT_FOUND', message: 'No such staff route' }),
    },
    onError: (error) => errors.push(error),
  });
});

afterAll(() => alb.close());

const echo = (): InvokeOutcome => ({
  kind: 'result',
  payload: {
    statusCode: 201,
    statusDescription: '201 Created',
    headers: { 'content-type': 'application/json', 'x-served-by': 'target' },
    body: '{"ok":true}',
    isBase64Encoded: false,
  },
});

describe('the local staff load balancer', () => {
  it('invokes the rule’s function with an ALB event: lower-case headers, the query string still encoded, the prefix kept', async () => {
    answer = echo;
    received.length = 0;

    const response = await fetch(`${alb.url}/order/admin/orders?limit=5&name=a%20b&name=c+d`, {
      headers: { Authorization: 'Bearer t', 'X-Custom': 'one' },
    });

    expect(response.status).toBe(201);
    expect(response.statusText).toBe('Created');
    expect(response.headers.get('x-served-by')).toBe('target');
    expect(await response.json()).toEqual({ ok: true });
    expect(received).toHaveLength(1);
    const [{ targetGroup, event } = { targetGroup: '', event: {} }] = received;
    expect(targetGroup).toBe('order-staff');
    expect(event).toMatchObject({
      requestContext: {
        elb: {
          targetGroupArn: expect.stringMatching(
            /^arn:aws:elasticloadbalancing:eu-west-1:000000000000:targetgroup\/order-staff\/[0-9a-f]{16}$/,
          ),
        },
      },
      httpMethod: 'GET',
      path: '/order/admin/orders',
      queryStringParameters: { limit: '5', name: 'c+d' },
      body: '',
      isBase64Encoded: false,
    });
    expect(event['headers']).toMatchObject({
      authorization: 'Bearer t',
      'x-custom': 'one',
      'x-forwarded-proto': 'http',
      'x-forwarded-for': expect.any(String),
      'x-amzn-trace-id': expect.stringMatching(/^Root=1-/),
    });
    expect(event).not.toHaveProperty('multiValueHeaders');
  });

  it('passes a JSON body as text and a binary one base64-encoded', async () => {
    answer = echo;
    received.length = 0;

    await fetch(`${alb.url}/inventory/admin/products/MUG-001`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"available":3}',
    });
    await fetch(`${alb.url}/inventory/admin/upload`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array([0, 255, 1]),
    });

    expect(received.map(({ event }) => [event['body'], event['isBase64Encoded']])).toEqual([
      ['{"available":3}', false],
      [Buffer.from([0, 255, 1]).toString('base64'), true],
    ]);
  });

  it('answers the fixed response to a path no rule matches, without invoking anything', async () => {
    received.length = 0;

    for (const path of ['/', '/payment/admin/dead-letters', '/orders/admin', '/console']) {
      const response = await fetch(`${alb.url}${path}`);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ code: 'NOT_FOUND', message: 'No such staff route' });
    }
    expect(received).toEqual([]);
  });

  it.each<[string, InvokeOutcome]>([
    ['the function fails', { kind: 'error', errorType: 'Error', errorMessage: 'boom' }],
    ['it is throttled', { kind: 'throttled', reason: 'ConcurrentInvocationLimitExceeded' }],
    ['it answers no status code', { kind: 'result', payload: { body: 'no status' } }],
    [
      'it answers a body that is not a string',
      { kind: 'result', payload: { statusCode: 200, body: {} } },
    ],
  ])('answers 502 when %s', async (_, outcome) => {
    answer = () => outcome;

    const response = await fetch(`${alb.url}/order/admin/orders`);

    expect(response.status).toBe(502);
  });

  it('answers 413 to a body over 1 MB, without invoking the function', async () => {
    received.length = 0;

    const response = await fetch(`${alb.url}/order/admin/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(1024 * 1024 + 1),
    });

    expect(response.status).toBe(413);
    expect(received).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('answers a base64 body of the function decoded', async () => {
    answer = () => ({
      kind: 'result',
      payload: {
        statusCode: 200,
        headers: { 'content-type': 'application/octet-stream' },
        body: Buffer.from([1, 2, 3]).toString('base64'),
        isBase64Encoded: true,
      },
    });

    const response = await fetch(`${alb.url}/order/file`);

    expect(Buffer.from(await response.arrayBuffer())).toEqual(Buffer.from([1, 2, 3]));
  });
});
