import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiGateway, startApiGateway } from '../../src/apiGateway/index.js';
import type { InvokeOutcome } from '../../src/lambda/index.js';
import { rawRequest, streamedRequest, unfinishedRequest } from '../rawHttp.js';

// The functions behind the API are the test's: an authorizer and an integration that answer
// from a script, recording what API Gateway sent them.
let authorize: (event: { headers: Record<string, string>; methodArn: string }) => InvokeOutcome;
let integrate: (event: unknown) => InvokeOutcome;
const authorizerEvents: unknown[] = [];
const integrationEvents: unknown[] = [];
const errors: unknown[] = [];
let gateway: ApiGateway;
let url: string;

const allow = (resource = '*'): InvokeOutcome => ({
  kind: 'result',
  payload: {
    principalId: 'user-1',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: resource }],
    },
    context: { sub: 'user-1', groups: 'Admins' },
  },
});

beforeAll(async () => {
  gateway = await startApiGateway({
    region: 'eu-west-1',
    account: '000000000000',
    apis: [
      {
        name: 'shop-test',
        port: 0,
        authorize: async (event) => {
          authorizerEvents.push(event);
          return authorize(event as never);
        },
        invoke: async (event) => {
          integrationEvents.push(event);
          return integrate(event);
        },
      },
    ],
    onError: (error) => errors.push(error),
  });
  url = gateway.apis[0]?.url ?? '';
});

afterAll(() => gateway.close());

const send = async (path: string, init: RequestInit = {}) => {
  const response = await fetch(`${url}${path}`, init);
  return { status: response.status, body: await response.text() };
};
const withToken = { headers: { authorization: 'Bearer token-1' } };

describe('the local API Gateway', () => {
  it('answers 401 without calling the authorizer when the identity source is missing', async () => {
    authorizerEvents.length = 0;

    expect(await send('/orders')).toEqual({ status: 401, body: '{"message":"Unauthorized"}' });
    expect(authorizerEvents).toEqual([]);
  });

  it("passes the authorizer's context to the integration as a proxy event", async () => {
    authorize = () => allow();
    integrate = () => ({
      kind: 'result',
      payload: { statusCode: 201, headers: { 'x-a': 'b' }, body: '{"ok":true}' },
    });
    integrationEvents.length = 0;

    const response = await send('/orders?limit=5', {
      ...withToken,
      method: 'POST',
      body: '{"x":1}',
    });

    expect(response).toEqual({ status: 201, body: '{"ok":true}' });
    expect(authorizerEvents.at(-1)).toMatchObject({
      type: 'REQUEST',
      methodArn: expect.stringMatching(
        /^arn:aws:execute-api:eu-west-1:000000000000:[a-z0-9]+\/live\/POST\/orders$/,
      ),
      headers: expect.objectContaining({ authorization: 'Bearer token-1' }),
    });
    expect(integrationEvents).toEqual([
      expect.objectContaining({
        resource: '/{proxy+}',
        path: '/orders',
        httpMethod: 'POST',
        queryStringParameters: { limit: '5' },
        pathParameters: { proxy: 'orders' },
        body: '{"x":1}',
        requestContext: expect.objectContaining({
          authorizer: { sub: 'user-1', groups: 'Admins', principalId: 'user-1' },
          stage: 'live',
        }),
      }),
    ]);
  });

  it('answers 401, 500, 403 (explicit and implicit deny) as API Gateway does', async () => {
    authorize = () => ({ kind: 'error', errorType: 'Error', errorMessage: 'Unauthorized' });
    expect(await send('/orders', withToken)).toEqual({
      status: 401,
      body: '{"message":"Unauthorized"}',
    });

    authorize = () => ({ kind: 'error', errorType: 'TypeError', errorMessage: 'boom' });
    expect(await send('/orders', withToken)).toEqual({ status: 500, body: '{"message":null}' });

    authorize = () => ({
      kind: 'result',
      payload: {
        principalId: 'u',
        policyDocument: {
          Statement: [{ Effect: 'Deny', Action: 'execute-api:Invoke', Resource: '*' }],
        },
      },
    });
    expect(await send('/orders', withToken)).toEqual({
      status: 403,
      body: '{"Message":"User is not authorized to access this resource with an explicit deny"}',
    });

    authorize = (event) => allow(event.methodArn.replace(/\/orders$/, '/products'));
    expect(await send('/orders', withToken)).toEqual({
      status: 403,
      body: '{"Message":"User is not authorized to access this resource"}',
    });
  });

  it('answers 502 when the integration fails or answers something that is not a proxy response', async () => {
    authorize = () => allow();
    integrate = () => ({ kind: 'error', errorType: 'Error', errorMessage: 'boom' });
    expect(await send('/orders', withToken)).toEqual({
      status: 502,
      body: '{"message":"Internal server error"}',
    });

    integrate = () => ({ kind: 'result', payload: 'hello' });
    expect((await send('/orders', withToken)).status).toBe(502);

    integrate = () => ({
      kind: 'error',
      errorType: 'Sandbox.Timedout',
      errorMessage: 'RequestId: r-1 Error: Task timed out after 30.00 seconds',
    });
    expect((await send('/orders', withToken)).status).toBe(502);
  });

  it('answers 500 when Lambda refuses to run the integration: throttled, or no such function', async () => {
    authorize = () => allow();
    integrate = () => ({ kind: 'throttled', reason: 'ConcurrentInvocationLimitExceeded' });
    expect(await send('/orders', withToken)).toEqual({
      status: 500,
      body: '{"message":"Internal server error"}',
    });

    integrate = () => ({ kind: 'unknown-function' });
    expect((await send('/orders', withToken)).status).toBe(500);
  });

  it('answers 504 when the integration does not answer within the integration timeout', async () => {
    const never = new Promise<InvokeOutcome>(() => undefined);
    const slow = await startApiGateway({
      region: 'eu-west-1',
      account: '000000000000',
      integrationTimeoutMs: 50,
      apis: [{ name: 'shop-slow', port: 0, authorize: async () => allow(), invoke: () => never }],
    });
    try {
      const response = await fetch(`${slow.apis[0]?.url}/orders`, withToken);

      expect({ status: response.status, body: await response.text() }).toEqual({
        status: 504,
        body: '{"message":"Endpoint request timed out"}',
      });
    } finally {
      await slow.close();
    }
  });
});

