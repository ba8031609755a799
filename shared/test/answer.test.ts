import { describe, expect, it } from 'vitest';
import { answerOf, jsonResponse, problem } from '../src/http/answer.js';
import { failure } from '../src/invocationResult.js';

describe('answerOf', () => {
  it("answers a value with the route's status", () => {
    expect(answerOf({ ok: true, value: { id: 1 } }, 201)).toEqual({ status: 201, body: { id: 1 } });
  });

  it("gives a failure the status the service declares for its code, then the generic one's, else 422", () => {
    const statuses = { OUT_OF_STOCK: 409 };
    const statusOf = (code: string) => answerOf(failure(code, 'why'), 200, statuses).status;

    expect(statusOf('OUT_OF_STOCK')).toBe(409);
    expect(statusOf('VALIDATION_FAILED')).toBe(400);
    expect(statusOf('NOT_FOUND')).toBe(404);
    expect(statusOf('SERVICE_UNAVAILABLE')).toBe(503);
    expect(statusOf('SOMETHING_ELSE')).toBe(422);
    expect(answerOf(failure('OUT_OF_STOCK', 'Not enough stock: MUG-001')).status).toBe(422);
    expect(answerOf(failure('OUT_OF_STOCK', 'Not enough stock: MUG-001'), 201, statuses)).toEqual({
      status: 409,
      body: { error: { code: 'OUT_OF_STOCK', message: 'Not enough stock: MUG-001' } },
    });
  });
});

describe('jsonResponse', () => {
  it('writes an answer as JSON with its content type and any extra headers, and no body as empty', () => {
    expect(jsonResponse(problem(405, 'METHOD_NOT_ALLOWED', 'no'), { allow: 'GET' })).toEqual({
      statusCode: 405,
      headers: { 'content-type': 'application/json', allow: 'GET' },
      body: '{"error":{"code":"METHOD_NOT_ALLOWED","message":"no"}}',
    });
    expect(jsonResponse({ status: 204 })).toEqual({
      statusCode: 204,
      headers: { 'content-type': 'application/json' },
      body: '',
    });
  });
});
