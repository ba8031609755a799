import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import {
  CARD_PROCESSOR_TEST_TOKENS,
  type CardProcessor,
  startCardProcessor,
} from '../src/cardProcessor/index.js';
import { rawRequest } from './rawHttp.js';

const TIMEOUT_DELAY_MS = 500;
const CLIENT_TIMEOUT_MS = 100;

let processor: CardProcessor;

beforeAll(async () => {
  processor = await startCardProcessor({ timeoutDelayMs: TIMEOUT_DELAY_MS });
});

afterAll(async () => {
  await processor?.close();
});

const EUR = (amountMinor: number) => ({ amountMinor, currency: 'EUR' as const });
const newReference = () => `order-${randomUUID()}`;
const IdSchema = z.object({ id: z.string() });

const call = async (
  method: 'GET' | 'POST',
  path: string,
  options: { key?: string; body?: unknown; raw?: string; signal?: AbortSignal } = {},
): Promise<{ status: number; body: unknown }> => {
  const response = await fetch(`${processor.url}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(options.key !== undefined && { 'idempotency-key': options.key }),
    },
    ...(method === 'POST' && { body: options.raw ?? JSON.stringify(options.body) }),
    ...(options.signal !== undefined && { signal: options.signal }),
  });
  return { status: response.status, body: await response.json() };
};

const charge = (
  token: string,
  reference: string,
  options: { key?: string; amountMinor?: number; signal?: AbortSignal } = {},
) =>
  call('POST', '/charges', {
    key: options.key ?? randomUUID(),
    body: { token, amount: EUR(options.amountMinor ?? 1299), reference },
    ...(options.signal !== undefined && { signal: options.signal }),
  });

const refund = (key: string, chargeId: string, amountMinor: number) =>
  call('POST', '/refunds', { key, body: { chargeId, amount: EUR(amountMinor) } });

const captured = (reference: string) =>
  processor.charges().filter((c) => c.reference === reference && c.status === 'captured');

const capturedCharge = async (reference: string, amountMinor = 1299): Promise<string> => {
  const { status, body } = await charge('tok_success', reference, { amountMinor });
  expect(status).toBe(201);
  return IdSchema.parse(body).id;
};

describe('charges by test token', () => {
  it('captures tok_success and records it in the ledger', async () => {
    const reference = newReference();

    const { status, body } = await charge('tok_success', reference);

    expect(status).toBe(201);
    expect(body).toEqual({
      id: expect.stringMatching(/^ch_[0-9a-f-]{36}$/),
      status: 'captured',
      amount: EUR(1299),
      reference,
    });
    expect(captured(reference)).toEqual([
      {
        id: IdSchema.parse(body).id,
        reference,
        amount: EUR(1299),
        status: 'captured',
        refundedMinor: 0,
        createdAt: expect.any(String),
      },
    ]);
  });

  it.each([
    ['tok_declined', 'card_declined'],
    ['tok_insufficient_funds', 'insufficient_funds'],
    ['tok_unknown', 'card_declined'],
  ])('declines %s with 402 %s and captures nothing', async (token, code) => {
    const reference = newReference();

    const { status, body } = await charge(token, reference);

    expect({ status, body }).toEqual({ status: 402, body: { code } });
    expect(captured(reference)).toEqual([]);
    expect(processor.charges().filter((c) => c.reference === reference)).toMatchObject([
      { status: 'declined' },
    ]);
  });

  it('answers tok_unavailable with 503 every time, even for the same key, capturing nothing', async () => {
    const reference = newReference();
    const key = randomUUID();

    const first = await charge('tok_unavailable', reference, { key });
    const second = await charge('tok_unavailable', reference, { key });

    expect(first).toEqual({ status: 503, body: { code: 'processor_unavailable' } });
    expect(second).toEqual(first);
    expect(processor.charges().filter((c) => c.reference === reference)).toEqual([]);
  });

  it('documents every token it treats specially', () => {
    expect(Object.keys(CARD_PROCESSOR_TEST_TOKENS).sort()).toEqual([
      'tok_declined',
      'tok_insufficient_funds',
      'tok_success',
      'tok_timeout',
      'tok_unavailable',
    ]);
  });
});

describe('idempotency keys', () => {
  it('replays the first answer to a repeated charge and captures once', async () => {
    const reference = newReference();
    const key = randomUUID();

    const first = await charge('tok_success', reference, { key });
    const second = await charge('tok_success', reference, { key });

    expect(first.status).toBe(201);
    expect(second).toEqual(first);
    expect(captured(reference)).toHaveLength(1);
  });

  it('replays a decline without recording a second attempt', async () => {
    const reference = newReference();
    const key = randomUUID();

    const first = await charge('tok_declined', reference, { key });
    const second = await charge('tok_declined', reference, { key });

    expect(second).toEqual(first);
    expect(processor.charges().filter((c) => c.reference === reference)).toHaveLength(1);
  });

  it('treats a body with its fields in another order as the same request', async () => {
    const reference = newReference();
    const key = randomUUID();
    const first = await charge('tok_success', reference, { key });

    const reordered = await call('POST', '/charges', {
      key,
      raw: `{"reference":${JSON.stringify(reference)},"amount":{"currency":"EUR","amountMinor":1299},"token":"tok_success"}`,
    });

    expect(reordered).toEqual(first);
    expect(captured(reference)).toHaveLength(1);
  });

  it('refuses the same key with a different body with 409 and captures nothing more', async () => {
    const reference = newReference();
    const key = randomUUID();
    await charge('tok_success', reference, { key });

    const reused = await charge('tok_success', reference, { key, amountMinor: 1 });

    expect(reused).toEqual({ status: 409, body: { code: 'idempotency_key_reused' } });
    expect(captured(reference)).toHaveLength(1);
  });

  it('keeps charge and refund keys apart', async () => {
    const reference = newReference();
    const key = randomUUID();
    const chargeId = IdSchema.parse((await charge('tok_success', reference, { key })).body).id;

    const refunded = await refund(key, chargeId, 100);

    expect(refunded.status).toBe(201);
  });
});

describe('tok_timeout', () => {
  it('captures, holds the first answer back past the client timeout, and answers the retry with the same charge', async () => {
    const reference = newReference();
    const key = randomUUID();

    await expect(
      charge('tok_timeout', reference, { key, signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) }),
    ).rejects.toMatchObject({ name: 'TimeoutError' });
    const retry = await charge('tok_timeout', reference, { key });

    expect(retry).toMatchObject({ status: 201, body: { status: 'captured', reference } });
    expect(captured(reference)).toMatchObject([{ id: IdSchema.parse(retry.body).id }]);
  });
});

describe('refunds', () => {
  it('refunds part of a captured charge and shows it in the ledger', async () => {
    const reference = newReference();
    const chargeId = await capturedCharge(reference, 1000);

    const { status, body } = await refund(randomUUID(), chargeId, 400);

    expect(status).toBe(201);
    expect(body).toEqual({
      id: expect.stringMatching(/^re_[0-9a-f-]{36}$/),
      chargeId,
      amount: EUR(400),
      status: 'refunded',
    });
    expect(captured(reference)).toMatchObject([{ id: chargeId, refundedMinor: 400 }]);
  });

  it('refuses to refund more than was captured, counting earlier refunds', async () => {
    const reference = newReference();
    const chargeId = await capturedCharge(reference, 1000);
    await refund(randomUUID(), chargeId, 600);

    const tooLarge = await refund(randomUUID(), chargeId, 401);
    const rest = await refund(randomUUID(), chargeId, 400);

    expect(tooLarge).toEqual({ status: 400, body: { code: 'amount_too_large' } });
    expect(rest.status).toBe(201);
    expect(captured(reference)).toMatchObject([{ refundedMinor: 1000 }]);
  });

  it('refuses a refund in another currency', async () => {
    const chargeId = await capturedCharge(newReference());

    const other = await call('POST', '/refunds', {
      key: randomUUID(),
      body: { chargeId, amount: { amountMinor: 1, currency: 'USD' } },
    });

    expect(other).toEqual({ status: 400, body: { code: 'currency_mismatch' } });
  });

  it('answers 404 for an unknown or declined charge', async () => {
    const reference = newReference();
    await charge('tok_declined', reference);
    const declinedId = processor.charges().find((c) => c.reference === reference)?.id ?? '';

    const unknown = await refund(randomUUID(), 'ch_unknown', 100);
    const declined = await refund(randomUUID(), declinedId, 100);

    expect(unknown).toEqual({ status: 404, body: { code: 'charge_not_found' } });
    expect(declined).toEqual(unknown);
  });

  it('replays a repeated refund without refunding twice, and refuses the key with another amount', async () => {
    const reference = newReference();
    const chargeId = await capturedCharge(reference, 1000);
    const key = randomUUID();

    const first = await refund(key, chargeId, 300);
    const second = await refund(key, chargeId, 300);
    const reused = await refund(key, chargeId, 200);

    expect(second).toEqual(first);
    expect(reused).toEqual({ status: 409, body: { code: 'idempotency_key_reused' } });
    expect(captured(reference)).toMatchObject([{ refundedMinor: 300 }]);
  });
});

describe('listing charges', () => {
  it('lists the charges of one reference, or all of them', async () => {
    const reference = newReference();
    await capturedCharge(reference);
    await charge('tok_declined', reference);
    const other = await capturedCharge(newReference());

    const mine = await call('GET', `/charges?reference=${encodeURIComponent(reference)}`);
    const all = await call('GET', '/charges');

    expect(mine).toMatchObject({
      status: 200,
      body: {
        charges: [
          { reference, status: 'captured' },
          { reference, status: 'declined' },
        ],
      },
    });
    expect(all).toMatchObject({ status: 200, body: { charges: expect.any(Array) } });
    expect(all.body).toEqual({ charges: processor.charges() });
    expect(processor.charges().map((c) => c.id)).toContain(other);
  });
});

describe('invalid requests', () => {
  const validCharge = { token: 'tok_success', amount: EUR(100), reference: 'order-1' };

  it('answers 404 to a target no URL parses (`//[`) or no route takes (`*`)', async () => {
    for (const path of ['//[', '//x/charges', '*']) {
      const answer = await rawRequest(processor.url, { method: 'GET', path });

      expect([answer.status, JSON.parse(answer.body)]).toEqual([404, { code: 'not_found' }]);
    }
  });

  it('requires an Idempotency-Key', async () => {
    const charges = await call('POST', '/charges', { body: validCharge });
    const refunds = await call('POST', '/refunds', {
      body: { chargeId: 'ch_1', amount: EUR(1) },
    });

    expect(charges).toEqual({ status: 400, body: { code: 'idempotency_key_required' } });
    expect(refunds).toEqual(charges);
  });

  it.each([
    ['a negative amount', { ...validCharge, amount: EUR(-1) }],
    ['a fractional amount', { ...validCharge, amount: EUR(1.5) }],
    ['an unsupported currency', { ...validCharge, amount: { amountMinor: 1, currency: 'JPY' } }],
    ['no token', { amount: EUR(1), reference: 'order-1' }],
    ['no reference', { token: 'tok_success', amount: EUR(1) }],
    ['an array', [validCharge]],
  ])('answers 400 invalid_request with the issues for %s', async (_, body) => {
    const answer = await call('POST', '/charges', { key: randomUUID(), body });

    expect(answer).toEqual({
      status: 400,
      body: { code: 'invalid_request', issues: expect.arrayContaining([expect.any(Object)]) },
    });
  });

  it('validates refunds', async () => {
    const answer = await call('POST', '/refunds', {
      key: randomUUID(),
      body: { chargeId: '', amount: EUR(1) },
    });

    expect(answer).toMatchObject({ status: 400, body: { code: 'invalid_request' } });
  });

  it('answers 400 to a body that is not JSON', async () => {
    const answer = await call('POST', '/charges', { key: randomUUID(), raw: '{"token":' });

    expect(answer).toEqual({ status: 400, body: { code: 'invalid_json' } });
  });

  it('answers 400 to a body over 64 KB and captures nothing', async () => {
    const reference = newReference();
    const body = { ...validCharge, reference, padding: 'x'.repeat(64 * 1024) };

    const answer = await call('POST', '/charges', { key: randomUUID(), body });

    expect(answer).toEqual({ status: 400, body: { code: 'request_too_large' } });
    expect(captured(reference)).toEqual([]);
  });

  it.each([
    ['GET', '/refunds'],
    ['POST', '/payments'],
    ['GET', '/'],
  ] as const)('answers 404 to %s %s', async (method, path) => {
    const answer = await call(method, path, { key: randomUUID(), body: validCharge });

    expect(answer).toEqual({ status: 404, body: { code: 'not_found' } });
  });
});

