import type { ServiceManifest } from '@shop/contracts';
import type { FunctionTopology, ServiceTopology } from '@shop/topology';

/** The resources of a synthesized template, by logical id. */
export type Resources = Readonly<
  Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>
>;

/** One way into one function, and the identity checks a request passes before it runs. */
export interface EntryPoint {
  readonly functionName: string;
  readonly trigger: string;
  /** The route, query, queue or header the function is reached through. */
  readonly entry: string;
  /** Who the function's resource policy (or event source mapping) lets invoke it. */
  readonly invokedBy: string;
  readonly checks: string;
}

/** A service's entry points and every way in that has no identity check in front of it. */
export interface Inventory {
  readonly entryPoints: readonly EntryPoint[];
  readonly problems: readonly string[];
}

const mentions = (value: unknown, logicalId: string) =>
  JSON.stringify(value ?? null).includes(`"${logicalId}"`);

const idsOf = (resources: Resources, type: string, refersTo?: string) =>
  Object.entries(resources)
    .filter(([, resource]) => resource.Type === type)
    .filter(([, resource]) => refersTo === undefined || mentions(resource.Properties, refersTo))
    .map(([id]) => id);

/** Who one `AWS::Lambda::Permission` lets invoke its function, or undefined if no one we know. */
const permissionKind = (resources: Resources, properties: Record<string, unknown>) => {
  const { Principal, SourceArn } = properties;
  const [restApi] = idsOf(resources, 'AWS::ApiGateway::RestApi');
  const [stage] = idsOf(resources, 'AWS::ApiGateway::Stage');
  const [targetGroup] = idsOf(resources, 'AWS::VpcLattice::TargetGroup');
  const staffTargets = idsOf(resources, 'AWS::ElasticLoadBalancingV2::TargetGroup').map((id) =>
    String(resources[id]?.Properties?.['Name']),
  );
  if (Principal === 'apigateway.amazonaws.com' && restApi && mentions(SourceArn, restApi)) {
    if (JSON.stringify(SourceArn).includes('/authorizers/')) return 'api-authorizer';
    if (stage && mentions(SourceArn, stage)) return 'api-stage';
  }
  if (Principal === 'vpc-lattice.amazonaws.com' && targetGroup && mentions(SourceArn, targetGroup))
    return 'lattice-target';
  if (
    Principal === 'elasticloadbalancing.amazonaws.com' &&
    staffTargets.some((name) => JSON.stringify(SourceArn).includes(`:targetgroup/${name}/*`))
  )
    return 'staff-target';
  return undefined;
};

/**
 * The only permission kind each trigger may have; a queue function is invoked by its mapping, a
 * scheduled one by its schedule's role (an identity policy, no resource policy).
 */
const EXPECTED_PERMISSIONS: Readonly<Record<string, readonly string[]>> = {
  rest: ['api-stage'],
  authorizer: ['api-authorizer'],
  lattice: ['lattice-target'],
  staff: ['staff-target'],
  queue: [],
  schedule: [],
};

/** Whether the queue's policy lets only EventBridge send, and only from one rule. */
const onlyTheBusSends = (resources: Resources, queue: string) => {
  const [rule] = idsOf(resources, 'AWS::Events::Rule');
  const statements = idsOf(resources, 'AWS::SQS::QueuePolicy', queue).flatMap(
    (id) =>
      (
        resources[id]?.Properties?.['PolicyDocument'] as
          | { Statement?: Record<string, unknown>[] }
          | undefined
      )?.Statement ?? [],
  );
  return statements
    .filter((statement) => statement['Effect'] === 'Allow')
    .every(
      (statement) =>
        JSON.stringify(statement['Principal']) ===
          JSON.stringify({ Service: 'events.amazonaws.com' }) &&
        mentions(statement['Condition'], rule ?? '?'),
    );
};

/** One row of the inventory for one function. */
const rowOf =
  (fn: FunctionTopology) =>
  (entry: string, invokedBy: string, checks: string): EntryPoint => ({
    functionName: fn.functionName,
    trigger: fn.trigger,
    entry,
    invokedBy,
    checks,
  });

