import { type ScheduleTopology, serviceRolePath } from '@shop/topology';
import { Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';

export interface FunctionScheduleProps {
  readonly schedule: ScheduleTopology;
  /** The function it invokes. */
  readonly target: IFunction;
}

/** The input every run gets: nothing, since a scheduled function ignores its input. */
const NO_INPUT = '{}';

/**
 * One schedule of a service: EventBridge Scheduler invokes one function at the schedule's rate,
 * with an empty input, as a role of its own (under `/shop/<service>/`, assumed only by
 * EventBridge Scheduler for this account) that may invoke that function and nothing else. A run
 * that fails is not retried: the next one comes at the next tick.
 *
 * @example
 * ```ts
 * new FunctionSchedule(this, 'expireOrdersSchedule', { schedule, target: fn.function });
 * ```
 */
export class FunctionSchedule extends Construct {
  constructor(scope: Construct, id: string, props: FunctionScheduleProps) {
    super(scope, id);
    const { schedule, target } = props;
    const stack = Stack.of(this);
    const role = new Role(this, 'Role', {
      roleName: `${schedule.roleName}-${stack.region}`,
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      path: serviceRolePath(schedule.service),
      description: `${schedule.scheduleName} schedule: invokes ${schedule.functionName}, nothing else`,
    });
    role.addToPolicy(
      new PolicyStatement({
        sid: 'InvokeItsFunctionOnly',
        actions: ['lambda:InvokeFunction'],
        resources: [target.functionArn],
      }),
    );
    const cfnSchedule = new CfnSchedule(this, 'Schedule', {
      name: schedule.scheduleName,
      description: `Invokes ${schedule.functionName} ${schedule.expression.replace('rate(', 'every ').replace(')', '')}`,
      scheduleExpression: schedule.expression,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: target.functionArn,
        roleArn: role.roleArn,
        input: NO_INPUT,
        retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 },
      },
    });
    cfnSchedule.node.addDependency(role);
  }
}
