import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiGateway, startApiGateway } from '../../src/apiGateway/index.js';
import { hostileRequests } from '../hostileRequests.js';
import { rawRequest } from '../rawHttp.js';

const SEED = 20260101;
const errors: unknown[] = [];
let gateway: ApiGateway;

beforeAll(async () => {
  gateway = await startApiGateway({
    region: 'eu-west-1',
    account: '000000000000',
    apis: [
      {
        name: 'shop-fuzz',
        port: 0,
        // A trivial authorizer and integration: every request with a token reaches the echo.
        authorize: async () => ({
          kind: 'result',
          payload: {
            principalId: 'user-1',
            policyDocument: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }],
            },
            context: { sub: 'user-1' },
          },
        }),
        invoke: async (event) => ({
          kind: 'result',
          payload: { statusCode: 200, body: JSON.stringify(event) },
        }),
      },
    ],
    onError: (error) => errors.push(error),
  });
});

afterAll(() => gateway.close());

describe('the local API Gateway, given a few hundred hostile requests', () => {
  it(`answers each with less than 500 (seed ${SEED})`, async () => {
    const url = gateway.apis[0]?.url ?? '';
    const failures: string[] = [];
    let reached = 0;

    for (const [index, request] of hostileRequests(SEED, 300).entries()) {
      const withToken = {
        ...request,
        headers: [...(request.headers ?? []), ['authorization', 'Bearer t'] as const],
      };
      const response = await rawRequest(url, index % 3 === 0 ? request : withToken);
      if (response.status >= 500) failures.push(`${response.status} ${JSON.stringify(request)}`);
      if (response.status === 200) reached += 1;
    }

    expect(failures).toEqual([]);
    expect(errors).toEqual([]);
    expect(reached).toBeGreaterThan(100);
  }, 60_000);
});
