import type { PolicyDocument } from '@shop/topology';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type IamDecisionLogEntry,
  issueLocalCredentials,
  startIamFront,
} from '../../src/iam/index.js';
import { type InvokeOutcome, startLambdaEndpoint } from '../../src/lambda/index.js';
import {
  type LocalSchedule,
  type ScheduledRunError,
  startScheduler,
} from '../../src/scheduler/index.js';
import { account, deferred, region } from '../support.js';

const ROLE = `arn:aws:iam::${account}:role/shop/order/order-sweep-schedule`;
const credentials = issueLocalCredentials({ roles: [{ roleArn: ROLE, sessionName: 'sweep' }] });
const keys = credentials.forRole(ROLE) ?? { accessKeyId: '', secretAccessKey: '' };
const functionArn = (name: string) => `arn:aws:lambda:${region}:${account}:function:${name}`;
/** The schedule's role may invoke `sweep` and `failing`, nothing else. */
const ROLE_POLICY: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: 'lambda:InvokeFunction',
      Resource: [functionArn('sweep'), functionArn('failing')],
    },
  ],
};

const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const piece of running.splice(0).reverse()) await piece.stop();
});

/**
 * Lambda's API behind its IAM front, hosting `functions`, and a scheduler invoking through it;
 * `onErrors` sees the failed runs so far after each one.
 */
const start = async (
  functions: Readonly<Record<string, (payload: unknown) => Promise<InvokeOutcome>>>,
  schedules: readonly Omit<LocalSchedule, 'credentials' | 'rateSeconds'>[],
  onErrors: (errors: readonly ScheduledRunError[]) => void = () => undefined,
) => {
  const decisions: IamDecisionLogEntry[] = [];
  const errors: ScheduledRunError[] = [];
  const lambda = await startLambdaEndpoint({
    port: 0,
    region,
    account,
    invoke: async (name, payload) => functions[name]?.(payload) ?? { kind: 'unknown-function' },
  });
  running.push({ stop: () => lambda.close() });
  const front = await startIamFront({
    port: 0,
    upstream: lambda.endpoint,
    kind: 'lambda',
    region,
    account,
    credentials,
    policies: { identity: { [ROLE]: [ROLE_POLICY] }, resource: {} },
    onDecision: (entry) => decisions.push(entry),
  });
  running.push({ stop: () => front.close() });
  const scheduler = startScheduler({
    region,
    lambdaEndpoint: front.endpoint,
    schedules: schedules.map((schedule) => ({ ...schedule, rateSeconds: 60, credentials: keys })),
    everySeconds: 0.01,
    onError: (error) => {
      errors.push(error);
      onErrors(errors);
    },
  });
  running.push(scheduler);
  return { scheduler, decisions, errors };
};

const result = (payload: unknown = null): InvokeOutcome => ({ kind: 'result', payload });

describe('the local EventBridge Scheduler', () => {
  it("invokes its function through Lambda's API as the schedule's role, with no input, run after run", async () => {
    const payloads: unknown[] = [];
    const twice = deferred();
    const { decisions, errors } = await start(
      {
        sweep: async (payload) => {
          payloads.push(payload);
          if (payloads.length === 2) twice.resolve();
          return result();
        },
      },
      [{ name: 'order-sweep', functionName: 'sweep' }],
    );

    await twice.promise;

    expect(payloads.slice(0, 2)).toEqual([{}, {}]);
    expect(decisions.slice(0, 2)).toEqual([
      expect.objectContaining({
        roleArn: ROLE,
        action: 'lambda:InvokeFunction',
        resource: functionArn('sweep'),
        decision: 'Allow',
      }),
      expect.objectContaining({ resource: functionArn('sweep'), decision: 'Allow' }),
    ]);
    expect(errors).toEqual([]);
  });

  it('reports a run IAM refuses and a run whose function fails, and keeps both schedules running', async () => {
    const reported = deferred();
    const schedules = ['order-failing', 'order-elsewhere'];
    const { errors } = await start(
      {
        failing: async () => ({ kind: 'error', errorType: 'Error', errorMessage: 'table gone' }),
        elsewhere: async () => result(),
      },
      [
        { name: 'order-failing', functionName: 'failing' },
        { name: 'order-elsewhere', functionName: 'elsewhere' },
      ],
      (seen) => {
        const twice = (name: string) => seen.filter((e) => e.schedule === name).length >= 2;
        if (schedules.every(twice)) reported.resolve();
      },
    );

    await reported.promise;

    expect(errors.find((e) => e.schedule === 'order-failing')?.reason).toContain('table gone');
    expect(errors.find((e) => e.schedule === 'order-elsewhere')?.reason).toContain(
      `is not authorized to perform: lambda:InvokeFunction on resource: ${functionArn('elsewhere')}`,
    );
  });

  it('waits for the run in flight when it stops, and runs no more', async () => {
    const order: string[] = [];
    const started = deferred();
    const release = deferred();
    let runs = 0;
    const { scheduler } = await start(
      {
        sweep: async () => {
          runs += 1;
          started.resolve();
          await release.promise;
          order.push('run ended');
          return result();
        },
      },
      [{ name: 'order-sweep', functionName: 'sweep' }],
    );
    await started.promise;

    const stopping = scheduler.stop().then(() => order.push('stopped'));
    await new Promise((settle) => setImmediate(settle));
    release.resolve();
    await stopping;

    expect(order).toEqual(['run ended', 'stopped']);
    expect(runs).toBe(1);
  });
});
