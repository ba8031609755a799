import { isDeepStrictEqual } from 'node:util';
import type { DanglingSubscription } from '@shop/contracts';
import { compareSchemas, RULES, type SchemaChange } from './compatibility.js';
import { type GeneratedFiles, SCHEMAS_DIR } from './documents.js';
import type { JsonSchema } from './jsonSchema.js';

/** What the check compares. Paths of schemas are relative to `contracts/schemas/`. */
export interface CheckInput {
  /** Files the contracts generate now, by repository path. */
  readonly generated: GeneratedFiles;
  /** The same kind of files as committed in the work tree (missing ones absent). */
  readonly committed: ReadonlyMap<string, string>;
  /** The published schema of each event version: committed ones, or those of a base ref. */
  readonly published: ReadonlyMap<string, JsonSchema>;
  /** The current schema of each event version. */
  readonly current: ReadonlyMap<string, JsonSchema>;
  readonly dangling: readonly DanglingSubscription[];
}

/** A change to one event version. */
export interface EventChange extends SchemaChange {
  readonly event: string;
}

export interface CheckReport {
  readonly breaking: readonly EventChange[];
  readonly compatible: readonly EventChange[];
  readonly added: readonly string[];
  readonly retired: readonly string[];
  readonly stale: readonly string[];
  readonly dangling: readonly DanglingSubscription[];
}

/** `OrderPlaced/v1.json` -> `OrderPlaced v1`. */
export const labelOf = (schemaPath: string): string =>
  schemaPath.replace(/\.json$/, '').replace('/v', ' v');

const pathOf = (label: string): string => `${label.replace(' v', '/v')}.json`;

const sameContent = (path: string, a: string, b: string): boolean => {
  if (!path.endsWith('.json')) return a === b;
  try {
    return isDeepStrictEqual(JSON.parse(a), JSON.parse(b));
  } catch {
    return false;
  }
};

/**
 * Judges the current contracts against the published ones and the committed generated files.
 *
 * @example
 * ```ts
 * const report = checkContracts({ generated, committed, published, current, dangling: [] });
 * report.breaking; // [{ event: 'OrderPlaced v1', path: 'data.total', rule: 'type-changed', ... }]
 * ```
 */
export const checkContracts = (input: CheckInput): CheckReport => {
  const breaking: EventChange[] = [];
  const compatible: EventChange[] = [];
  for (const [path, schema] of input.current) {
    const before = input.published.get(path);
    if (before === undefined) continue;
    for (const change of compareSchemas(before, schema)) {
      (change.breaking ? breaking : compatible).push({ event: labelOf(path), ...change });
    }
  }
  const breakingFiles = new Set(breaking.map((c) => `${SCHEMAS_DIR}/${pathOf(c.event)}`));
  const stale: string[] = [];
  for (const [path, content] of input.generated) {
    if (breakingFiles.has(path)) continue;
    const committed = input.committed.get(path);
    if (committed === undefined) stale.push(`${path} is missing`);
    else if (!sameContent(path, committed, content)) stale.push(`${path} is out of date`);
  }
  for (const path of input.committed.keys()) {
    if (!input.generated.has(path)) stale.push(`${path} is no longer generated`);
  }
  return {
    breaking,
    compatible,
    added: [...input.current.keys()].filter((path) => !input.published.has(path)).map(labelOf),
    retired: [...input.published.keys()].filter((path) => !input.current.has(path)).map(labelOf),
    stale,
    dangling: input.dangling,
  };
};

/** True when the report lets the change land. */
export const passes = (report: CheckReport): boolean =>
  report.breaking.length === 0 && report.stale.length === 0 && report.dangling.length === 0;

/** One line per finding, worst first. */
export const formatReport = (report: CheckReport): string[] => [
  ...report.breaking.map(
    (c) => `✗ ${c.event}: ${c.path || '(root)'}: ${RULES[c.rule].text} — ${c.detail} [${c.rule}]`,
  ),
  ...report.dangling.map(
    (d) => `✗ ${d.event} is retired from the catalogue but ${d.consumer} still subscribes to it`,
  ),
  ...report.stale.map((line) => `✗ stale: ${line}; run \`npm run contracts:generate\``),
  ...report.compatible.map(
    (c) => `✓ ${c.event}: ${c.path || '(root)'}: ${RULES[c.rule].text} — ${c.detail}`,
  ),
  ...report.added.map((label) => `✓ ${label}: new version`),
  ...report.retired.map((label) => `✓ ${label}: retired, no consumer left`),
];