const restEntries = (
  fn: FunctionTopology,
  manifest: ServiceManifest,
  topology: ServiceTopology,
  actions: ReadonlySet<string>,
): { rows: EntryPoint[]; problems: string[] } => {
  const routes = Object.values(manifest.functions[fn.handler]?.routes ?? {});
  const api = topology.restApi;
  const staff = topology.staffRoute;
  return {
    rows: routes.map((route) =>
      fn.trigger === 'staff'
        ? rowOf(fn)(
            `${route.method} ${staff?.prefix}${route.path}`,
            `staff load balancer, rule \`${staff?.pathPattern}\`, its target group only`,
            `Verified Access (staff group policy: staff pool token, device posture), staff ID token and signed user context of the same user, Cedar \`${route.action}\``,
          )
        : rowOf(fn)(
            `${route.method} ${route.path}`,
            `API Gateway \`${api?.apiName}\`, stage live`,
            `Cognito ID token (${api?.authorizerFunctionName}), Cedar \`${route.action}\``,
          ),
    ),
    problems: routes
      .filter((route) => !actions.has(route.action))
      .map(
        (route) =>
          `${fn.functionName}: ${route.method} ${route.path} asks Cedar about \`${route.action}\`, which ${manifest.name}'s schema does not declare`,
      ),
  };
};

/** What stands in front of one function, per trigger, as rows of the inventory. */
const entriesOf = (
  fn: FunctionTopology,
  manifest: ServiceManifest,
  topology: ServiceTopology,
  actions: ReadonlySet<string>,
): { rows: EntryPoint[]; problems: string[] } => {
  const row = rowOf(fn);
  const lattice = topology.latticeService;
  switch (fn.trigger) {
    case 'rest':
    case 'staff':
      return restEntries(fn, manifest, topology, actions);
    case 'authorizer':
      return {
        rows: [
          row(
            `Authorization header on \`${topology.restApi?.apiName}\``,
            `API Gateway \`${topology.restApi?.apiName}\`, its authorizer only`,
            'it is the check: verifies the Cognito ID token, or 401',
          ),
        ],
        problems: [],
      };
    case 'queue':
      return {
        rows: [
          row(
            `queue \`${topology.consumer?.queueName}\``,
            'its event source mapping (no resource policy)',
            `queue policy: only EventBridge, from rule \`${topology.consumer?.ruleName}\``,
          ),
        ],
        problems: [],
      };
    case 'schedule': {
      const schedule = topology.schedules.find((s) => s.functionName === fn.functionName);
      return {
        rows: [
          row(
            `schedule \`${schedule?.scheduleName}\`, ${schedule?.expression}`,
            `EventBridge Scheduler, as role \`${schedule?.roleName}\` (no resource policy)`,
            'IAM: only its schedule’s role may invoke it, and that role nothing else; it takes no input',
          ),
        ],
        problems: schedule === undefined ? [`${fn.functionName}: no schedule`] : [],
      };
    }
    case 'lattice': {
      const callers = (name: string) =>
        (lattice?.callers ?? [])
          .filter((caller) => caller.routes.some((route) => route.name === name))
          .map((caller) => caller.service);
      const routes = lattice?.routes ?? [];
      return {
        rows: routes.map((route) =>
          row(
            `${route.method} ${route.path}`,
            `VPC Lattice \`${lattice?.latticeServiceName}\`, its target group only`,
            `SigV4 (AWS_IAM), auth policy: ${callers(route.name).join(', ') || 'nobody'}'s roles, Cedar \`${route.name}\``,
          ),
        ),
        problems: routes
          .filter((route) => !actions.has(route.name))
          .map((route) => `${fn.functionName}: Cedar has no action \`${route.name}\``),
      };
    }
  }
};

/** What the template lets reach one function, against what its trigger allows. */
const templateProblems = (
  fn: Pick<FunctionTopology, 'functionName' | 'trigger'>,
  resources: Resources,
): string[] => {
  const [logicalId] = Object.entries(resources)
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
    .filter(([, r]) => r.Properties?.['FunctionName'] === fn.functionName)
    .map(([id]) => id);
  if (logicalId === undefined) return [`${fn.functionName}: not in the template`];
  const kinds = idsOf(resources, 'AWS::Lambda::Permission')
    .filter((id) => mentions(resources[id]?.Properties?.['FunctionName'], logicalId))
    .map((id) => permissionKind(resources, resources[id]?.Properties ?? {}) ?? id);
  const mappings = idsOf(resources, 'AWS::Lambda::EventSourceMapping').filter((id) =>
    mentions(resources[id]?.Properties?.['FunctionName'], logicalId),
  );
  const expected = EXPECTED_PERMISSIONS[fn.trigger] ?? [];
  const problems = kinds
    .filter((kind) => !expected.includes(kind))
    .map((kind) => `${fn.functionName}: permission ${kind} lets a caller in without its checks`);
  if (expected.length > 0 && !kinds.some((kind) => expected.includes(kind)))
    problems.push(`${fn.functionName}: nothing may invoke it through its ${fn.trigger} trigger`);
  if ((fn.trigger === 'queue') !== (mappings.length === 1))
    problems.push(`${fn.functionName}: ${mappings.length} event source mappings`);
  for (const mapping of mappings) {
    const queue = idsOf(resources, 'AWS::SQS::Queue').find((id) =>
      mentions(resources[mapping]?.Properties?.['EventSourceArn'], id),
    );
    if (queue === undefined || !onlyTheBusSends(resources, queue))
      problems.push(`${fn.functionName}: its queue takes messages from more than the bus`);
  }
  return problems;
};

