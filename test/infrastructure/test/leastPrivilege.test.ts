import { SERVICE_NAMES, type ServiceName, type TableAccess } from '@shop/contracts';
import { PlatformStack } from '@shop/platform';
import type { Json, TemplateJson } from '@shop/service-stack/resolved-access';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { managedPolicy, withShopNetwork } from './deployPrivilege.js';
import {
  ACCOUNT,
  type Cell,
  evaluate,
  latticeServiceArn,
  type Outcome,
  OWN_POLICY_STORE,
  policyStoreArn,
  REGION,
  type ResolvedRole,
  resolve,
  rolesOf,
} from './leastPrivilege.js';
import { topology } from './shop.js';
import { synthesizeDeployIdentities, synthesizeServices } from './stacks.js';

const arn = (service: string, resource: string) =>
  `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;
const table = (svc: ServiceName) => arn('dynamodb', `table/shop-${svc}`);
const idempotency = (svc: ServiceName) => arn('dynamodb', `table/shop-${svc}-idempotency`);
const stream = (svc: ServiceName) => `${table(svc)}/stream/2026-01-01T00:00:00.000`;
const queue = (name: string) => arn('sqs', name);
const BUS = arn('events', 'event-bus/shop');
const putEvents = (source: string, expected: Cell['expected']): Cell => ({
  action: 'events:PutEvents',
  resource: BUS,
  context: { 'events:source': [source] },
  expected,
});
const allowed = (action: string, resource: string): Cell => ({
  action,
  resource,
  expected: 'Allowed',
});
const ORDER_ID = '0b8f5f7e-3c1a-4d2b-9e6f-1a2b3c4d5e6f';
const invoke = (
  service: ServiceName,
  path: string,
  expected: Cell['expected'],
  method = 'GET',
): Cell => ({
  action: 'vpc-lattice-svcs:Invoke',
  resource: `${latticeServiceArn(service)}${path}`,
  context: { 'vpc-lattice-svcs:RequestMethod': method },
  expected,
});
/** Attaching a function to the VPC: Lambda calls these with the function's role. */
const vpcAccess = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DeleteNetworkInterface',
].map((action) => allowed(action, '*'));

/** Powertools idempotency keeps records one item at a time. */
const idempotencyRecords = (svc: ServiceName): Cell[] =>
  ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'].map((action) =>
    allowed(`dynamodb:${action}`, idempotency(svc)),
  );

const consumerNeeds = (svc: ServiceName, tableActions: readonly string[]): Cell[] => [
  ...tableActions.map((action) => allowed(`dynamodb:${action}`, table(svc))),
  ...idempotencyRecords(svc),
  ...['ReceiveMessage', 'DeleteMessage', 'ChangeMessageVisibility'].map((action) =>
    allowed(`sqs:${action}`, queue(`${svc}-events`)),
  ),
  allowed('sqs:SendMessage', queue(`${svc}-events-dlq`)),
];

/** The staff routes on dead letters: peek at the DLQ and count it, move its messages back. */
const redrives = (svc: ServiceName): Cell[] => [
  allowed('sqs:ReceiveMessage', queue(`${svc}-events-dlq`)),
  allowed('sqs:DeleteMessage', queue(`${svc}-events-dlq`)),
  allowed('sqs:GetQueueAttributes', queue(`${svc}-events-dlq`)),
  allowed('sqs:SendMessage', queue(`${svc}-events`)),
];

/** What each role needs: every call its code makes, on its own resources. */
const NEEDS: Readonly<Record<string, readonly Cell[]>> = {
  'order-events': consumerNeeds('order', ['GetItem', 'PutItem']),
  'order-api': [
    allowed('dynamodb:GetItem', table('order')),
    allowed('dynamodb:PutItem', table('order')),
    allowed('dynamodb:Query', `${table('order')}/index/by-entity`),
    ...idempotencyRecords('order'),
    invoke('inventory', '/products', 'Allowed'),
    invoke('payment', `/payments/${ORDER_ID}`, 'Allowed'),
    ...vpcAccess,
  ],
  'order-staff': [
    allowed('dynamodb:Query', `${table('order')}/index/by-entity`),
    ...redrives('order'),
  ],
  'order-authorizer': [],
  'order-expire-orders': [
    allowed('dynamodb:GetItem', table('order')),
    allowed('dynamodb:PutItem', table('order')),
    allowed('dynamodb:Query', `${table('order')}/index/by-deadline`),
  ],
  'order-expire-orders-schedule': [
    allowed('lambda:InvokeFunction', arn('lambda', 'function:order-expire-orders')),
  ],
  'inventory-api': [
    allowed('dynamodb:BatchGetItem', table('inventory')),
    allowed('dynamodb:Query', `${table('inventory')}/index/by-entity`),
  ],
  'inventory-staff': [
    allowed('dynamodb:BatchGetItem', table('inventory')),
    allowed('dynamodb:UpdateItem', table('inventory')),
    ...redrives('inventory'),
  ],
  'inventory-authorizer': [],
  'payment-staff': [allowed('dynamodb:GetItem', table('payment')), ...redrives('payment')],
  'inventory-events': consumerNeeds('inventory', [
    'GetItem',
    'BatchGetItem',
    'PutItem',
    'UpdateItem',
  ]),
  'inventory-queries': [
    allowed('dynamodb:BatchGetItem', table('inventory')),
    allowed('dynamodb:Query', `${table('inventory')}/index/by-entity`),
  ],
  'payment-events': consumerNeeds('payment', ['GetItem', 'PutItem']),
  'payment-queries': [allowed('dynamodb:GetItem', table('payment'))],
  ...Object.fromEntries(
    SERVICE_NAMES.map((svc) => [
      `${svc}-outbox-pipe`,
      [
        ...['DescribeStream', 'GetRecords', 'GetShardIterator'].map((action) =>
          allowed(`dynamodb:${action}`, stream(svc)),
        ),
        allowed('sqs:SendMessage', queue(`${svc}-outbox-dlq`)),
        putEvents(`shop.${svc}`, 'Allowed'),
      ],
    ]),
  ),
};

/** Whether a role runs an entry point (a function that is not a queue consumer nor a Pipe). */
const entryPoint = (name: string) =>
  name.endsWith('-api') || name.endsWith('-staff') || name.endsWith('-queries');
const ownStore = (name: string): Cell[] =>
  entryPoint(name)
    ? [allowed('verifiedpermissions:IsAuthorized', policyStoreArn(OWN_POLICY_STORE))]
    : [];

/** A schedule's role, by the name it acts under. */
const scheduleOf = (roleName: string) =>
  topology.schedules.find((schedule) => schedule.roleName === roleName);

/**
 * The table access a function's manifest declares; a Pipe's role is not a function's, and a
 * schedule's role has none.
 */
const tableAccessOf = (roleName: string): TableAccess | 'none' | 'pipe' => {
  if (scheduleOf(roleName)) return 'none';
  const fn = topology.functions.find((candidate) => candidate.functionName === roleName);
  return fn === undefined ? 'pipe' : (fn.access.table ?? 'none');
};

/** Whether a role's function reads the due items of its table (by-deadline). */
const readsDeadlines = (roleName: string) =>
  topology.functions.some((fn) => fn.functionName === roleName && fn.access.deadlines === 'read');

/** What a function may not do on its own table, by the access its manifest declares. */
const BEYOND_ITS_TABLE_ACCESS: Readonly<
  Partial<Record<TableAccess | 'none' | 'pipe', readonly string[]>>
> = {
  none: ['GetItem', 'PutItem'],
  read: ['PutItem', 'UpdateItem'],
  write: ['GetItem', 'Query'],
  'read-write': [],
};

/** What no role may do, whatever it needs. */
const forbidden = (role: ResolvedRole): Cell[] => {
  const denied = (action: string, resource: string): Cell => ({
    action,
    resource,
    expected: 'Denied',
  });
  const others = SERVICE_NAMES.filter((svc) => svc !== role.service);
  const publishes = role.name.endsWith('-outbox-pipe');
  return [
    ...others.flatMap((svc) => [
      denied('dynamodb:GetItem', table(svc)),
      denied('dynamodb:PutItem', table(svc)),
      denied('dynamodb:GetItem', idempotency(svc)),
      denied('sqs:ReceiveMessage', queue(`${svc}-events`)),
      denied('sqs:SendMessage', queue(`${svc}-events`)),
      putEvents(`shop.${svc}`, 'Denied'),
    ]),
    ...(publishes ? [] : [putEvents(`shop.${role.service}`, 'Denied')]),
    denied('dynamodb:Scan', table(role.service)),
    denied('dynamodb:DeleteItem', table(role.service)),
    denied('dynamodb:DeleteTable', table(role.service)),
    ...(BEYOND_ITS_TABLE_ACCESS[tableAccessOf(role.name)] ?? []).map((action) =>
      denied(`dynamodb:${action}`, table(role.service)),
    ),
    ...(readsDeadlines(role.name)
      ? []
      : [denied('dynamodb:Query', `${table(role.service)}/index/by-deadline`)]),
    // Only a schedule's role invokes a function, and only the one it schedules.
    ...topology.functions
      .filter((fn) => fn.functionName !== scheduleOf(role.name)?.functionName)
      .map((fn) => denied('lambda:InvokeFunction', arn('lambda', `function:${fn.functionName}`))),
    // Lattice: only the queries a function calls, only GET, only the declared paths.
    ...(role.name === 'order-api'
      ? []
      : [
          invoke('inventory', '/products', 'Denied'),
          invoke('payment', `/payments/${ORDER_ID}`, 'Denied'),
        ]),
    invoke('inventory', '/products', 'Denied', 'PUT'),
    invoke('inventory', '/products/MUG-001/stock', 'Denied'),
    invoke('inventory', '/admin', 'Denied'),
    invoke('payment', `/payments/${ORDER_ID}/refund`, 'Denied', 'POST'),
    ...(NEEDS[role.name]?.some((cell) => cell.action.startsWith('ec2:'))
      ? []
      : [denied('ec2:CreateNetworkInterface', '*')]),
    // Verified Permissions: only its own store, and only from an entry point.
    ...(entryPoint(role.name)
      ? []
      : [denied('verifiedpermissions:IsAuthorized', policyStoreArn(OWN_POLICY_STORE))]),
    denied('verifiedpermissions:IsAuthorized', policyStoreArn('another-service-store')),
    denied('verifiedpermissions:CreatePolicy', policyStoreArn(OWN_POLICY_STORE)),
    denied('iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/any`),
    denied('iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/any`),
  ];
};

