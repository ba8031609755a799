import { describe, expect, it } from 'vitest';
import type { ExercisedCall } from '../../src/access/ExercisedCall.js';
import { exercisedAccess, type ScopedJustification } from '../../src/access/exercisedAccess.js';
import { renderExercisedAccess } from '../../src/access/renderExercisedAccess.js';

const ARN = 'arn:aws:dynamodb:eu-west-1:000000000000';
const TABLE = `${ARN}:table/shop-order`;
const DLQ = 'arn:aws:sqs:eu-west-1:000000000000:order-outbox-dlq';
const PIPE = {
  service: 'order',
  name: 'order-outbox-pipe',
  arn: 'arn:aws:iam::000000000000:role/shop/order/order-outbox-pipe',
  statements: [
    { Action: 'dynamodb:ListStreams', Effect: 'Allow', Resource: '*' },
    {
      Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords'],
      Effect: 'Allow',
      Resource: `${TABLE}/stream/*`,
    },
    { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: DLQ },
  ],
};
const API = {
  service: 'order',
  name: 'order-api',
  arn: 'arn:aws:iam::000000000000:role/shop/order/order-api-eu-west-1',
  statements: [
    {
      Action: 'vpc-lattice-svcs:Invoke',
      Condition: { StringEquals: { 'vpc-lattice-svcs:RequestMethod': 'GET' } },
      Effect: 'Allow',
      Resource: 'arn:aws:vpc-lattice:eu-west-1:000000000000:service/svc-1/payments/*',
    },
  ],
};

const call = (overrides: Partial<ExercisedCall>): ExercisedCall => ({
  file: 'saga.test.ts',
  test: 'the order saga > confirms a paid order',
  attack: false,
  endpoint: 'dynamodb',
  principal: 'arn:aws:sts::000000000000:assumed-role/order-outbox-pipe/order-outbox-pipe',
  roleArn: PIPE.arn,
  action: 'dynamodb:GetRecords',
  resource: `${TABLE}/stream/2026-05-01T10:00:00.123`,
  operation: 'GetRecords',
  decision: 'Allow',
  reason: 'IdentityPolicy',
  count: 3,
  ...overrides,
});

const justification = (overrides: Partial<ScopedJustification>): ScopedJustification => ({
  marker: 'unused-grant',
  role: '*-outbox-pipe',
  action: 'dynamodb:ListStreams',
  resource: undefined,
  reason: 'a Pipe lists the streams of its source table, and no resource narrows it',
  at: 'infra/service-stack/src/OutboxRelay.ts:12',
  service: undefined,
  ...overrides,
});

const dlqJustification = justification({
  action: 'sqs:SendMessage',
  reason: 'only what the Pipe fails to publish goes there',
});

const access = (
  calls: readonly ExercisedCall[],
  justifications: readonly ScopedJustification[],
  roles = [PIPE],
) =>
  exercisedAccess({
    roles,
    records: new Map([['saga.test.ts', calls]]),
    files: ['saga.test.ts'],
    justifications,
  });