const MB = 1024 * 1024;
const answered = (status: number) => (): InvokeOutcome => ({
  kind: 'result',
  payload: { statusCode: status, body: '' },
});
const token: [string, string] = ['authorization', 'Bearer token-1'];
type ProxyEvent = {
  path: string;
  pathParameters: Record<string, string>;
  headers: Record<string, string>;
  queryStringParameters: Record<string, string>;
  multiValueQueryStringParameters: Record<string, string[]>;
  body: string | null;
};
const lastIntegrationEvent = () => integrationEvents.at(-1) as ProxyEvent;

describe('the local API Gateway, given hostile input', () => {
  it('answers 403 Missing Authentication Token, before any authorizer, for the root, a method ANY does not take and a target that is not a path', async () => {
    authorizerEvents.length = 0;

    for (const [method, path] of [
      ['GET', '/'],
      ['POST', '/?__proto__=1'],
      ['PROPFIND', '/orders'],
      ['OPTIONS', '*'],
    ] as const) {
      expect(await rawRequest(url, { method, path, headers: [token] })).toMatchObject({
        status: 403,
        body: '{"message":"Missing Authentication Token"}',
      });
    }
    expect(authorizerEvents).toEqual([]);
  });

  it.each(['//x', '//['])('takes %s as a path, never as a host', async (path) => {
    authorize = () => allow();
    integrate = answered(404);

    expect((await rawRequest(url, { method: 'GET', path, headers: [token] })).status).toBe(404);
    expect(lastIntegrationEvent()).toMatchObject({
      path,
      pathParameters: { proxy: path.slice(1) },
    });
  });

  it('keeps __proto__ and constructor as names of query-string parameters and headers', async () => {
    authorize = () => allow();
    integrate = answered(200);

    const response = await rawRequest(url, {
      method: 'GET',
      path: '/orders?__proto__=a&constructor=b&__proto__=c',
      headers: [token, ['__proto__', 'h'], ['constructor', 'k']],
    });

    expect(response.status).toBe(200);
    const event = lastIntegrationEvent();
    expect(Object.entries(event.multiValueQueryStringParameters)).toEqual([
      ['__proto__', ['a', 'c']],
      ['constructor', ['b']],
    ]);
    expect(Object.entries(event.queryStringParameters)).toEqual([
      ['__proto__', 'c'],
      ['constructor', 'b'],
    ]);
    expect(Object.entries(event.headers)).toEqual(
      expect.arrayContaining([
        ['__proto__', 'h'],
        ['constructor', 'k'],
      ]),
    );
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('answers 502 for an integration answer HTTP cannot carry', async () => {
    authorize = () => allow();
    for (const payload of [
      { statusCode: 1000, body: '' },
      { statusCode: 200, headers: { 'x-bad': 'a\nb' }, body: '' },
      { statusCode: 200, body: { not: 'a string' } },
    ]) {
      integrate = () => ({ kind: 'result', payload });
      expect(await send('/orders', withToken)).toEqual({
        status: 502,
        body: '{"message":"Internal server error"}',
      });
    }
  });

  it('answers 500 with nothing about the failure when the gateway itself fails, and hands the error on', async () => {
    errors.length = 0;
    const failure = new TypeError("Cannot read properties of undefined (reading 'secret')");
    authorize = () => {
      throw failure;
    };

    expect(await send('/orders', withToken)).toEqual({
      status: 500,
      body: '{"message":"Internal server error"}',
    });
    expect(errors).toEqual([failure]);
  });
});

describe('the local API Gateway, given a large body', () => {
  it('refuses a content-length over 10 MB at once, without reading the body or asking the authorizer', async () => {
    authorizerEvents.length = 0;

    const answer = await unfinishedRequest(
      url,
      `POST /orders HTTP/1.1\nhost: x\n${token.join(': ')}\ncontent-length: ${10 * MB + 1}\n\n`,
    );

    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toContain('{"message":"Request Too Long"}');
    expect(authorizerEvents).toEqual([]);
  });

  it('stops reading a streamed body as soon as it passes 10 MB, and answers 413', async () => {
    authorize = () => allow();
    integrationEvents.length = 0;

    const response = await streamedRequest(
      `${url}/orders`,
      { method: 'POST', headers: Object.fromEntries([token]) },
      100 * MB,
    );

    expect(response).toMatchObject({ status: 413, body: '{"message":"Request Too Long"}' });
    expect(response.produced).toBeLessThan(100 * MB);
    expect(integrationEvents).toEqual([]);
  });

  it('passes a body of exactly 10 MB on', async () => {
    authorize = () => allow();
    integrate = answered(200);

    const response = await send('/orders', {
      ...withToken,
      method: 'POST',
      body: 'x'.repeat(10 * MB),
    });

    expect(response.status).toBe(200);
    expect(lastIntegrationEvent().body).toHaveLength(10 * MB);
  });

  it.each([
    ['no Authorization header', '', 401],
    ['a token the authorizer refuses', `${token.join(': ')}\n`, 401],
    ['a token whose policy denies', `${token.join(': ')}\n`, 403],
  ])('answers a request with %s without reading its body', async (_, authorization, status) => {
    authorize =
      status === 403
        ? () => allow('arn:aws:execute-api:eu-west-1:000000000000:none/live/GET/nothing')
        : () => ({ kind: 'error', errorType: 'Error', errorMessage: 'Unauthorized' });
    integrationEvents.length = 0;

    const answer = await unfinishedRequest(
      url,
      `POST /orders HTTP/1.1\nhost: x\n${authorization}transfer-encoding: chunked\n\n`,
      [Buffer.from('5\r\nhello\r\n')],
    );

    expect(answer).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(integrationEvents).toEqual([]);
  });
});
