import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { answerOf } from '../src/http/answer.js';
import { apiHandler, endpoint, forbidden, UndeclaredRoutesError } from '../src/http/apiHandler.js';
import { failure } from '../src/invocationResult.js';
import { Logger } from '../src/Logger.js';

const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
const ROUTES = {
  placeOrder: { method: 'POST', path: '/orders' },
  viewOrder: { method: 'GET', path: '/orders/{orderId}' },
  boom: { method: 'GET', path: '/boom' },
} as const;
const handler = apiHandler(
  [
    endpoint(
      ROUTES.placeOrder,
      z.object({ quantity: z.int().min(1) }),
      async ({ body, user, principal }) => ({
        status: 201,
        body: { quantity: body.quantity, by: user.username, principal },
      }),
    ),
    endpoint(ROUTES.viewOrder, undefined, async ({ params }) =>
      params['orderId'] === 'secret'
        ? forbidden()
        : answerOf(failure('NOT_FOUND', `Order ${params['orderId']} not found`)),
    ),
    endpoint(ROUTES.boom, undefined, async () => {
      throw new Error('database password is hunter2');
    }),
  ],
  { logger, declared: ROUTES },
);

const event = (
  method: string,
  path: string,
  body?: string,
  signedIn = true,
): APIGatewayProxyEvent =>
  ({
    httpMethod: method,
    path,
    body: body ?? null,
    isBase64Encoded: false,
    queryStringParameters: null,
    requestContext: signedIn
      ? { authorizer: { sub: 'u-1', username: 'ada', groups: 'Admins,Operators' } }
      : {},
  }) as unknown as APIGatewayProxyEvent;

const answer = async (e: APIGatewayProxyEvent) => {
  const response = await handler(e);
  return {
    status: response.statusCode,
    body: response.body === '' ? undefined : JSON.parse(response.body),
  };
};

describe('apiHandler', () => {
  it("routes, validates the body and hands the route the authorizer's user as a Cedar principal", async () => {
    expect(await answer(event('POST', '/orders', '{"quantity":2}'))).toEqual({
      status: 201,
      body: {
        quantity: 2,
        by: 'ada',
        principal: {
          uid: { type: 'Shop::User', id: 'u-1' },
          attrs: {},
          parents: [
            { type: 'Shop::UserGroup', id: 'Admins' },
            { type: 'Shop::UserGroup', id: 'Operators' },
          ],
        },
      },
    });
  });

  it('answers 401 without a user, 400 for bad JSON or a body the schema refuses, 413 over 64 KB', async () => {
    expect((await answer(event('POST', '/orders', '{"quantity":2}', false))).status).toBe(401);
    expect(await answer(event('POST', '/orders', '{'))).toMatchObject({
      status: 400,
      body: { error: { code: 'INVALID_JSON' } },
    });
    expect(await answer(event('POST', '/orders', '{"quantity":0}'))).toMatchObject({
      status: 400,
      body: {
        error: {
          code: 'VALIDATION_FAILED',
          issues: [expect.objectContaining({ path: ['quantity'] })],
        },
      },
    });
    expect(
      (
        await answer(
          event('POST', '/orders', JSON.stringify({ quantity: 1, pad: 'x'.repeat(65_536) })),
        )
      ).status,
    ).toBe(413);
  });

  it('answers 404 for an unknown path, 405 for another method, and maps failures and denials', async () => {
    expect((await answer(event('GET', '/nowhere'))).status).toBe(404);
    expect((await handler(event('DELETE', '/orders'))).headers).toMatchObject({ allow: 'POST' });
    expect(await answer(event('GET', '/orders/o-1'))).toEqual({
      status: 404,
      body: { error: { code: 'NOT_FOUND', message: 'Order o-1 not found' } },
    });
    expect(await answer(event('GET', '/orders/secret'))).toEqual({
      status: 403,
      body: { error: { code: 'FORBIDDEN', message: 'You are not allowed to do this' } },
    });
  });

  it('hides what went wrong behind a 500', async () => {
    expect(await answer(event('GET', '/boom'))).toEqual({
      status: 500,
      body: { error: { code: 'INTERNAL_ERROR', message: 'Something went wrong' } },
    });
  });
});

describe('the headers and the Lambda context a route sees', () => {
  const HEADER_ROUTES = {
    echo: { method: 'GET', path: '/echo' },
    keyed: { method: 'POST', path: '/keyed' },
  } as const;
  const echo = apiHandler(
    [
      endpoint(HEADER_ROUTES.echo, undefined, async ({ headers, lambdaContext }) => ({
        status: 200,
        body: { headers, requestId: lambdaContext?.awsRequestId },
      })),
      endpoint(
        HEADER_ROUTES.keyed,
        undefined,
        async ({ headers }) => ({ status: 200, body: headers }),
        {
          headers: z.object({
            'request-key': z
              .string()
              .regex(/^[a-z0-9-]+$/)
              .optional(),
          }),
        },
      ),
    ],
    { logger, declared: HEADER_ROUTES },
  );
  const withHeaders = (
    method: string,
    path: string,
    headers: Record<string, string>,
    multiValueHeaders: Record<string, string[]>,
  ) => ({ ...event(method, path), headers, multiValueHeaders }) as APIGatewayProxyEvent;
  const answerOf = async (e: APIGatewayProxyEvent) => {
    const response = await echo(e, { awsRequestId: 'request-1' } as Context);
    return { status: response.statusCode, body: JSON.parse(response.body) };
  };

  it('hands the route every header by lower-case name, one sent twice as HTTP joins it, and the context', async () => {
    const sent = withHeaders(
      'GET',
      '/echo',
      { 'Request-Key': 'k-2', Accept: 'application/json' },
      { 'Request-Key': ['k-1', 'k-2'], Accept: ['application/json'] },
    );

    expect(await answerOf(sent)).toEqual({
      status: 200,
      body: {
        headers: { 'request-key': 'k-1, k-2', accept: 'application/json' },
        requestId: 'request-1',
      },
    });
  });

  it("parses the headers with the route's schema, and answers 400 with the issues when they do not parse", async () => {
    expect(await answerOf(withHeaders('POST', '/keyed', { 'Request-Key': 'k-1' }, {}))).toEqual({
      status: 200,
      body: { 'request-key': 'k-1' },
    });
    expect(await answerOf(withHeaders('POST', '/keyed', {}, {}))).toEqual({
      status: 200,
      body: {},
    });
    expect(
      await answerOf(withHeaders('POST', '/keyed', {}, { 'request-key': ['k-1', 'k-2'] })),
    ).toMatchObject({
      status: 400,
      body: {
        error: {
          code: 'VALIDATION_FAILED',
          message: 'Invalid headers',
          issues: [expect.objectContaining({ path: ['request-key'] })],
        },
      },
    });
  });
});

describe('apiHandler and its manifest', () => {
  const served = endpoint(ROUTES.boom, undefined, async () => ({ status: 204 }));

  it('refuses a route its manifest does not declare', () => {
    expect(() => apiHandler([served], { logger, declared: {} })).toThrow(UndeclaredRoutesError);
    expect(() => apiHandler([served], { logger, declared: {} })).toThrow(
      'GET /boom is not declared',
    );
  });

  it('refuses to leave a declared route unserved', () => {
    expect(() => apiHandler([served], { logger, declared: ROUTES })).toThrow(
      'POST /orders is not served; GET /orders/{orderId} is not served',
    );
  });
});
