import type { ExercisedCall } from './ExercisedCall.js';
import { covers, type Grant, type GrantedRole, grantsOf, matchesPattern } from './grantsOf.js';
import type { Justification } from './parseJustifications.js';

/** A justification, and the service whose manifest holds it (undefined: a construct's). */
export interface ScopedJustification extends Justification {
  readonly service: string | undefined;
}

/** A refused call, as the report lists it: what, on what, why, and which test made it. */
export interface DeniedCall {
  readonly principal: string | null;
  readonly endpoint: string;
  readonly action: string | null;
  readonly resource: string | null;
  readonly operation: string | null;
  readonly reason: string;
  readonly file: string;
  readonly test: string | null;
  readonly attack: boolean;
}

/** A grant no call used, and why it stays granted (undefined: no justification). */
export interface UnusedGrant extends Grant {
  readonly justification: ScopedJustification | undefined;
}

/** What one role was granted, what of it the system tests used, and what it was refused. */
export interface RoleAccess {
  readonly service: string;
  readonly name: string;
  readonly arn: string;
  readonly grants: readonly Grant[];
  /** Grants at least one allowed call used (but for the sometimes used). */
  readonly used: readonly Grant[];
  /** Grants a `sometimes-used-grant` names: used in some runs, whether or not in this one. */
  readonly sometimesUsed: readonly (Grant & { readonly justification: ScopedJustification })[];
  /** Calls allowed that no grant of the role covers (a resource policy allowed them). */
  readonly ungranted: readonly Grant[];
  readonly denied: readonly DeniedCall[];
  readonly unused: readonly UnusedGrant[];
}