/** The logical id of a resource of a type by its name property, if the template has one. */
const idNamed = (resources: Resources, type: string, property: string, name: string) =>
  Object.entries(resources).find(
    ([, r]) => r.Type === type && r.Properties?.[property] === name,
  )?.[0];

/**
 * The one grant a schedule needs (its role may invoke its function), or why it is not sound:
 * missing, aimed at another target, or a role more than EventBridge Scheduler may assume.
 */
const scheduleGrant = (
  schedule: ServiceTopology['schedules'][number],
  resources: Resources,
): { readonly roles: string; readonly resource: string } | string => {
  const id = idNamed(resources, 'AWS::Scheduler::Schedule', 'Name', schedule.scheduleName);
  if (id === undefined) return `${schedule.scheduleName}: no schedule`;
  const target = resources[id]?.Properties?.['Target'] as
    | { readonly Arn?: unknown; readonly RoleArn?: { readonly 'Fn::GetAtt'?: unknown[] } }
    | undefined;
  const fn = idNamed(resources, 'AWS::Lambda::Function', 'FunctionName', schedule.functionName);
  const resource = JSON.stringify({ 'Fn::GetAtt': [fn, 'Arn'] });
  if (JSON.stringify(target?.Arn) !== resource) {
    return `${schedule.scheduleName}: invokes another target than ${schedule.functionName}`;
  }
  const role = String(target?.RoleArn?.['Fn::GetAtt']?.[0]);
  const trust = JSON.stringify(resources[role]?.Properties?.['AssumeRolePolicyDocument'] ?? null);
  if (!trust.includes('"scheduler.amazonaws.com"') || trust.includes('"AWS"')) {
    return `${schedule.scheduleName}: its role may be assumed by more than EventBridge Scheduler`;
  }
  return { roles: JSON.stringify([{ Ref: role }]), resource };
};

/**
 * Each schedule invokes its function as its own role, which only EventBridge Scheduler may
 * assume; that role may invoke its function and nothing else, and no other role may invoke any.
 */
const scheduleProblems = (topology: ServiceTopology, resources: Resources): string[] => {
  const grants = topology.schedules.map((schedule) => scheduleGrant(schedule, resources));
  const problems = grants.filter((grant): grant is string => typeof grant === 'string');
  const needed = grants.filter((grant) => typeof grant !== 'string');
  for (const id of idsOf(resources, 'AWS::IAM::Policy')) {
    const properties = resources[id]?.Properties ?? {};
    const roles = JSON.stringify(properties['Roles']);
    const statements =
      (properties['PolicyDocument'] as { Statement?: Record<string, unknown>[] } | undefined)
        ?.Statement ?? [];
    for (const statement of statements) {
      if (!JSON.stringify(statement['Action'] ?? null).includes('"lambda:')) continue;
      const resource = JSON.stringify(statement['Resource'] ?? null);
      if (!needed.some((grant) => grant.roles === roles && grant.resource === resource)) {
        problems.push(`a role may invoke ${resource}`);
      }
    }
  }
  return problems;
};

/** Every REST method must run the API's Lambda authorizer first. */
const unauthorizedMethods = (resources: Resources): string[] => {
  const [authorizer] = idsOf(resources, 'AWS::ApiGateway::Authorizer');
  return idsOf(resources, 'AWS::ApiGateway::Method')
    .filter((id) => {
      const method = resources[id]?.Properties ?? {};
      return method['AuthorizationType'] !== 'CUSTOM' || !mentions(method, authorizer ?? '?');
    })
    .map((id) => `REST method ${id} runs without the API's authorizer`);
};