describe('exercisedAccess', () => {
  it("counts a call on a stream's label as a use of the grant on every label", () => {
    const { roles, problems } = access(
      [call({}), call({ action: 'dynamodb:DescribeStream' })],
      [justification({}), dlqJustification],
    );

    expect(roles[0]?.used).toEqual([
      { action: 'dynamodb:DescribeStream', resource: `${TABLE}/stream/*` },
      { action: 'dynamodb:GetRecords', resource: `${TABLE}/stream/*` },
    ]);
    expect(roles[0]?.unused.map((grant) => [grant.action, grant.justification?.at])).toEqual([
      ['dynamodb:ListStreams', 'infra/service-stack/src/OutboxRelay.ts:12'],
      ['sqs:SendMessage', 'infra/service-stack/src/OutboxRelay.ts:12'],
    ]);
    expect(problems).toEqual([]);
  });

  it('matches actions without regard to case, as IAM does', () => {
    const { roles } = access(
      [call({ endpoint: 'sqs', action: 'sqs:sendmessage', resource: DLQ })],
      [justification({})],
    );

    expect(roles[0]?.used).toEqual([{ action: 'sqs:SendMessage', resource: DLQ }]);
  });

  it('fails on an unused grant that nothing justifies, saying how to justify it', () => {
    const { problems } = access([call({})], [justification({})]);

    expect(problems).toEqual([
      `order-outbox-pipe is granted dynamodb:DescribeStream on ${TABLE}/stream/*, which no system test uses: remove the grant, or say why it is granted where it is declared, with '// unused-grant order-outbox-pipe dynamodb:DescribeStream ${TABLE}/stream/*: <reason>'`,
      `order-outbox-pipe is granted sqs:SendMessage on ${DLQ}, which no system test uses: remove the grant, or say why it is granted where it is declared, with '// unused-grant order-outbox-pipe sqs:SendMessage ${DLQ}: <reason>'`,
    ]);
  });

  it('fails on a stale justification: one that names a used grant, or no grant at all', () => {
    const { problems } = access(
      [call({}), call({ action: 'dynamodb:DescribeStream' })],
      [
        justification({}),
        dlqJustification,
        justification({ action: 'dynamodb:GetRecords', at: 'a.ts:1' }),
        justification({ action: 'dynamodb:Scan', at: 'b.ts:2' }),
      ],
    );

    expect(problems).toEqual([
      `a.ts:1: 'unused-grant *-outbox-pipe dynamodb:GetRecords' names grants the system tests use (order-outbox-pipe dynamodb:GetRecords ${TABLE}/stream/*): narrow it to the unused ones, or remove it`,
      "b.ts:2: 'unused-grant *-outbox-pipe dynamodb:Scan' names no grant of any role: remove it",
    ]);
  });

  it("fails on a justification twice, and on one in a manifest that names another service's role", () => {
    const { problems } = access(
      [call({}), call({ action: 'dynamodb:DescribeStream' })],
      [
        justification({}),
        justification({ role: 'order-outbox-pipe', at: 'c.ts:3' }),
        justification({ ...dlqJustification, at: 'services/payment/service.ts:9' }),
      ].map((j, index) => (index === 2 ? { ...j, service: 'payment' } : j)),
    );

    expect(problems).toEqual([
      'order-outbox-pipe dynamodb:ListStreams * is justified more than once (infra/service-stack/src/OutboxRelay.ts:12, c.ts:3): keep one',
      "services/payment/service.ts:9: 'unused-grant *-outbox-pipe sqs:SendMessage' is in payment's manifest but names order-outbox-pipe: a manifest justifies its own service's grants",
    ]);
  });

  it('fails on a call refused in a test not tagged attack, and lists the refused attacks', () => {
    const denied = call({
      action: 'dynamodb:GetItem',
      resource: `${ARN}:table/shop-payment`,
      decision: 'Deny',
      reason: 'NoAllow',
    });
    const { roles, problems } = access(
      [
        call({}),
        call({ action: 'dynamodb:DescribeStream' }),
        denied,
        { ...denied, file: 'iam.test.ts', test: 'refuses', attack: true },
      ],
      [justification({}), dlqJustification],
    );

    expect(roles[0]?.denied.map((d) => [d.file, d.attack])).toEqual([
      ['iam.test.ts', true],
      ['saga.test.ts', false],
    ]);
    expect(problems).toEqual([
      `A call was refused in a test not tagged 'attack': saga.test.ts › the order saga > confirms a paid order: arn:aws:sts::000000000000:assumed-role/order-outbox-pipe/order-outbox-pipe was refused dynamodb:GetItem on ${ARN}:table/shop-payment (NoAllow)`,
    ]);
  });

  it('lists a sometimes used grant the same whether this run used it or not', () => {
    const sometimes = justification({
      marker: 'sometimes-used-grant',
      action: 'sqs:SendMessage',
      reason: 'when a batch cannot be published',
    });
    const calls = [call({}), call({ action: 'dynamodb:DescribeStream' })];
    const used = access(
      [...calls, call({ endpoint: 'sqs', action: 'sqs:SendMessage', resource: DLQ })],
      [justification({}), sometimes],
    );
    const unused = access(calls, [justification({}), sometimes]);

    expect(used.problems).toEqual([]);
    expect(unused.problems).toEqual([]);
    expect(used.roles).toEqual(unused.roles);
    expect(used.roles[0]?.sometimesUsed).toEqual([
      { action: 'sqs:SendMessage', resource: DLQ, justification: sometimes },
    ]);
    expect(used.roles[0]?.used.map((grant) => grant.action)).toEqual([
      'dynamodb:DescribeStream',
      'dynamodb:GetRecords',
    ]);
  });

  it('fails on a Lattice request the auth policies allowed but the role does not grant', () => {
    const lattice = (path: string) =>
      call({
        roleArn: API.arn,
        endpoint: 'vpc-lattice',
        action: 'vpc-lattice-svcs:Invoke',
        resource: `arn:aws:vpc-lattice:eu-west-1:000000000000:service/svc-1${path}`,
        operation: 'GET',
        reason: 'AuthPolicy',
      });
    const { roles, problems } = access(
      [lattice('/payments/0b8f5f7e-3c1a-4d2b-9e6f-1a2b3c4d5e6f'), lattice('/refunds')],
      [],
      [API],
    );

    expect(roles[0]?.used).toHaveLength(1);
    expect(problems).toEqual([
      'order-api invoked arn:aws:vpc-lattice:eu-west-1:000000000000:service/svc-1/refunds, which the Lattice auth policies allow but its role does not grant: AWS would refuse it',
    ]);
  });

  it('fails when a test file that starts a shop recorded nothing', () => {
    expect(
      exercisedAccess({ roles: [], records: new Map(), files: ['api.test.ts'], justifications: [] })
        .problems,
    ).toEqual([
      'No calls are recorded for api.test.ts: run the system tests (npx vitest run in test/system), all of them, first',
    ]);
  });
});

describe('renderExercisedAccess', () => {
  it('renders what varies from run to run not at all: no counts, no stream labels, no ids', () => {
    const once = renderExercisedAccess(
      access([call({ count: 3 })], [justification({}), dlqJustification]),
    );
    const again = renderExercisedAccess(
      access(
        [call({ count: 7, resource: `${TABLE}/stream/2027-01-01T00:00:00.000` })],
        [justification({}), dlqJustification],
      ),
    );

    expect(again).toBe(once);
    expect(once).toContain(
      '| dynamodb:GetRecords | arn:aws:dynamodb:…:table/shop-order/stream/* |',
    );
    expect(once).toContain(
      '| dynamodb:ListStreams | * | a Pipe lists the streams of its source table, and no resource narrows it ([OutboxRelay.ts](../../infra/service-stack/src/OutboxRelay.ts)) |',
    );
    expect(once).toContain(
      '| dynamodb:DescribeStream | arn:aws:dynamodb:…:table/shop-order/stream/* | **No justification** |',
    );
  });
});
