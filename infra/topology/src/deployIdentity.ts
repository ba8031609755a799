import { SERVICE_NAMES } from '@shop/contracts';

/** The tag every resource carries: the service that owns it, or `platform` for shared ones. */
export const SERVICE_TAG = 'shop:service';

/** The owner the shared resources (bus, network, VPC, identity, deploy identities) are tagged with. */
export const PLATFORM_OWNER = 'platform';

/** The GitHub environments a service deploys to, in order. */
export const DEPLOY_ENVIRONMENTS = ['staging', 'production'] as const;
export type DeployEnvironment = (typeof DEPLOY_ENVIRONMENTS)[number];

/** The IAM path of the roles GitHub Actions assumes to deploy a service. */
export const DEPLOY_ROLE_PATH = '/shop-deploy/';

/**
 * What deploys through a deploy chain of its own: each service, and the staff console (ADR 0025),
 * whose stack `ShopConsole` is deployed after the platform and the services.
 */
export const DEPLOYED_APPS = [...SERVICE_NAMES, 'console'] as const;
export type DeployedApp = (typeof DEPLOYED_APPS)[number];

/**
 * The names a service's (or the console's) deploy chain goes by: its CDK bootstrap qualifier (its own bootstrap
 * stack, bucket and roles), the managed policies its CloudFormation execution role runs under,
 * the role each GitHub environment assumes, and the workspace folder its CDK app synthesizes in.
 *
 * @example
 * ```ts
 * deployNames('order').qualifier;            // 'order'
 * deployNames('order').role('production');   // 'shop-deploy-order-production'
 * deployNames('console').stackName;          // 'ShopConsole'
 * ```
 */
export const deployNames = (service: DeployedApp) =>
  ({
    /** A CDK qualifier has at most 10 characters; every name fits. */
    qualifier: service,
    toolkitStackName: `CDKToolkit-${service}`,
    stackName: `Shop${service[0]?.toUpperCase() ?? ''}${service.slice(1)}`,
    executionPolicy: `shop-${service}-cfn-execution`,
    boundary: `shop-${service}-boundary`,
    role: (environment: DeployEnvironment) => `shop-deploy-${service}-${environment}`,
    workflow: `deploy-${service}.yml`,
    packageDir: service === 'console' ? 'infra/console' : `services/${service}`,
  }) as const;

/** The reusable workflow every service's deploy workflow calls, which assumes the role. */
export const DEPLOY_REUSABLE_WORKFLOW = 'deploy-service.yml';
