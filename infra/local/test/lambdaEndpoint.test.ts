import { InvokeCommand, type InvokeCommandOutput, LambdaClient } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AsyncInvocationError,
  type InvokeOutcome,
  type StartLambdaEndpointProps,
  startLambdaEndpoint,
} from '../src/lambda/index.js';
import { account, credentials, deferred, region } from './support.js';

type LocalFunction = (payload: unknown) => InvokeOutcome | Promise<InvokeOutcome>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ARN_PREFIX = `arn:aws:lambda:${region}:${account}:function:`;

const running: { close(): Promise<void> }[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((closable) => closable.close()));
});

/** An endpoint hosting `functions`, a client pointed at it, and the names each invocation reached. */
const start = async (
  functions: Readonly<Record<string, LocalFunction>>,
  options: Pick<StartLambdaEndpointProps, 'onError' | 'functionExists'> = {},
) => {
  const invoked: string[] = [];
  const endpoint = await startLambdaEndpoint({
    port: 0,
    region,
    account,
    ...options,
    invoke: async (name, payload) => {
      invoked.push(name);
      const run = functions[name];
      return run ? run(payload) : { kind: 'unknown-function' };
    },
  });
  const lambda = new LambdaClient({ region, credentials, endpoint: endpoint.endpoint });
  running.push(endpoint, { close: async () => lambda.destroy() });
  return { endpoint: endpoint.endpoint, lambda, invoked };
};

const echo: LocalFunction = (payload) => ({ kind: 'result', payload: { echoed: payload } });

const payloadOf = (output: InvokeCommandOutput): unknown =>
  JSON.parse(Buffer.from(output.Payload ?? new Uint8Array()).toString());

