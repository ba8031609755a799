import { PLATFORM_PARAMETERS } from '@shop/platform';
import type { StaffRouteTopology } from '@shop/topology';
import { Stack } from 'aws-cdk-lib';
import { CfnListenerRule, CfnTargetGroup } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';

export interface ServiceStaffRouteProps {
  /** The function's name, the rule's path pattern and its priority (the console's too, ADR 0025). */
  readonly route: Pick<StaffRouteTopology, 'functionName' | 'pathPattern' | 'priority'>;
  /** The service's staff function, the rule's one target. */
  readonly handler: IFunction;
}

/**
 * A service's staff routes on the platform's staff load balancer (ADR 0021): a listener rule
 * for `/<service>/*` on the platform's HTTPS listener (found by its ARN through SSM), at the
 * service's own priority, forwarding to a target group named after the staff function, whose
 * one target is that function. Only that target group may invoke the function
 * (`elasticloadbalancing.amazonaws.com`, from the target group's ARN: by name, since the target
 * group can only register the function once the permission exists). The listener, behind
 * Verified Access, is the only way to it.
 *
 * @example
 * ```ts
 * new ServiceStaffRoute(this, 'StaffRoute', { route: topology.staffRoute, handler: fn.function });
 * ```
 */
export class ServiceStaffRoute extends Construct {
  constructor(scope: Construct, id: string, props: ServiceStaffRouteProps) {
    super(scope, id);
    const name = props.route.functionName;
    props.handler.addPermission('InvokedByStaffLoadBalancer', {
      principal: new ServicePrincipal('elasticloadbalancing.amazonaws.com'),
      sourceArn: Stack.of(this).formatArn({
        service: 'elasticloadbalancing',
        resource: 'targetgroup',
        resourceName: `${name}/*`,
      }),
    });
    const targets = new CfnTargetGroup(this, 'Targets', {
      name,
      targetType: 'lambda',
      targets: [{ id: props.handler.functionArn }],
    });
    const permission = props.handler.permissionsNode.tryFindChild('InvokedByStaffLoadBalancer');
    if (permission !== undefined) targets.node.addDependency(permission);
    // The listener is the platform's, known by its ARN only: the rule is added to it by ARN.
    new CfnListenerRule(this, 'Rule', {
      listenerArn: StringParameter.valueForStringParameter(
        this,
        PLATFORM_PARAMETERS.staffListenerArn,
      ),
      priority: props.route.priority,
      conditions: [
        { field: 'path-pattern', pathPatternConfig: { values: [props.route.pathPattern] } },
      ],
      actions: [{ type: 'forward', targetGroupArn: targets.ref }],
    });
  }
}
