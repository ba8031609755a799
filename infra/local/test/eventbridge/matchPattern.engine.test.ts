/**
 * The rules of the engine behind EventBridge (aws/event-ruler) that the user guide leaves unsaid,
 * as its README and its rule compiler state them:
 * - anything-but "matches anything except what's provided in the rule", in every form: a number,
 *   a boolean or null can have no excluded prefix, suffix, casing or wildcard shape.
 * - anything-but takes "a prefix, suffix, or equals-ignore-case match of a string or a list of
 *   strings" (README, "Anything-but prefix list" and "Anything-but suffix list"); an empty prefix
 *   or suffix is refused ("Null prefix/suffix not allowed").
 * - a field's list of matchers may not be empty ("Empty arrays are not allowed").
 * - exists "only works on the leaf nodes": a field holding an empty array has no leaf value, so it
 *   does not exist.
 */
import { describe, expect, it } from 'vitest';
import type { EventPattern } from '../../src/eventbridge/matchPattern.js';
import { matchesPattern, parsePattern } from '../../src/eventbridge/matchPattern.js';

type MatchCase = readonly [name: string, pattern: EventPattern, event: unknown, matches: boolean];

const nonStrings = [
  ['a number', 42],
  ['a boolean', true],
  ['null', null],
] as const;

const anythingButForms = [
  ['prefix', { prefix: 'init' }],
  ['suffix', { suffix: '1234' }],
  ['equals-ignore-case', { 'equals-ignore-case': 'Stopped' }],
  ['wildcard', { wildcard: '*/bin/*.jar' }],
] as const;

describe('anything-but excludes only what it lists', () => {
  const cases: MatchCase[] = anythingButForms.flatMap(([form, operand]) =>
    nonStrings.map(
      ([kind, value]): MatchCase => [
        `anything-but ${form} matches ${kind}`,
        { detail: { state: [{ 'anything-but': operand }] } },
        { detail: { state: value } },
        true,
      ],
    ),
  );
  cases.push(
    [
      'anything-but prefix still does not match a field that is missing',
      { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
      { detail: {} },
      false,
    ],
    [
      'anything-but prefix matches an array holding a number beside an excluded string',
      { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
      { detail: { state: ['initializing', 7] } },
      true,
    ],
    [
      'plain anything-but matches a number, as its object forms now do',
      { detail: { state: [{ 'anything-but': 'initializing' }] } },
      { detail: { state: 7 } },
      true,
    ],
  );

  it.each(cases)('%s', (_name, pattern, event, matches) => {
    expect(parsePattern(pattern).ok).toBe(true);
    expect(matchesPattern(pattern, event)).toBe(matches);
  });
});

describe('anything-but with a list of prefixes or suffixes', () => {
  const prefixes: EventPattern = {
    detail: { state: [{ 'anything-but': { prefix: ['init', 'error'] } }] },
  };
  const suffixes: EventPattern = {
    detail: { 'instance-id': [{ 'anything-but': { suffix: ['1234', '6789'] } }] },
  };

  it.each([
    ['a state with neither prefix', prefixes, { detail: { state: 'running' } }, true],
    ['a state with the first prefix', prefixes, { detail: { state: 'initializing' } }, false],
    ['a state with the second prefix', prefixes, { detail: { state: 'error-disk' } }, false],
    ['an id with neither suffix', suffixes, { detail: { 'instance-id': 'i-0000' } }, true],
    ['an id with the first suffix', suffixes, { detail: { 'instance-id': 'i-1234' } }, false],
    ['an id with the second suffix', suffixes, { detail: { 'instance-id': 'i-6789' } }, false],
  ] satisfies MatchCase[])('%s', (_name, pattern, event, matches) => {
    expect(parsePattern(pattern).ok).toBe(true);
    expect(matchesPattern(pattern, event)).toBe(matches);
  });

  it.each([
    ['an empty prefix', { s: [{ 'anything-but': { prefix: '' } }] }],
    ['an empty suffix in a list', { s: [{ 'anything-but': { suffix: ['.png', ''] } }] }],
    ['a number in a prefix list', { s: [{ 'anything-but': { prefix: ['a', 1] } }] }],
  ])('rejects %s', (_name, pattern) => {
    expect(parsePattern(pattern).ok).toBe(false);
  });
});

describe('a field needs at least one matcher', () => {
  it.each([
    ['at the top level', { status: [] }],
    ['in a nested field', { detail: { status: [] } }],
    ['inside $or', { $or: [{ a: ['x'] }, { b: [] }] }],
  ])('rejects an empty matcher list %s', (_name, pattern) => {
    const result = parsePattern(pattern);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('Empty arrays are not allowed');
  });
});

describe('exists treats an empty array as absent', () => {
  it.each([
    ['exists true does not match an empty array', [{ exists: true }], { tags: [] }, false],
    ['exists false matches an empty array', [{ exists: false }], { tags: [] }, true],
    ['exists true does not match nested empty arrays', [{ exists: true }], { tags: [[]] }, false],
    ['exists true matches an array holding a value', [{ exists: true }], { tags: ['a'] }, true],
    [
      'exists false does not match an array holding null',
      [{ exists: false }],
      { tags: [null] },
      false,
    ],
    [
      'exists true does not match an array of objects',
      [{ exists: true }],
      { tags: [{ k: 'v' }] },
      false,
    ],
  ] as const)('%s', (_name, matchers, event, matches) => {
    expect(matchesPattern({ tags: matchers }, event)).toBe(matches);
  });
});
