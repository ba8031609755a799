import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ApiAnswer, problem } from '../src/http/answer.js';
import {
  type IdempotentRequest,
  IdempotentRequests,
  idempotencyTableConfig,
} from '../src/http/IdempotentRequests.js';
import { IDEMPOTENCY_TABLE } from '../src/tables.js';
import { InMemoryTable } from './fakes.js';

const NOW = new Date('2026-01-01T00:00:00Z');
const DAY = 24 * 3600;

/** A Lambda context whose deadline is `remainingMs` from now. */
const lambdaContext = (remainingMs = 30_000): Context => {
  const deadline = Date.now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'order-api',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:order-api',
    memoryLimitInMB: '256',
    awsRequestId: 'request-1',
    logGroupName: '/aws/lambda/order-api',
    logStreamName: 'stream-1',
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
};

const placement = { lines: [{ sku: 'MUG-001', quantity: 1 }], paymentToken: 'tok_success' };
const request = (change: Partial<IdempotentRequest> = {}): IdempotentRequest => ({
  owner: 'c-1',
  key: 'key-1',
  payload: placement,
  lambdaContext: lambdaContext(),
  ...change,
});

/** A promise the test settles itself. */
const deferred = <T>() => {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
};

/** A run that has started (its key is claimed) and answers when the test says. */
const runningUntilAnswered = () => {
  const started = deferred<void>();
  const answer = deferred<ApiAnswer>();
  return {
    run: () => {
      started.resolve();
      return answer.promise;
    },
    started: started.promise,
    answer: answer.resolve,
  };
};

let table: InMemoryTable;
let requests: IdempotentRequests;
/** How many times the operation ran. */
let runs: number;
const created = (): Promise<ApiAnswer> => {
  runs += 1;
  return Promise.resolve({ status: 201, body: { orderId: `order-${runs}` } });
};

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: NOW });
  table = new InMemoryTable('shop-order-idempotency', IDEMPOTENCY_TABLE.partitionKey);
  requests = new IdempotentRequests({
    dynamodb: table.client,
    idempotencyTableName: table.tableName,
    operation: 'PlaceOrder',
    expiresAfterSeconds: DAY,
  });
  runs = 0;
});

afterEach(() => {
  vi.useRealTimers();
});