export interface ExercisedAccess {
  readonly roles: readonly RoleAccess[];
  /** Calls refused before any role of the shop was known: unsigned, forged, from outside. */
  readonly unknownCallers: readonly DeniedCall[];
  /** What makes the check fail, each a sentence that says what to do. */
  readonly problems: readonly string[];
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/**
 * A resource with what differs from run to run left out: ids become `{id}`, a stream's label
 * (DynamoDB Local names streams by their creation time) becomes `*`.
 *
 * @example
 * ```ts
 * runIndependent('arn:…:service/svc-1/payments/0b8f5f7e-3c1a-4d2b-9e6f-1a2b3c4d5e6f'); // 'arn:…:service/svc-1/payments/{id}'
 * ```
 */
export const runIndependent = (resource: string): string =>
  resource.replace(UUID, '{id}').replace(/(:table\/[^/]+\/stream\/)[^/]+$/, '$1*');

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const deniedCall = (call: ExercisedCall): DeniedCall => ({
  principal: call.principal,
  endpoint: call.endpoint,
  action: call.action,
  resource: call.resource === null ? null : runIndependent(call.resource),
  operation: call.operation,
  reason: call.reason,
  file: call.file,
  test: call.test,
  attack: call.attack,
});

/** Each distinct denied call once, by file, test and call. */
const distinct = (calls: readonly DeniedCall[]): DeniedCall[] =>
  [...new Map(calls.map((call) => [JSON.stringify(call), call])).entries()]
    .sort(([a], [b]) => byText(a, b))
    .map(([, call]) => call);

const describeDenial = (call: DeniedCall) =>
  `${call.file}${call.test === null ? ' (outside any test)' : ` › ${call.test}`}: ${call.principal ?? 'anonymous'} was refused ${call.action ?? `${call.endpoint} ${call.operation}`} on ${call.resource ?? 'an unread resource'} (${call.reason})`;

const justifies = (justification: Justification, role: string, grant: Grant) =>
  matchesPattern(justification.role, role) &&
  matchesPattern(justification.action.toLowerCase(), grant.action.toLowerCase()) &&
  (justification.resource === undefined || matchesPattern(justification.resource, grant.resource));

const roleAccess = (
  role: GrantedRole,
  calls: readonly ExercisedCall[],
  justifications: readonly ScopedJustification[],
): RoleAccess => {
  const grants = grantsOf(role);
  const allowed = calls.filter((call) => call.decision === 'Allow' && call.action !== null);
  const usedBy = (grant: Grant) =>
    allowed.some((call) => covers(grant, String(call.action), String(call.resource)));
  const justification = (grant: Grant, marker: Justification['marker']) =>
    justifications.find((j) => j.marker === marker && justifies(j, role.name, grant));
  const sometimes = (grant: Grant) => justification(grant, 'sometimes-used-grant') !== undefined;
  const ungranted = new Map<string, Grant>();
  for (const call of allowed) {
    const action = String(call.action);
    const resource = runIndependent(String(call.resource));
    if (!grants.some((grant) => covers(grant, action, String(call.resource))))
      ungranted.set(`${action} ${resource}`, { action, resource });
  }
  return {
    service: role.service,
    name: role.name,
    arn: role.arn,
    grants,
    used: grants.filter((grant) => !sometimes(grant) && usedBy(grant)),
    sometimesUsed: grants.flatMap((grant) => {
      const found = justification(grant, 'sometimes-used-grant');
      return found === undefined ? [] : [{ ...grant, justification: found }];
    }),
    ungranted: [...ungranted.values()].sort((a, b) =>
      byText(`${a.action} ${a.resource}`, `${b.action} ${b.resource}`),
    ),
    denied: distinct(calls.filter((call) => call.decision === 'Deny').map(deniedCall)),
    unused: grants
      .filter((grant) => !sometimes(grant) && !usedBy(grant))
      .map((grant) => ({ ...grant, justification: justification(grant, 'unused-grant') })),
  };
};

const unjustified = (role: RoleAccess, grant: Grant) =>
  `${role.name} is granted ${grant.action} on ${grant.resource}, which no system test uses: remove the grant, or say why it is granted where it is declared, with '// unused-grant ${role.name} ${grant.action} ${grant.resource}: <reason>'`;

/** What is wrong with the justifications: stale, twice, or in another service's manifest. */
const justificationProblems = (
  roles: readonly RoleAccess[],
  justifications: readonly ScopedJustification[],
): string[] => [
  ...roles.flatMap((role) =>
    role.grants.flatMap((grant) => {
      const all = justifications.filter((j) => justifies(j, role.name, grant));
      return all.length > 1
        ? [
            `${role.name} ${grant.action} ${grant.resource} is justified more than once (${all.map((j) => j.at).join(', ')}): keep one`,
          ]
        : [];
    }),
  ),
  ...justifications.flatMap((justification) => {
    const named = roles.flatMap((role) =>
      role.grants
        .filter((grant) => justifies(justification, role.name, grant))
        .map((grant) => ({ role, grant, used: role.used.includes(grant) })),
    );
    const header = `${justification.at}: '${justification.marker} ${justification.role} ${justification.action}${justification.resource === undefined ? '' : ` ${justification.resource}`}'`;
    if (named.length === 0) return [`${header} names no grant of any role: remove it`];
    const problems: string[] = [];
    const used = named.filter((n) => n.used && justification.marker === 'unused-grant');
    if (used.length > 0)
      problems.push(
        `${header} names grants the system tests use (${used.map((n) => `${n.role.name} ${n.grant.action} ${n.grant.resource}`).join('; ')}): narrow it to the unused ones, or remove it`,
      );
    const foreign = named.filter(
      (n) => justification.service !== undefined && n.role.service !== justification.service,
    );
    if (foreign.length > 0)
      problems.push(
        `${header} is in ${justification.service}'s manifest but names ${[...new Set(foreign.map((n) => n.role.name))].join(', ')}: a manifest justifies its own service's grants`,
      );
    return problems;
  }),
];

/**
 * Matches the calls the system tests saw judged against every role's grants: per role, the grants
 * its calls used, those used in some runs only (`sometimes-used-grant`, listed whatever this run
 * did, so that the report does not change from run to run), the calls it was refused, and the
 * grants no call used with the justification of each. Problems: a file without records, a call
 * refused in a test not tagged `attack`, an unused grant without a justification, a
 * justification that is stale (names no grant, or an `unused-grant` that names a used one),
 * twice, or in another service's manifest, and a Lattice request the gateway allowed that the
 * caller's role does not grant.
 *
 * @example
 * ```ts
 * const access = exercisedAccess({ roles, records, files: ['saga.test.ts'], justifications });
 * access.problems; // [] when least privilege is proven both ways
 * ```
 */
export const exercisedAccess = (props: {
  readonly roles: readonly GrantedRole[];
  /** Each test file's recorded calls, by file name. */
  readonly records: ReadonlyMap<string, readonly ExercisedCall[]>;
  /** The test files that start a shop: each must have recorded. */
  readonly files: readonly string[];
  readonly justifications: readonly ScopedJustification[];
}): ExercisedAccess => {
  const calls = [...props.records.values()].flat();
  const shopRoles = new Set(props.roles.map((role) => role.arn));
  const roles = props.roles.map((role) =>
    roleAccess(
      role,
      calls.filter((call) => call.roleArn === role.arn),
      props.justifications,
    ),
  );
  const unknownCallers = distinct(
    calls
      .filter((call) => call.decision === 'Deny' && !shopRoles.has(call.roleArn ?? ''))
      .map(deniedCall),
  );
  const problems = [
    ...props.files
      .filter((file) => !props.records.has(file))
      .map(
        (file) =>
          `No calls are recorded for ${file}: run the system tests (npx vitest run in test/system), all of them, first`,
      ),
    ...[...roles.flatMap((role) => role.denied), ...unknownCallers]
      .filter((call) => !call.attack)
      .map((call) => `A call was refused in a test not tagged 'attack': ${describeDenial(call)}`),
    ...roles.flatMap((role) =>
      role.ungranted
        .filter((grant) => grant.action.toLowerCase() === 'vpc-lattice-svcs:invoke')
        .map(
          (grant) =>
            `${role.name} invoked ${grant.resource}, which the Lattice auth policies allow but its role does not grant: AWS would refuse it`,
        ),
    ),
    ...roles.flatMap((role) =>
      role.unused
        .filter((grant) => grant.justification === undefined)
        .map((grant) => unjustified(role, grant)),
    ),
    ...justificationProblems(roles, props.justifications),
  ];
  return { roles, unknownCallers, problems };
};
