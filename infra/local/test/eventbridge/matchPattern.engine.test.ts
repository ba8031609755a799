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
 * - equals-ignore-case lets each pattern character stand for its lower- and upper-case forms
 *   (EqualsIgnoreCaseParser), whatever their lengths.
 * - a numeric range's lower bound must be below its upper bound ("Bottom must be less than top"),
 *   and no field inside $or may bear an operator's name ("Ruler reserved fieldName").
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

describe('equals-ignore-case folds each pattern character', () => {
  it.each([
    ['ΰ matches its upper case, three code points long', '\u03b0', '\u03a5\u0308\u0301', true],
    ['ΰ does not match another spelling of that upper case', '\u03b0', '\u03ab\u0301', false],
    ['ß matches SS, its upper case', 'stra\u00dfe', 'STRASSE', true],
    ['ß does not match ss, which is not its lower case', 'stra\u00dfe', 'strasse', false],
    ['SS does not match ß: the event is not folded', 'STRASSE', 'stra\u00dfe', false],
  ] as const)('%s', (_name, text, value, matches) => {
    expect(matchesPattern({ s: [{ 'equals-ignore-case': text }] }, { s: value })).toBe(matches);
    expect(matchesPattern({ s: [{ prefix: { 'equals-ignore-case': text } }] }, { s: value })).toBe(
      matches,
    );
  });
});

describe('patterns the engine refuses', () => {
  it.each([
    ['a numeric range whose bounds are equal', { n: [{ numeric: ['>=', 1, '<=', 1] }] }],
    ['a numeric range whose bounds are reversed', { n: [{ numeric: ['>', 30, '<', 1] }] }],
    [
      'an operator name as a field inside $or',
      { detail: { $or: [{ prefix: ['a'] }, { b: ['c'] }] } },
    ],
    ['an operator name nested inside $or', { $or: [{ d: { numeric: [1] } }, { b: ['c'] }] }],
  ])('rejects %s', (_name, pattern) => {
    expect(parsePattern(pattern).ok).toBe(false);
  });

  it('takes an operator name as a field outside $or', () => {
    expect(parsePattern({ detail: { prefix: ['a'] } }).ok).toBe(true);
  });
});