const busPolicy = () => {
  const template = Template.fromStack(
    new PlatformStack(new App(), 'ShopPlatform', { env: { account: ACCOUNT, region: REGION } }),
  );
  const statements = Object.values(template.findResources('AWS::Events::EventBusPolicy')).map(
    (policy) => resolve(template.toJSON() as never, policy['Properties']['Statement']),
  );
  return { Version: '2012-10-17', Statement: statements };
};

/** Each service's permissions boundary, which every role of its stack is created with. */
const boundaries = () => {
  const template = withShopNetwork(synthesizeDeployIdentities().template.toJSON() as TemplateJson);
  return Object.fromEntries(
    SERVICE_NAMES.map((svc) => [svc, managedPolicy(template, `shop-${svc}-boundary`)]),
  ) as unknown as Record<ServiceName, Json>;
};

/** The matrix of `roles`, under their boundaries unless `bounded` is false. */
const matrixOf = async (roles: readonly ResolvedRole[], bounded = true) => {
  const policy = busPolicy();
  const boundary = bounded ? boundaries() : undefined;
  const outcomes: Outcome[] = [];
  for (const role of roles) {
    outcomes.push(
      ...(await evaluate(
        role,
        [...(NEEDS[role.name] ?? []), ...ownStore(role.name), ...forbidden(role)],
        policy,
        boundary?.[role.service],
      )),
    );
  }
  return outcomes;
};

