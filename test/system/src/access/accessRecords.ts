import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type ExercisedCall, ExercisedCallSchema } from './ExercisedCall.js';

/** Where each system test file records the calls it saw judged: git-ignored, one run's worth. */
export const ACCESS_RECORDS = new URL('../../.access/', import.meta.url);

/**
 * Empties the records folder: a run starts from nothing, so no file's calls outlive its run.
 *
 * @example
 * ```ts
 * export const setup = () => clearAccessRecords(); // vitest globalSetup
 * ```
 */
export const clearAccessRecords = (): void => {
  rmSync(ACCESS_RECORDS, { recursive: true, force: true });
  mkdirSync(ACCESS_RECORDS, { recursive: true });
};

/**
 * Writes one test file's calls, as JSON Lines in `.access/<file>.jsonl`.
 *
 * @example
 * ```ts
 * writeAccessRecords('saga.test.ts', calls);
 * ```
 */
export const writeAccessRecords = (file: string, calls: readonly ExercisedCall[]): void => {
  mkdirSync(ACCESS_RECORDS, { recursive: true });
  writeFileSync(
    new URL(`${file}.jsonl`, ACCESS_RECORDS),
    calls.map((call) => `${JSON.stringify(call)}\n`).join(''),
  );
};

/**
 * Every test file's recorded calls, by file name.
 *
 * @example
 * ```ts
 * const recorded = readAccessRecords(); // Map { 'saga.test.ts' => [...] }
 * ```
 */
export const readAccessRecords = (): ReadonlyMap<string, readonly ExercisedCall[]> => {
  let names: string[];
  try {
    names = readdirSync(ACCESS_RECORDS);
  } catch {
    return new Map();
  }
  return new Map(
    names
      .filter((name) => name.endsWith('.jsonl'))
      .sort()
      .map((name) => [
        name.slice(0, -'.jsonl'.length),
        readFileSync(new URL(name, ACCESS_RECORDS), 'utf8')
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => ExercisedCallSchema.parse(JSON.parse(line))),
      ]),
  );
};
