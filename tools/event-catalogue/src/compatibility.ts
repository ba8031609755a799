import { isDeepStrictEqual } from 'node:util';
import type { JsonSchema } from './jsonSchema.js';

/** The rules a change to a published event version is judged by. Only two are allowed. */
export const RULES = {
  'field-removed': { breaking: true, text: 'field removed or renamed' },
  'type-changed': { breaking: true, text: 'type changed' },
  'type-narrowed': { breaking: true, text: 'type narrowed' },
  'type-widened': { breaking: true, text: 'type widened' },
  'constraint-changed': { breaking: true, text: 'constraint changed' },
  'optional-made-required': { breaking: true, text: 'optional field made required' },
  'required-made-optional': { breaking: true, text: 'required field made optional' },
  'required-field-added': { breaking: true, text: 'new required field' },
  'enum-value-removed': { breaking: true, text: 'enum value removed' },
  'enum-value-added': { breaking: true, text: 'enum value added' },
  'schema-changed': { breaking: true, text: 'schema changed' },
  'optional-field-added': { breaking: false, text: 'optional field added' },
  'annotation-changed': { breaking: false, text: 'description or title changed' },
} as const;

export type RuleId = keyof typeof RULES;

/** One difference between the published and the current schema of an event version. */
export interface SchemaChange {
  /** Dotted path of the field, `[]` for array items; empty for the root. */
  readonly path: string;
  readonly rule: RuleId;
  readonly breaking: boolean;
  readonly detail: string;
}

const ANNOTATIONS = new Set(['title', 'description', 'examples', '$comment', 'deprecated']);
const LOWER_BOUNDS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'];
const UPPER_BOUNDS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'];
const OPAQUE_CONSTRAINTS = [
  'pattern',
  'format',
  'multipleOf',
  'uniqueItems',
  'additionalProperties',
];
const HANDLED = new Set([
  'type',
  'const',
  'enum',
  'properties',
  'required',
  'items',
  'anyOf',
  'oneOf',
  ...LOWER_BOUNDS,
  ...UPPER_BOUNDS,
  ...OPAQUE_CONSTRAINTS,
]);

const isSchema = (value: unknown): value is JsonSchema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const asSchema = (value: unknown): JsonSchema => (isSchema(value) ? value : {});

const typesOf = (schema: JsonSchema): Set<string> => {
  const type = schema['type'];
  if (typeof type === 'string') return new Set([type]);
  if (Array.isArray(type)) return new Set(type.filter((t): t is string => typeof t === 'string'));
  return new Set();
};

/** Values a type set accepts, for subset tests: `integer` is a subset of `number`. */
const accepts = (outer: Set<string>, type: string): boolean =>
  outer.has(type) || (type === 'integer' && outer.has('number'));

const isSubset = (inner: Set<string>, outer: Set<string>): boolean =>
  [...inner].every((type) => accepts(outer, type));

const show = (value: unknown): string => (value === undefined ? 'none' : JSON.stringify(value));

const join = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

const change = (path: string, rule: RuleId, detail: string): SchemaChange => ({
  path,
  rule,
  breaking: RULES[rule].breaking,
  detail,
});

const compareBounds = (before: JsonSchema, after: JsonSchema, path: string): SchemaChange[] => {
  const changes: SchemaChange[] = [];
  for (const [keys, tighter] of [
    [LOWER_BOUNDS, (a: number, b: number) => b > a],
    [UPPER_BOUNDS, (a: number, b: number) => b < a],
  ] as const) {
    for (const key of keys) {
      const a = before[key];
      const b = after[key];
      if (a === b) continue;
      const narrowed =
        a === undefined || (typeof a === 'number' && typeof b === 'number' && tighter(a, b));
      changes.push(
        change(
          path,
          narrowed ? 'type-narrowed' : 'type-widened',
          `${key} ${show(a)} -> ${show(b)}`,
        ),
      );
    }
  }
  for (const key of OPAQUE_CONSTRAINTS) {
    if (!isDeepStrictEqual(before[key], after[key])) {
      changes.push(
        change(path, 'constraint-changed', `${key} ${show(before[key])} -> ${show(after[key])}`),
      );
    }
  }
  return changes;
};

const compareEnums = (before: JsonSchema, after: JsonSchema, path: string): SchemaChange[] => {
  const a = Array.isArray(before['enum']) ? before['enum'] : undefined;
  const b = Array.isArray(after['enum']) ? after['enum'] : undefined;
  if (a === undefined && b === undefined) return [];
  if (a === undefined || b === undefined) {
    return [
      change(
        path,
        a === undefined ? 'type-narrowed' : 'type-widened',
        `enum ${show(a)} -> ${show(b)}`,
      ),
    ];
  }
  return [
    ...a
      .filter((value) => !b.includes(value))
      .map((value) => change(path, 'enum-value-removed', show(value))),
    ...b
      .filter((value) => !a.includes(value))
      .map((value) => change(path, 'enum-value-added', show(value))),
  ];
};