const deviations = (outcomes: readonly Outcome[]) =>
  outcomes.filter((o) => o.actual !== o.expected);

const markdown = (roles: readonly ResolvedRole[], outcomes: readonly Outcome[]) => {
  const short = (resource: string) =>
    resource.replace(`:${REGION}:${ACCOUNT}:`, ':…:').replace(`::${ACCOUNT}:`, '::…:');
  const lines = [
    '# Least privilege, proven',
    '',
    'Generated by `test/infrastructure/test/leastPrivilege.test.ts` from the synthesized service',
    "stacks and the platform's bus policy, evaluated with the IAM policy simulator",
    '`@cloud-copilot/iam-simulate` (AGPL-3.0, used only by tests and the local cloud). Every cell is',
    'a request and the decision it got; the test fails on any cell that differs from what is',
    'expected. Each role is evaluated under the permissions boundary it is created with (its',
    "service's, from the deploy identities app: see deploy-privilege.md). `vpc-lattice-svcs:Invoke`",
    "rows are the caller's identity policy and boundary; the Lattice auth policies it must also",
    'pass are evaluated by the local Lattice gateway on every request.',
    '',
    `${roles.length} roles, ${roles.reduce((sum, r) => sum + r.statements.length, 0)} policy statements, ${outcomes.length} cells: ${
      outcomes.filter((o) => o.actual === 'Allowed').length
    } allowed, ${outcomes.filter((o) => o.actual === 'Denied').length} denied.`,
  ];
  for (const role of roles) {
    const mine = outcomes.filter((o) => o.role === role.name);
    lines.push(
      '',
      `## ${role.name}`,
      '',
      '| Request | Resource | Decision |',
      '| --- | --- | --- |',
    );
    for (const o of mine) {
      const source = o.context?.['events:source'];
      const method = o.context?.['vpc-lattice-svcs:RequestMethod'];
      const detail = source ? ` (source ${String(source)})` : method ? ` (${String(method)})` : '';
      lines.push(`| ${o.action}${detail} | ${short(o.resource)} | ${o.actual} |`);
    }
  }
  return `${lines.join('\n')}\n`;
};

