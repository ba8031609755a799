/** A role as the stacks synthesize it: its name, its ARN and its identity policy's statements. */
export interface GrantedRole {
  readonly service: string;
  /** The function it runs, or `<service>-outbox-pipe`. */
  readonly name: string;
  readonly arn: string;
  readonly statements: readonly unknown[];
}

/** One action a role is allowed on one resource pattern: the unit that is used or unused. */
export interface Grant {
  readonly action: string;
  /** As granted: an ARN, an ARN with wildcards, or `*`. */
  readonly resource: string;
}

const listOf = (value: unknown, key: string): string[] => {
  const values = Array.isArray(value) ? value : [value];
  if (values.length === 0 || values.some((item) => typeof item !== 'string'))
    throw new Error(`A statement's ${key} is not a string or a list of strings`);
  return values as string[];
};

/**
 * Every (action, resource) pair a role's identity policy allows, each once, in policy order.
 * Only `Allow` statements with `Action` and `Resource` are read: anything else (a `Deny`,
 * `NotAction`, `NotResource`) throws, so a policy this reading cannot judge is never misread.
 *
 * @example
 * ```ts
 * grantsOf({ service: 'order', name: 'order-outbox-pipe', arn, statements: [
 *   { Effect: 'Allow', Action: 'dynamodb:ListStreams', Resource: '*' },
 * ] }); // [{ action: 'dynamodb:ListStreams', resource: '*' }]
 * ```
 */
export const grantsOf = (role: GrantedRole): Grant[] => {
  const grants = new Map<string, Grant>();
  for (const statement of role.statements) {
    const { Effect, Action, Resource, ...rest } = statement as Record<string, unknown>;
    const unread = Object.keys(rest).filter((key) => key !== 'Sid' && key !== 'Condition');
    if (Effect !== 'Allow' || unread.length > 0)
      throw new Error(`${role.name}: cannot read a statement ${JSON.stringify(statement)}`);
    for (const action of listOf(Action, 'Action'))
      for (const resource of listOf(Resource, 'Resource'))
        grants.set(`${action} ${resource}`, { action, resource });
  }
  return [...grants.values()];
};

/** An IAM wildcard pattern (`*` any run of characters, `?` one) as a regular expression. */
const patternOf = (pattern: string, flags: string) =>
  new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
      .join('')}$`,
    flags,
  );

/**
 * Whether a value matches an IAM-style pattern: `*` matches any run of characters (`/` and `:`
 * too), `?` one character.
 *
 * @example
 * ```ts
 * matchesPattern('arn:aws:dynamodb:*:*:table/shop-order/stream/*', streamArn); // true
 * ```
 */
export const matchesPattern = (pattern: string, value: string): boolean =>
  patternOf(pattern, '').test(value);

/**
 * Whether a grant allows an action on a resource, as IAM matches them: actions without regard
 * to case (`sqs:sendmessage` is `sqs:SendMessage`), resources with wildcards.
 *
 * @example
 * ```ts
 * covers({ action: 'dynamodb:GetRecords', resource: 'arn:…:table/shop-order/stream/*' },
 *   'dynamodb:GetRecords', 'arn:…:table/shop-order/stream/2026-01-01T00:00:00.000'); // true
 * ```
 */
export const covers = (grant: Grant, action: string, resource: string): boolean =>
  patternOf(grant.action, 'i').test(action) && matchesPattern(grant.resource, resource);
