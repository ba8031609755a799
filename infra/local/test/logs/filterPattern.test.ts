import { describe, expect, it } from 'vitest';
import { compileFilterPattern, InvalidFilterPatternError } from '../../src/logs/filterPattern.js';

// The JSON log event of CloudWatch Logs' "Filter pattern syntax" examples.
const documented = JSON.stringify({
  eventType: 'UpdateTrail',
  sourceIPAddress: '123.123.123.123',
  arrayKey: ['value', 'another value'],
  objectList: [
    { name: 'a', id: 1 },
    { name: 'b', id: 2 },
  ],
  SomeObject: null,
  cpuUsage: 80,
  bandwidth: 75,
  latency: 500,
  user: { id: 1, email: 'John.Doe@example.com' },
  users: [{ id: 2, email: 'John.Doe@example.com' }],
  actions: ['GET', 'PUT', 'DELETE'],
  isAdmin: true,
  isGuest: false,
});

const matches = (pattern: string, message = documented): boolean =>
  compileFilterPattern(pattern)(message);

describe('JSON filter patterns (the documented examples)', () => {
  it.each([
    ['{ $.eventType = "UpdateTrail" }', true],
    ['{ $.eventType = "CreateTrail" }', false],
    ['{ $.sourceIPAddress != 123.123.* }', false],
    ['{ $.sourceIPAddress != 124.* }', true],
    ['{ $.sourceIPAddress = 123.123.* }', true],
    ['{ $.arrayKey[0] = "value" }', true],
    ['{ $.arrayKey[1] = "value" }', false],
    ['{ $.objectList[1].id = 2 }', true],
    ['{ $.objectList[1].id = 1 }', false],
    ['{ $.SomeObject IS NULL }', true],
    ['{ $.cpuUsage IS NULL }', false],
    ['{ $.SomeOtherObject NOT EXISTS }', true],
    ['{ $.cpuUsage NOT EXISTS }', false],
    ['{ $.isAdmin IS TRUE }', true],
    ['{ $.isGuest IS FALSE }', true],
    ['{ $.isGuest IS TRUE }', false],
    ['{ $.bandwidth > 75 }', false],
    ['{ $.bandwidth >= 75 }', true],
    ['{ $.latency <= 500 }', true],
    ['{ $.latency < 500 }', false],
    ['{ $.cpuUsage != 80 }', false],
    ['{ $.cpuUsage = 80 }', true],
    ['{ $.eventType = * }', true],
    ['{ $.missing = * }', false],
    ['{ $.eventType = "Update*" }', true],
    [
      '{ ($.user.id = 2 && $.users[0].email = "John.Doe@example.com") || $.actions[2] = "GET" }',
      false,
    ],
    [
      '{ ($.user.id = 1 && $.users[0].email = "John.Doe@example.com") || $.actions[2] = "GET" }',
      true,
    ],
    ['{ $.user.id = 2 || $.actions[0] = "GET" }', true],
    ['{ $.user.id = 1 && ($.actions[0] = "PUT" || $.actions[1] = "PUT") }', true],
    ['{$.user.email="John.Doe@example.com"}', true],
  ])('%s matches: %s', (pattern, expected) => {
    expect(matches(pattern)).toBe(expected);
  });

  it('matches no message that is not a JSON object', () => {
    expect(matches('{ $.eventType = "UpdateTrail" }', 'eventType UpdateTrail')).toBe(false);
    expect(matches('{ $.eventType = * }', '[1,2]')).toBe(false);
  });

  it('compares numbers as numbers and strings as strings', () => {
    expect(matches('{ $.n > 5 }', '{"n":10}')).toBe(true);
    expect(matches('{ $.n > 5 }', '{"n":"10"}')).toBe(false);
    expect(matches('{ $.n = "10" }', '{"n":"10"}')).toBe(true);
  });
});

describe('term patterns', () => {
  const message = '[ERROR 400] BAD REQUEST: ArgumentException in "GET /orders"';

  it.each([
    ['ERROR', true],
    ['error', false],
    ['ERROR ArgumentException', true],
    ['ERROR NotFoundException', false],
    ['"BAD REQUEST"', true],
    ['"BAD  REQUEST"', false],
    ['ERROR -ArgumentException', false],
    ['ERROR -NotFoundException', true],
    ['?WARN ?ERROR', true],
    ['?WARN ?INFO', false],
    ['', true],
  ])('%s matches: %s', (pattern, expected) => {
    expect(matches(pattern, message)).toBe(expected);
  });
});

describe('patterns that cannot be read', () => {
  it.each([
    '{ $.a = "x" ',
    '{ a = "x" }',
    '{ $.a > "x" }',
    '{ $.a = }',
    '{ ($.a = 1 }',
    '{ $.a = 1 && }',
    '{ $.a IS MAYBE }',
    '[ip, user]',
    '%ERROR%',
  ])('%s is refused', (pattern) => {
    expect(() => compileFilterPattern(pattern)).toThrow(InvalidFilterPatternError);
  });
});
