import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiGateway, startApiGateway } from '../../src/apiGateway/index.js';
import type { InvokeOutcome } from '../../src/lambda/index.js';

// The functions behind the API are the test's: an authorizer and an integration that answer
// from a script, recording what API Gateway sent them.
let authorize: (event: { headers: Record<string, string>; methodArn: string }) => InvokeOutcome;
let integrate: (event: unknown) => InvokeOutcome;
const authorizerEvents: unknown[] = [];
const integrationEvents: unknown[] = [];
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
  });
});
