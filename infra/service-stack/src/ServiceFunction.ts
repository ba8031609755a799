import type { ServiceName } from '@shop/contracts';
import { serviceRolePath } from '@shop/topology';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { IGrantable, IPrincipal } from 'aws-cdk-lib/aws-iam';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { QueryCallers } from './QueryCallers.js';

/**
 * How every function's code is bundled: by local esbuild, minified ESM for Node 22, the AWS SDK
 * bundled in (its pinned version, and a faster init than the runtime's, ADR 0020), no source map
 * (the code alone is shipped and Node never loads a map; a stack trace is read against the map
 * rebuilt from the deployed commit). The bundle benchmark and budgets build with exactly these
 * options.
 *
 * @example
 * ```ts
 * new NodejsFunction(this, 'Function', { entry, bundling: FUNCTION_BUNDLING });
 * ```
 */
export const FUNCTION_BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  target: 'node22',
  minify: true,
  sourceMap: false,
  externalModules: [],
  forceDockerBundling: false,
  mainFields: ['module', 'main'],
  esbuildArgs: { '--conditions': '@shop/source' },
  banner:
    "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
};

export interface ServiceFunctionProps {
  readonly service: ServiceName;
  /** e.g. `order-api`. */
  readonly functionName: string;
  readonly description: string;
  /** The handler module (`src/handlers/<handler>.ts`), which exports `handler`. */
  readonly entry: string;
  readonly timeoutSeconds: number;
  /** Its reserved concurrency. @default none reserved: the account's unreserved pool */
  readonly concurrency?: number;
  readonly environment: Readonly<Record<string, string>>;
  /** Runs it in the platform's VPC, for a function that calls queries. @default no VPC */
  readonly network?: QueryCallers;
}

/**
 * One function of a service with a role of its own, named after it (Lattice callers are told
 * apart by role name) under `/shop/<service>/`, granted nothing until the stack grants it what
 * its manifest declares; its own log group; bundled by local esbuild as minified ESM
 * ({@link FUNCTION_BUNDLING}), for nodejs22.x on arm64.
 *
 * @example
 * ```ts
 * const fn = new ServiceFunction(this, 'api', { service: 'order', functionName: 'order-api', ... });
 * table.grantAccess(fn, 'read');
 * ```
 */
export class ServiceFunction extends Construct implements IGrantable {
  readonly function: NodejsFunction;
  readonly grantPrincipal: IPrincipal;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const role = new Role(this, 'Role', {
      roleName: `${props.functionName}-${Stack.of(this).region}`,
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      path: serviceRolePath(props.service),
      description: `${props.functionName}: only what this function calls`,
    });
    const logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.function = new NodejsFunction(this, 'Function', {
      functionName: props.functionName,
      description: props.description,
      entry: props.entry,
      handler: 'handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.seconds(props.timeoutSeconds),
      ...(props.concurrency !== undefined && {
        reservedConcurrentExecutions: props.concurrency,
      }),
      role,
      logGroup,
      ...(props.network && {
        vpc: props.network.vpc,
        vpcSubnets: { subnets: props.network.vpc.isolatedSubnets },
        securityGroups: [props.network.securityGroup],
      }),
      environment: {
        POWERTOOLS_SERVICE_NAME: props.service,
        ...props.environment,
      },
      bundling: FUNCTION_BUNDLING,
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'The project pins nodejs22.x, the runtime its code and dependencies are built and tested for; moving to a newer runtime is a deliberate upgrade, not a drift.',
    });
    this.grantPrincipal = role;
  }
}