describe('an outage', () => {
  it('refuses every connection until it ends, then answers on the same URL with its books intact', async () => {
    const own = await startCardProcessor();
    const post = (key: string, reference: string) =>
      fetch(`${own.url}/charges`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ token: 'tok_success', amount: EUR(1299), reference }),
      });
    const before = newReference();
    const first = await post(`pay-${before}`, before);
    const firstBody = await first.json();

    await own.suspend();
    const during = newReference();
    await expect(post(`pay-${during}`, during)).rejects.toThrow();
    await expect(fetch(`${own.url}/charges`)).rejects.toThrow();

    await own.resume();
    const retried = await post(`pay-${during}`, during);
    const repeated = await post(`pay-${before}`, before);

    expect(retried.status).toBe(201);
    expect(repeated.status).toBe(201);
    expect(await repeated.json()).toEqual(firstBody);
    expect(own.charges().filter((c) => c.status === 'captured')).toHaveLength(2);
    await own.close();
  });

  it('drops a connection whose answer is held back, and can be begun and ended twice', async () => {
    const own = await startCardProcessor({ timeoutDelayMs: 60_000 });
    const pending = fetch(`${own.url}/charges`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({ token: 'tok_timeout', amount: EUR(1), reference: 'order-held' }),
    }).then(
      () => 'answered',
      () => 'failed',
    );
    await vi.waitFor(() => expect(own.charges()).toHaveLength(1));

    await Promise.all([own.suspend(), own.suspend()]);
    expect(await pending).toBe('failed');
    await Promise.all([own.resume(), own.resume()]);

    expect((await fetch(`${own.url}/charges`)).status).toBe(200);
    await own.close();
  });

  it('is closed for good when closed while it comes back', async () => {
    const own = await startCardProcessor();
    await own.suspend();

    const back = own.resume();
    await own.close();
    await back;

    await expect(fetch(`${own.url}/charges`)).rejects.toThrow();
  });

  it('cannot end once the sandbox is closed', async () => {
    const own = await startCardProcessor();
    await own.suspend();
    await own.close();

    await expect(own.resume()).rejects.toThrow(/closed/);
  });
});

describe('close', () => {
  it('does not wait for an answer that is being held back', async () => {
    const own = await startCardProcessor({ timeoutDelayMs: 60_000 });
    const pending = fetch(`${own.url}/charges`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({ token: 'tok_timeout', amount: EUR(1), reference: 'order-held' }),
    });
    const failed = pending.then(
      () => 'answered',
      () => 'failed',
    );
    await vi.waitFor(() => expect(own.charges()).toHaveLength(1));

    await own.close();

    expect(await failed).toBe('failed');
  });

  it('can be called twice', async () => {
    const own = await startCardProcessor();

    await Promise.all([own.close(), own.close()]);

    await expect(fetch(`${own.url}/charges`)).rejects.toThrow();
  });
});