describe('least privilege, proven by policy simulation', () => {
  const { templates } = synthesizeServices();
  const roles = SERVICE_NAMES.flatMap((svc) => rolesOf(svc, templates[svc].toJSON() as never));
  let outcomes: Outcome[] = [];

  beforeAll(async () => {
    outcomes = await matrixOf(roles);
  });

  it('knows what every role needs', () => {
    expect(roles.map((r) => r.name).sort()).toEqual(Object.keys(NEEDS).sort());
  });

  it('allows each role what it needs and denies it everything else in the matrix', () => {
    expect(deviations(outcomes)).toEqual([]);
  });

  it('catches a deliberately over-broad grant', async () => {
    const orderApi = roles.find((r) => r.name === 'order-api');
    if (orderApi === undefined) throw new Error('no order-api role');
    const overBroad = {
      ...orderApi,
      statements: [
        ...orderApi.statements,
        { Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' },
        { Effect: 'Allow', Action: 'vpc-lattice-svcs:Invoke', Resource: '*' },
      ],
    };

    // Without the boundary, which would catch part of it on its own.
    const found = deviations(await matrixOf([overBroad], false));

    expect(found.map((d) => `${d.action} ${d.resource}`)).toEqual(
      expect.arrayContaining([
        `dynamodb:GetItem ${table('inventory')}`,
        `dynamodb:PutItem ${table('payment')}`,
        `dynamodb:Scan ${table('order')}`,
        `vpc-lattice-svcs:Invoke ${latticeServiceArn('inventory')}/products/MUG-001/stock`,
      ]),
    );
  });

  it('is documented in docs/security/least-privilege.md', async () => {
    await expect(markdown(roles, outcomes)).toMatchFileSnapshot(
      '../../../docs/security/least-privilege.md',
    );
  });
});
