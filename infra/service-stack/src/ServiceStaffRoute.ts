import { PLATFORM_PARAMETERS } from '@shop/platform';
import type { StaffRouteTopology } from '@shop/topology';
import { SecurityGroup } from 'aws-cdk-lib/aws-ec2';
import {
  ApplicationListener,
  ApplicationListenerRule,
  ApplicationTargetGroup,
  ListenerAction,
  ListenerCondition,
} from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { LambdaTarget } from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';

export interface ServiceStaffRouteProps {
  readonly route: StaffRouteTopology;
  /** The service's staff function, the rule's one target. */
  readonly handler: IFunction;
}

/**
 * A service's staff routes on the platform's staff load balancer (ADR 0021): a listener rule
 * for `/<service>/*` on the platform's HTTPS listener (found through SSM), at the service's own
 * priority, forwarding to a target group whose one target is the staff function; only that
 * target group may invoke the function (`elasticloadbalancing.amazonaws.com`, by its ARN). The
 * listener, behind Verified Access, is the only way to it.
 *
 * @example
 * ```ts
 * new ServiceStaffRoute(this, 'StaffRoute', { route: topology.staffRoute, handler: fn.function });
 * ```
 */
export class ServiceStaffRoute extends Construct {
  constructor(scope: Construct, id: string, props: ServiceStaffRouteProps) {
    super(scope, id);
    const listener = ApplicationListener.fromApplicationListenerAttributes(this, 'Listener', {
      listenerArn: StringParameter.valueForStringParameter(
        this,
        PLATFORM_PARAMETERS.staffListenerArn,
      ),
      securityGroup: SecurityGroup.fromSecurityGroupId(
        this,
        'LoadBalancerSecurityGroup',
        StringParameter.valueForStringParameter(
          this,
          PLATFORM_PARAMETERS.staffLoadBalancerSecurityGroupId,
        ),
        { mutable: false },
      ),
    });
    const targets = new ApplicationTargetGroup(this, 'Targets', {
      targets: [new LambdaTarget(props.handler)],
    });
    new ApplicationListenerRule(this, 'Rule', {
      listener,
      priority: props.route.priority,
      conditions: [ListenerCondition.pathPatterns([props.route.pathPattern])],
      action: ListenerAction.forward([targets]),
    });
  }
}