describe('Lambda Invoke endpoint', () => {
  it('returns the function result as the payload, with the executed version and a request id', async () => {
    const { lambda } = await start({ echo });

    const output = await lambda.send(
      new InvokeCommand({ FunctionName: 'echo', Payload: JSON.stringify({ orderId: 'o-1' }) }),
    );

    expect(output.StatusCode).toBe(200);
    expect(output.FunctionError).toBeUndefined();
    expect(output.ExecutedVersion).toBe('$LATEST');
    expect(output.$metadata.requestId).toMatch(UUID);
    expect(payloadOf(output)).toEqual({ echoed: { orderId: 'o-1' } });
  });

  it('answers null for a function that returns nothing and passes {} for an empty payload', async () => {
    const received: unknown[] = [];
    const { lambda } = await start({
      quiet: (payload) => {
        received.push(payload);
        return { kind: 'result', payload: undefined };
      },
    });

    const output = await lambda.send(new InvokeCommand({ FunctionName: 'quiet' }));

    expect(payloadOf(output)).toBeNull();
    expect(received).toEqual([{}]);
  });

  it.each([
    ['a name', { FunctionName: 'echo' }],
    ['a name with a qualifier', { FunctionName: 'echo:live' }],
    ['a full ARN', { FunctionName: `${ARN_PREFIX}echo` }],
    ['a full ARN with a version', { FunctionName: `${ARN_PREFIX}echo:3` }],
    ['a partial ARN', { FunctionName: `${account}:function:echo` }],
    ['a Qualifier parameter', { FunctionName: 'echo', Qualifier: '$LATEST' }],
    [
      'a qualified ARN and the same Qualifier',
      { FunctionName: `${ARN_PREFIX}echo:live`, Qualifier: 'live' },
    ],
  ])('reaches the function by %s', async (_form, input) => {
    const { lambda, invoked } = await start({ echo });

    const output = await lambda.send(new InvokeCommand({ ...input, Payload: '"hi"' }));

    expect(output.StatusCode).toBe(200);
    expect(output.ExecutedVersion).toBe('$LATEST');
    expect(invoked).toEqual(['echo']);
  });

  it('rejects a Qualifier that contradicts the one in the ARN', async () => {
    const { lambda, invoked } = await start({ echo });

    await expect(
      lambda.send(new InvokeCommand({ FunctionName: `${ARN_PREFIX}echo:live`, Qualifier: 'blue' })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
    expect(invoked).toEqual([]);
  });

  it('reports a function error as FunctionError Unhandled with the error document', async () => {
    const { lambda } = await start({
      failing: () => ({
        kind: 'error',
        errorType: 'OutOfStockError',
        errorMessage: 'sku-1 is out of stock',
        trace: ['OutOfStockError: sku-1 is out of stock', '    at reserve (reserve.js:1:1)'],
      }),
    });

    const output = await lambda.send(new InvokeCommand({ FunctionName: 'failing', Payload: '{}' }));

    expect(output.StatusCode).toBe(200);
    expect(output.FunctionError).toBe('Unhandled');
    expect(payloadOf(output)).toEqual({
      errorType: 'OutOfStockError',
      errorMessage: 'sku-1 is out of stock',
      trace: ['OutOfStockError: sku-1 is out of stock', '    at reserve (reserve.js:1:1)'],
    });
  });

  it('throws ResourceNotFoundException naming the function ARN for an unknown function', async () => {
    const { lambda } = await start({ echo });

    await expect(
      lambda.send(new InvokeCommand({ FunctionName: 'missing', Payload: '{}' })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: `Function not found: ${ARN_PREFIX}missing`,
      Type: 'User',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('throws TooManyRequestsException with its Reason for a throttled invocation', async () => {
    const { lambda } = await start({
      busy: () => ({
        kind: 'throttled',
        reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      }),
    });

    await expect(
      lambda.send(new InvokeCommand({ FunctionName: 'busy', Payload: '{}' })),
    ).rejects.toMatchObject({
      name: 'TooManyRequestsException',
      message: 'Rate Exceeded.',
      Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      Type: 'User',
      $metadata: { httpStatusCode: 429 },
    });
  });

  it('answers 202 to an Event invocation and runs the function in the background', async () => {
    const ran = deferred<unknown>();
    const { lambda } = await start({
      notify: (payload) => {
        ran.resolve(payload);
        return { kind: 'result', payload: 'ignored' };
      },
    });

    const output = await lambda.send(
      new InvokeCommand({ FunctionName: 'notify', InvocationType: 'Event', Payload: '{"n":1}' }),
    );

    expect(output.StatusCode).toBe(202);
    expect(output.Payload?.length ?? 0).toBe(0);
    await expect(ran.promise).resolves.toEqual({ n: 1 });
  });

  it('hands a failed Event invocation to onError', async () => {
    const failed = deferred<unknown>();
    const { lambda } = await start(
      { failing: () => ({ kind: 'error', errorType: 'Boom', errorMessage: 'it broke' }) },
      { onError: failed.resolve },
    );

    const output = await lambda.send(
      new InvokeCommand({ FunctionName: 'failing', InvocationType: 'Event' }),
    );

    expect(output.StatusCode).toBe(202);
    const error = await failed.promise;
    expect(error).toBeInstanceOf(AsyncInvocationError);
    expect(error).toMatchObject({
      functionName: 'failing',
      errorType: 'Boom',
      errorMessage: 'it broke',
    });
  });

  it('answers 204 to a DryRun without running the function', async () => {
    const { lambda, invoked } = await start({ echo });

    const output = await lambda.send(
      new InvokeCommand({ FunctionName: 'echo', InvocationType: 'DryRun' }),
    );

    expect(output.StatusCode).toBe(204);
    expect(invoked).toEqual([]);
  });

  it('checks functionExists before an Event or a DryRun', async () => {
    const { lambda, invoked } = await start(
      { echo },
      { functionExists: (name) => name === 'echo' },
    );

    for (const InvocationType of ['Event', 'DryRun'] as const) {
      await expect(
        lambda.send(new InvokeCommand({ FunctionName: 'missing', InvocationType })),
      ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    }
    expect(invoked).toEqual([]);
  });

  it('throws RequestTooLargeException for a payload over 6 MB', async () => {
    const { lambda, invoked } = await start({ echo });

    await expect(
      lambda.send(
        new InvokeCommand({
          FunctionName: 'echo',
          Payload: JSON.stringify('x'.repeat(6 * 1024 * 1024)),
        }),
      ),
    ).rejects.toMatchObject({
      name: 'RequestTooLargeException',
      $metadata: { httpStatusCode: 413 },
    });
    expect(invoked).toEqual([]);
  });

  describe('over raw HTTP', () => {
    const post = (
      endpoint: string,
      path: string,
      body: string,
      headers: Record<string, string> = {},
    ) => fetch(`${endpoint}${path}`, { method: 'POST', body, headers });

    it('answers 400 InvalidRequestContentException to a payload that is not JSON', async () => {
      const { endpoint, invoked } = await start({ echo });

      const response = await post(endpoint, '/2015-03-31/functions/echo/invocations', '{"oops"');

      expect(response.status).toBe(400);
      expect(response.headers.get('x-amzn-errortype')).toBe('InvalidRequestContentException');
      expect(response.headers.get('x-amzn-requestid')).toMatch(UUID);
      expect(await response.json()).toMatchObject({
        Type: 'User',
        message: expect.stringContaining('Could not parse request body into json'),
      });
      expect(invoked).toEqual([]);
    });

    it('decodes a URL-encoded ARN in the path', async () => {
      const { endpoint, invoked } = await start({ echo });

      const response = await post(
        endpoint,
        `/2015-03-31/functions/${encodeURIComponent(`${ARN_PREFIX}echo`)}/invocations`,
        '1',
      );

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ echoed: 1 });
      expect(invoked).toEqual(['echo']);
    });

    it('answers 400 InvalidParameterValueException to an unknown invocation type', async () => {
      const { endpoint } = await start({ echo });

      const response = await post(endpoint, '/2015-03-31/functions/echo/invocations', '{}', {
        'X-Amz-Invocation-Type': 'Later',
      });

      expect(response.status).toBe(400);
      expect(response.headers.get('x-amzn-errortype')).toBe('InvalidParameterValueException');
    });

    it('answers 404 UnknownOperationException to any other route', async () => {
      const { endpoint } = await start({ echo });

      const response = await post(endpoint, '/2015-03-31/functions', '{}');

      expect(response.status).toBe(404);
      expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
      expect(response.headers.get('x-amzn-requestid')).toMatch(UUID);
    });
  });
});
