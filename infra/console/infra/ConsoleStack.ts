import { fileURLToPath } from 'node:url';
import { IDENTITY_PARAMETERS, PLATFORM_PARAMETERS } from '@shop/platform';
import { FUNCTION_BUNDLING, ServiceStaffRoute } from '@shop/service-stack';
import { STAFF_ENTRY_ENVIRONMENT } from '@shop/shared';
import { deployNames, SERVICE_TAG } from '@shop/topology';
import {
  DefaultStackSynthesizer,
  Duration,
  type IStackSynthesizer,
  RemovalPolicy,
  Stack,
  type StackProps,
  Tags,
  Token,
  Validations,
} from 'aws-cdk-lib';
import {
  ManagedPolicy,
  PermissionsBoundary,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import {
  CONSOLE_FUNCTION_NAME,
  CONSOLE_ROLE_PATH,
  consoleStatements,
} from '../src/consoleAccess.js';
import { CONSOLE_ENVIRONMENT } from '../src/consoleEnvironment.js';
import { CONSOLE_PREFIX } from '../src/consoleHandler.js';
import { SHOP_MAP } from '../src/map/shopMap.js';

/** The console's rule on the staff listener: after the services' (10, 20, 30), before the 404. */
export const CONSOLE_ROUTE = {
  functionName: CONSOLE_FUNCTION_NAME,
  pathPattern: `${CONSOLE_PREFIX}/*`,
  priority: 40,
} as const;

/** The folder of the console package: its handler's source and its built pages (`dist/web`). */
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Where the pages sit beside the bundled handler, relative to it. */
const BUNDLED_ASSETS = './web/';

export interface ConsoleStackProps extends StackProps {}

/**
 * The staff console in AWS (ADR 0025): the `shop-console` function (Node 22, ARM64, bundled as
 * the services' functions are, its built pages copied beside the handler) with its own role,
 * under `/shop/console/`, whose one policy is `consoleStatements` (read the audit and decision
 * logs, count the shop's queues: no table, no message), its own log group, and the rule
 * `/console/*` on the platform's staff listener that invokes it (`ServiceStaffRoute`). It runs
 * outside the VPC, which has no endpoint for CloudWatch Logs. It finds the platform and the staff
 * pool by their SSM parameters, as the services do.
 *
 * It deploys as a service does (ADR 0018): through its own CDK bootstrap (qualifier `console`),
 * every resource tagged `shop:service=console`, and its role bounded by `shop-console-boundary`
 * from the deploy-identities app, so only the console's deploy chain can change it.
 *
 * @example
 * ```ts
 * const { app, env } = createApp();
 * consoleStack(app, { env });
 * ```
 */
export class ConsoleStack extends Stack {
  readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: ConsoleStackProps = {}) {
    const names = deployNames('console');
    super(scope, id, {
      ...props,
      synthesizer:
        props.synthesizer ??
        // aws-cdk-lib declares optional members without `| undefined`.
        (new DefaultStackSynthesizer({ qualifier: names.qualifier }) as IStackSynthesizer),
    });
    PermissionsBoundary.of(this).apply(
      ManagedPolicy.fromManagedPolicyName(this, 'DeployBoundary', names.boundary),
    );
    const role = new Role(this, 'Role', {
      roleName: `${CONSOLE_FUNCTION_NAME}-${this.region}`,
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      path: CONSOLE_ROLE_PATH,
      description: `${CONSOLE_FUNCTION_NAME}: reads the audit and decision logs, counts the queues`,
    });
    // A policy of its own (not inline), which the local cloud reads from the template as it
    // reads the services' roles.
    for (const statement of consoleStatements(
      { partition: this.partition, region: this.region, account: this.account },
      SHOP_MAP,
    )) {
      role.addToPolicy(
        new PolicyStatement({
          sid: statement.Sid,
          actions: [...statement.Action],
          resources: [...statement.Resource],
        }),
      );
    }
    const logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${CONSOLE_FUNCTION_NAME}`,
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const parameter = (name: string) => StringParameter.valueForStringParameter(this, name);
    this.function = new NodejsFunction(this, 'Function', {
      functionName: CONSOLE_FUNCTION_NAME,
      description: 'The staff console: its pages, queue counts, saga timelines and decisions',
      entry: `${PACKAGE_DIR}src/handlers/index.ts`,
      handler: 'handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.seconds(10),
      role,
      logGroup,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'console',
        [STAFF_ENTRY_ENVIRONMENT.staffUserPoolId]: parameter(IDENTITY_PARAMETERS.staffUserPoolId),
        [STAFF_ENTRY_ENVIRONMENT.staffUserPoolClientId]: parameter(
          IDENTITY_PARAMETERS.staffUserPoolClientId,
        ),
        [STAFF_ENTRY_ENVIRONMENT.staffConsoleClientId]: parameter(
          PLATFORM_PARAMETERS.staffConsoleClientId,
        ),
        [STAFF_ENTRY_ENVIRONMENT.verifiedAccessInstanceArn]: parameter(
          PLATFORM_PARAMETERS.staffVerifiedAccessInstanceArn,
        ),
        [CONSOLE_ENVIRONMENT.queueUrlBase]: `https://sqs.${this.region}.${this.urlSuffix}/${this.account}`,
        [CONSOLE_ENVIRONMENT.assets]: BUNDLED_ASSETS,
        [CONSOLE_ENVIRONMENT.managedLoginUrl]: parameter(PLATFORM_PARAMETERS.staffManagedLoginUrl),
      },
      bundling: {
        ...FUNCTION_BUNDLING,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_input, output) => [
            `cp -R "${PACKAGE_DIR}dist/web" "${output}/${BUNDLED_ASSETS}"`,
          ],
        },
      },
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'The project pins nodejs22.x, the runtime its code and dependencies are built and tested for; moving to a newer runtime is a deliberate upgrade, not a drift.',
    });
    this.acknowledgeLogGroupWildcards(role);
    new ServiceStaffRoute(this, 'StaffRoute', { route: CONSOLE_ROUTE, handler: this.function });
    Tags.of(this).add(SERVICE_TAG, 'console');
  }

  /**
   * The `:*` closing each log group's ARN is how CloudWatch Logs names one group's events for
   * its read APIs; cdk-nag sees a wildcard. Acknowledged resource by resource, as cdk-nag prints
   * them (pseudo parameters in angle brackets).
   */
  private acknowledgeLogGroupWildcards(role: Role): void {
    const printed = (value: string, pseudo: string) =>
      Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value;
    const where = {
      partition: '<AWS::Partition>',
      region: printed(this.region, 'Region'),
      account: printed(this.account, 'AccountId'),
    };
    const wildcards = consoleStatements(where, SHOP_MAP)
      .flatMap((statement) => statement.Resource)
      .filter((resource) => resource.includes('*'));
    Validations.of(role).acknowledge(
      ...wildcards.map((resource) => ({
        id: `AwsSolutions-IAM5[Resource::${resource}]`,
        reason:
          'The trailing `:*` is how CloudWatch Logs names the events of one log group, named in full, for logs:FilterLogEvents; no other group and no other action.',
      })),
    );
  }
}

/**
 * The staff console's stack, `ShopConsole`.
 *
 * @example
 * ```ts
 * consoleStack(app, { env });
 * ```
 */
export const consoleStack = (scope: Construct, props: ConsoleStackProps = {}) =>
  new ConsoleStack(scope, 'ShopConsole', props);
