/**
 * The test cases of the engine behind EventBridge, aws/event-ruler, carried over as data
 * (eventRulerCases.json): every rule/event pair its JUnit tests give the engine, with the engine's
 * answer and the name of the test, and every rule its tests compile, with whether the engine takes
 * it. Single-value cases of its byte-machine tests are written as a pattern on a field `value`.
 *
 * Cases outside EventBridge's documented syntax or limits are left out and counted by reason in
 * the file (`skippedMatches`, `skippedPatterns`): field names with dots, which the engine reads as
 * nesting; a field named both beside and inside `$or`, where the engine lets the later one win;
 * engine-only operators; numbers a JavaScript JSON parser cannot hold; events over 256 KB; and
 * events the tests wrote in the engine's internal flattened form that are not JSON.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { EventPattern } from '../../src/eventbridge/matchPattern.js';
import { matchesPattern, parsePattern } from '../../src/eventbridge/matchPattern.js';

interface EventRulerCases {
  readonly source: string;
  readonly skippedMatches: Readonly<Record<string, number>>;
  readonly skippedPatterns: Readonly<Record<string, number>>;
  readonly matches: readonly {
    readonly test: string;
    readonly pattern: EventPattern;
    readonly event: unknown;
    readonly matches: boolean;
  }[];
  readonly patterns: readonly {
    readonly test: string;
    readonly pattern: unknown;
    readonly valid: boolean;
  }[];
}

const cases = JSON.parse(
  readFileSync(new URL('./eventRulerCases.json', import.meta.url), 'utf8'),
) as EventRulerCases;

const label = (value: unknown): string => {
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
};

describe('the engine behind EventBridge: which events a pattern matches', () => {
  it.each(cases.matches.map((c, i) => [`#${i} ${c.test} ${label(c.pattern)}`, c] as const))(
    '%s',
    (_name, { pattern, event, matches }) => {
      expect(parsePattern(pattern).ok).toBe(true);
      expect(matchesPattern(pattern, event)).toBe(matches);
    },
  );
});

describe('the engine behind EventBridge: which patterns it accepts', () => {
  it.each(cases.patterns.map((c, i) => [`#${i} ${c.test} ${label(c.pattern)}`, c] as const))(
    '%s',
    (_name, { pattern, valid }) => {
      expect(parsePattern(pattern).ok).toBe(valid);
    },
  );
});