describe('IdempotentRequests', () => {
  it('runs a request without a key every time and keeps nothing', async () => {
    const first = await requests.answer(request({ key: undefined }), created);
    const second = await requests.answer(request({ key: undefined }), created);

    expect([first, second]).toEqual([
      { status: 201, body: { orderId: 'order-1' } },
      { status: 201, body: { orderId: 'order-2' } },
    ]);
    expect(table.items.size).toBe(0);
  });

  it('answers every retry with a key with the first answer, running it once', async () => {
    const first = await requests.answer(request(), created);

    const retries = [
      await requests.answer(request(), created),
      await requests.answer(request(), created),
    ];

    expect(first).toEqual({ status: 201, body: { orderId: 'order-1' } });
    expect(retries).toEqual([first, first]);
    expect(runs).toBe(1);
    expect([...table.items.values()]).toEqual([
      expect.objectContaining({
        id: { S: expect.stringMatching(/^PlaceOrder#/) },
        status: { S: 'COMPLETED' },
        [IDEMPOTENCY_TABLE.timeToLive]: { N: String(NOW.getTime() / 1000 + DAY) },
      }),
    ]);
  });

  it("keeps one client's key apart from another's and from the client's other keys", async () => {
    await requests.answer(request(), created);

    const others = [
      await requests.answer(request({ owner: 'c-2' }), created),
      await requests.answer(request({ key: 'key-2' }), created),
    ];

    expect(others.map((answer) => answer.body)).toEqual([
      { orderId: 'order-2' },
      { orderId: 'order-3' },
    ]);
    expect(table.items.size).toBe(3);
  });

  it('keeps a client error the request was decided with', async () => {
    const outOfStock = problem(409, 'OUT_OF_STOCK', 'Not enough stock: MUG-001');
    await requests.answer(request(), async () => outOfStock);

    expect(await requests.answer(request(), created)).toEqual(outOfStock);
    expect(runs).toBe(0);
  });

  it('refuses the key with another payload with 422, and runs nothing', async () => {
    await requests.answer(request(), created);

    const reused = await requests.answer(
      request({ payload: { ...placement, lines: [{ sku: 'TEE-001', quantity: 1 }] } }),
      created,
    );

    expect(reused).toEqual(
      problem(
        422,
        'IDEMPOTENCY_KEY_REUSED',
        'Idempotency-Key key-1 was used for another request; use a new key for a new request',
      ),
    );
    expect(runs).toBe(1);
  });

  it('answers 409 to a retry while the first request is still running', async () => {
    const running = runningUntilAnswered();
    const first = requests.answer(request(), running.run);
    await running.started;

    const retry = await requests.answer(request(), created);
    running.answer({ status: 201, body: { orderId: 'order-0' } });

    expect(retry).toEqual(
      problem(
        409,
        'IDEMPOTENCY_KEY_IN_USE',
        'A request with Idempotency-Key key-1 is still being processed; retry later',
      ),
    );
    expect(await first).toEqual({ status: 201, body: { orderId: 'order-0' } });
    expect(await requests.answer(request(), created)).toEqual(await first);
    expect(runs).toBe(0);
  });

  it('runs a retry again once the deadline of a first request that never finished has passed', async () => {
    const died = runningUntilAnswered();
    void requests.answer(request({ lambdaContext: lambdaContext(10_000) }), died.run);
    await died.started;
    expect((await requests.answer(request(), created)).status).toBe(409);

    vi.setSystemTime(NOW.getTime() + 10_001);

    expect(await requests.answer(request(), created)).toEqual({
      status: 201,
      body: { orderId: 'order-1' },
    });
  });

  it.each([
    ['a 5xx answer', async () => problem(503, 'SERVICE_UNAVAILABLE', 'try again')],
    [
      'an error',
      async (): Promise<ApiAnswer> => {
        throw new Error('Throttled');
      },
    ],
  ])('forgets the key after %s, so that the retry runs again', async (_, fails) => {
    const failed = requests.answer(request(), fails);
    await failed.catch(() => undefined);

    expect(table.items.size).toBe(0);
    expect(await requests.answer(request(), created)).toEqual({
      status: 201,
      body: { orderId: 'order-1' },
    });
  });

  it('answers the 5xx itself and throws the error itself', async () => {
    const unavailable = problem(503, 'SERVICE_UNAVAILABLE', 'try again');
    const throttled = new Error('Throttled');

    expect(await requests.answer(request(), async () => unavailable)).toEqual(unavailable);
    await expect(
      requests.answer(request(), async () => {
        throw throttled;
      }),
    ).rejects.toBe(throttled);
  });

  it('runs the request again once its answer has expired', async () => {
    await requests.answer(request(), created);

    vi.setSystemTime(NOW.getTime() + (DAY - 1) * 1000);
    await requests.answer(request(), created);
    expect(runs).toBe(1);

    vi.setSystemTime(NOW.getTime() + (DAY + 1) * 1000);
    expect(await requests.answer(request(), created)).toEqual({
      status: 201,
      body: { orderId: 'order-2' },
    });
  });
});

describe('idempotencyTableConfig', () => {
  it('reads the idempotency table from IDEMPOTENCY_TABLE_NAME', () => {
    expect(idempotencyTableConfig({ IDEMPOTENCY_TABLE_NAME: 'shop-order-idempotency' })).toEqual({
      idempotencyTableName: 'shop-order-idempotency',
    });
    expect(() => idempotencyTableConfig({})).toThrow('IDEMPOTENCY_TABLE_NAME');
  });
});