/**
 * A service's entry-point inventory: each function of its manifest, its trigger, and the identity
 * checks in front of it, derived from the manifest and its synthesized template; and every way
 * in the template opens that skips them.
 *
 * @example
 * ```ts
 * const { entryPoints, problems } = entryPointInventory(orderService, topology, resources, actions);
 * ```
 */
export const entryPointInventory = (
  manifest: ServiceManifest,
  topology: ServiceTopology,
  resources: Resources,
  cedarActions: ReadonlySet<string>,
): Inventory => {
  const perFunction = topology.functions.map((fn) => {
    const { rows, problems } = entriesOf(fn, manifest, topology, cedarActions);
    return { rows, problems: [...problems, ...templateProblems(fn, resources)] };
  });
  const known = new Set(topology.functions.map((fn) => fn.functionName));
  const strangers = Object.values(resources)
    .filter((r) => r.Type === 'AWS::Lambda::Function')
    .map((r) => String(r.Properties?.['FunctionName']))
    .filter((name) => !known.has(name))
    .map((name) => `${name}: a function its manifest does not declare`);
  return {
    entryPoints: perFunction.flatMap((fn) => fn.rows),
    problems: [
      ...perFunction.flatMap((fn) => fn.problems),
      ...unauthorizedMethods(resources),
      ...scheduleProblems(topology, resources),
      ...strangers,
    ],
  };
};

/** The console's rule on the staff listener: its function, path pattern and priority. */
export interface ConsoleRoute {
  readonly functionName: string;
  readonly pathPattern: string;
  readonly priority: number;
}

/**
 * The staff console's entry points (ADR 0025), from its synthesized template: its pages and its
 * three reads behind the staff load balancer's rule, and every way in the template opens that
 * skips the staff entry's checks (a permission for any other principal or source, a rule other
 * than its own, a function it does not declare).
 *
 * @example
 * ```ts
 * const { entryPoints, problems } = consoleEntryPoints(CONSOLE_ROUTE, resources);
 * ```
 */
export const consoleEntryPoints = (route: ConsoleRoute, resources: Resources): Inventory => {
  const fn = { functionName: route.functionName, trigger: 'staff' } as const;
  const prefix = route.pathPattern.replace(/\/\*$/, '');
  const invokedBy = `staff load balancer, rule \`${route.pathPattern}\`, its target group only`;
  const staffEntry =
    'Verified Access (staff group policy: staff pool token, device posture), staff ID token and signed user context of the same user';
  const row = (entry: string, checks: string): EntryPoint => ({
    functionName: route.functionName,
    trigger: fn.trigger,
    entry,
    invokedBy,
    checks,
  });
  const reads =
    'reads only what its own role may (audit and decision logs, queue counts), no Cedar';
  const rules = Object.values(resources).filter(
    (r) => r.Type === 'AWS::ElasticLoadBalancingV2::ListenerRule',
  );
  const ruleProblems = rules
    .filter(
      (rule) =>
        JSON.stringify(rule.Properties?.['Conditions']) !==
          JSON.stringify([
            { Field: 'path-pattern', PathPatternConfig: { Values: [route.pathPattern] } },
          ]) || rule.Properties?.['Priority'] !== route.priority,
    )
    .map(() => `${route.functionName}: a listener rule other than \`${route.pathPattern}\``);
  const strangers = Object.values(resources)
    .filter((r) => r.Type === 'AWS::Lambda::Function')
    .map((r) => String(r.Properties?.['FunctionName']))
    .filter((name) => name !== route.functionName)
    .map((name) => `${name}: a function the console does not declare`);
  return {
    entryPoints: [
      row(
        `GET ${prefix}/* (pages)`,
        'Verified Access (staff group policy: staff pool token, device posture) and its signed user context; static files, their callback and their sign-in configuration only (the pages sign in with PKCE, ADR 0026)',
      ),
      ...['map', 'timeline?orderId=', 'decisions'].map((read) =>
        row(
          `GET ${prefix}/api/${read}`,
          `${staffEntry} (the token from \`Authorization\` only); ${reads}`,
        ),
      ),
    ],
    problems: [
      ...templateProblems(fn, resources),
      ...(rules.length === 1 ? [] : [`${route.functionName}: ${rules.length} listener rules`]),
      ...ruleProblems,
      ...strangers,
    ],
  };
};