const compareObjects = (before: JsonSchema, after: JsonSchema, path: string): SchemaChange[] => {
  const a = asSchema(before['properties']);
  const b = asSchema(after['properties']);
  const requiredA = new Set(Array.isArray(before['required']) ? before['required'] : []);
  const requiredB = new Set(Array.isArray(after['required']) ? after['required'] : []);
  const added = Object.keys(b).filter((key) => !(key in a));
  const changes: SchemaChange[] = [];
  for (const key of Object.keys(a)) {
    const fieldPath = join(path, key);
    if (!(key in b)) {
      const hint = added.length > 0 ? ` (added: ${added.join(', ')})` : '';
      changes.push(change(fieldPath, 'field-removed', `'${key}' is gone${hint}`));
      continue;
    }
    if (!requiredA.has(key) && requiredB.has(key)) {
      changes.push(change(fieldPath, 'optional-made-required', `'${key}' is now required`));
    }
    if (requiredA.has(key) && !requiredB.has(key)) {
      changes.push(change(fieldPath, 'required-made-optional', `'${key}' is now optional`));
    }
    changes.push(...compareSchemas(a[key], b[key], fieldPath));
  }
  for (const key of added) {
    changes.push(
      requiredB.has(key)
        ? change(join(path, key), 'required-field-added', `'${key}' is new and required`)
        : change(join(path, key), 'optional-field-added', `'${key}' is new and optional`),
    );
  }
  return changes;
};

const compareUnions = (before: JsonSchema, after: JsonSchema, path: string): SchemaChange[] => {
  const key = 'anyOf' in before || 'anyOf' in after ? 'anyOf' : 'oneOf';
  const a = before[key];
  const b = after[key];
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) {
    return [change(path, 'type-changed', `${key} ${show(a)} -> ${show(b)}`)];
  }
  return a.flatMap((member, index) =>
    compareSchemas(member, b[index], `${path}<${key}[${index}]>`),
  );
};

/**
 * Lists every difference between the published schema of an event version and its current one,
 * each judged by a rule. Deny by default: a difference no rule recognises is `schema-changed`,
 * and breaking.
 *
 * @example
 * ```ts
 * compareSchemas(
 *   { type: 'object', properties: { total: { type: 'number' } }, required: ['total'] },
 *   { type: 'object', properties: { total: { type: 'string' } }, required: ['total'] },
 * );
 * // [{ path: 'total', rule: 'type-changed', breaking: true, detail: 'type "number" -> "string"' }]
 * ```
 */
export const compareSchemas = (published: unknown, current: unknown, path = ''): SchemaChange[] => {
  if (isDeepStrictEqual(published, current)) return [];
  const before = asSchema(published);
  const after = asSchema(current);
  if ('anyOf' in before || 'anyOf' in after || 'oneOf' in before || 'oneOf' in after) {
    return compareUnions(before, after, path);
  }
  const typesA = typesOf(before);
  const typesB = typesOf(after);
  if (!isDeepStrictEqual(typesA, typesB)) {
    const rule = isSubset(typesB, typesA)
      ? 'type-narrowed'
      : isSubset(typesA, typesB)
        ? 'type-widened'
        : 'type-changed';
    return [change(path, rule, `type ${show(before['type'])} -> ${show(after['type'])}`)];
  }
  if (!isDeepStrictEqual(before['const'], after['const'])) {
    const rule = before['const'] === undefined ? 'type-narrowed' : 'type-changed';
    return [change(path, rule, `const ${show(before['const'])} -> ${show(after['const'])}`)];
  }
  const changes = [
    ...compareEnums(before, after, path),
    ...compareBounds(before, after, path),
    ...compareObjects(before, after, path),
  ];
  if ('items' in before || 'items' in after) {
    changes.push(...compareSchemas(before['items'], after['items'], `${path}[]`));
  }
  const unhandled = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of unhandled) {
    if (HANDLED.has(key) || ANNOTATIONS.has(key)) continue;
    if (!isDeepStrictEqual(before[key], after[key])) {
      changes.push(
        change(path, 'schema-changed', `${key} ${show(before[key])} -> ${show(after[key])}`),
      );
    }
  }
  const annotationsChanged = [...ANNOTATIONS].some(
    (key) => !isDeepStrictEqual(before[key], after[key]),
  );
  if (annotationsChanged) changes.push(change(path, 'annotation-changed', 'documentation only'));
  return changes;
};
