import { join } from 'node:path';
import { type EnvironmentSource, functionEnvironment, type ServiceManifest } from '@shop/contracts';
import { IDENTITY_PARAMETERS, PLATFORM_PARAMETERS } from '@shop/platform';
import {
  deployNames,
  type FunctionTopology,
  SERVICE_TAG,
  type ServiceTopology,
  serviceTopology,
  type TopologyProps,
} from '@shop/topology';
import {
  CfnParameter,
  DefaultStackSynthesizer,
  type IStackSynthesizer,
  Stack,
  type StackProps,
  Tags,
} from 'aws-cdk-lib';
import { ManagedPolicy, PermissionsBoundary } from 'aws-cdk-lib/aws-iam';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { ConsumerQueue } from './ConsumerQueue.js';
import { FunctionSchedule } from './FunctionSchedule.js';
import { IdempotencyTable } from './IdempotencyTable.js';
import { OutboxRelay } from './OutboxRelay.js';
import { QueryCallers } from './QueryCallers.js';
import { QueryService } from './QueryService.js';
import { ServiceFunction } from './ServiceFunction.js';
import { ServicePolicyStore } from './ServicePolicyStore.js';
import { ServiceRestApi } from './ServiceRestApi.js';
import { ServiceStaffRoute } from './ServiceStaffRoute.js';
import { ServiceTable } from './ServiceTable.js';

export interface ServiceStackProps extends StackProps {
  /** The service's manifest: everything the stack deploys comes from it. */
  readonly manifest: ServiceManifest;
  /** The service package's directory; handlers are `src/handlers/<handler>.ts` under it. */
  readonly packageDir: string;
  /** Overrides of the consumer's settings. @default DEFAULT_CONSUMER_SETTINGS */
  readonly settings?: TopologyProps['settings'];
}

/** The service's own resources its functions are granted and configured with. */
interface ServiceResources {
  readonly table: ServiceTable;
  readonly idempotency: IdempotencyTable;
  readonly policyStore: ServicePolicyStore;
  readonly consumer: ConsumerQueue | undefined;
  readonly callers: QueryCallers | undefined;
}

/**
 * One service, deployable alone, composed from its manifest: its table and idempotency table,
 * its Cedar policy store, its consumer queue with its DLQ and rule, one function per handler with
 * a role granted exactly the access the manifest declares, its Lattice service (if it offers
 * queries), its REST API (if it has customer routes), its staff function's rule on the staff
 * load balancer (if it has staff routes), its schedules and its outbox relay. Platform resources and other services' Lattice
 * services are found through SSM parameters, never a stack export.
 *
 * It deploys through the service's own CDK bootstrap (qualifier: the service's name), so only
 * the service's deploy chain can change it; every resource is tagged `shop:service=<service>`,
 * and every role it creates has the service's permissions boundary (`shop-<service>-boundary`,
 * from the deploy-identities app), the condition under which that chain may create roles at all.
 *
 * @example
 * ```ts
 * new ServiceStack(app, 'ShopOrder', { manifest: orderService, packageDir });
 * ```
 */
export class ServiceStack extends Stack {
  readonly table: ServiceTable;
  readonly functions: ReadonlyMap<string, ServiceFunction>;
  private readonly manifest: ServiceManifest;
  private readonly deployParameters = new Map<string, string>();

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    const names = deployNames(props.manifest.name);
    super(scope, id, {
      ...props,
      synthesizer:
        props.synthesizer ??
        // aws-cdk-lib declares optional members without `| undefined`.
        (new DefaultStackSynthesizer({ qualifier: names.qualifier }) as IStackSynthesizer),
    });
    this.manifest = props.manifest;
    Tags.of(this).add(SERVICE_TAG, props.manifest.name);
    PermissionsBoundary.of(this).apply(
      ManagedPolicy.fromManagedPolicyName(this, 'DeployBoundary', names.boundary),
    );
    const topology = serviceTopology(props.manifest, {
      ...(props.settings && { settings: props.settings }),
    });
    const resources = this.resources(topology, props.packageDir);
    this.table = resources.table;
    this.functions = new Map(
      topology.functions.map((definition) => [
        definition.functionName,
        this.serviceFunction(definition, resources, props.packageDir),
      ]),
    );
    this.connect(topology, this.functions);
    new OutboxRelay(this, 'Outbox', {
      relay: topology.outboxRelay,
      table: this.table,
      eventBusArn: this.platformParameter(PLATFORM_PARAMETERS.eventBusArn),
    });
  }

  private platformParameter(name: string): string {
    return StringParameter.valueForStringParameter(this, name);
  }

  /** The tables, the policy store, the consumer's queue and the callers' network. */
  private resources(topology: ServiceTopology, packageDir: string): ServiceResources {
    return {
      table: new ServiceTable(this, 'Table', { tableName: topology.tables.tableName }),
      idempotency: new IdempotencyTable(this, 'IdempotencyTable', {
        tableName: topology.tables.idempotencyTableName,
      }),
      policyStore: new ServicePolicyStore(this, 'Authorization', {
        service: this.manifest.name,
        policiesDir: join(packageDir, this.manifest.policies),
      }),
      consumer:
        topology.consumer &&
        new ConsumerQueue(this, 'Consumer', {
          consumer: topology.consumer,
          eventBusName: this.platformParameter(PLATFORM_PARAMETERS.eventBusName),
        }),
      callers: topology.functions.some((fn) => (fn.access.queries ?? []).length > 0)
        ? new QueryCallers(this, 'QueryCallers')
        : undefined,
    };
  }

  /** One function: its environment from the manifest, its grants from its declared access. */
  private serviceFunction(
    definition: FunctionTopology,
    resources: ServiceResources,
    packageDir: string,
  ): ServiceFunction {
    const calls = definition.access.queries ?? [];
    const fn = new ServiceFunction(this, definition.handler, {
      service: this.manifest.name,
      functionName: definition.functionName,
      description: definition.description,
      entry: join(packageDir, 'src', 'handlers', `${definition.handler}.ts`),
      timeoutSeconds: definition.timeoutSeconds,
      ...(definition.concurrency !== undefined && { concurrency: definition.concurrency }),
      environment: Object.fromEntries(
        functionEnvironment(this.manifest, definition.handler).map((variable) => [
          variable.name,
          this.environmentValue(variable.source, resources),
        ]),
      ),
      ...(calls.length > 0 && resources.callers && { network: resources.callers }),
    });
    const { access } = definition;
    if (access.table) resources.table.grantAccess(fn, access.table);
    if (access.deadlines === 'read') resources.table.grantDeadlines(fn);
    if (calls.length > 0) resources.callers?.grantInvoke(fn, calls);
    if (access.authorize) resources.policyStore.grantIsAuthorized(fn);
    if (access.deadLetters === 'redrive') resources.consumer?.grantRedrive(fn);
    if (access.idempotency === 'records') resources.idempotency.grantRecords(fn);
    if (definition.trigger === 'queue') resources.consumer?.feed(fn.function);
    return fn;
  }

  /** The value, in this stack, of one variable a function's environment names. */
  private environmentValue(source: EnvironmentSource, resources: ServiceResources): string {
    switch (source.kind) {
      case 'table':
        return resources.table.tableName;
      case 'policy-store':
        return resources.policyStore.policyStoreId;
      case 'idempotency-table':
        return resources.idempotency.tableName;
      case 'queue':
        return resources.consumer?.queue.queueUrl ?? '';
      case 'dead-letter-queue':
        return resources.consumer?.deadLetterQueue.queueUrl ?? '';
      case 'user-pool':
        return this.platformParameter(IDENTITY_PARAMETERS.userPoolId);
      case 'user-pool-client':
        return this.platformParameter(IDENTITY_PARAMETERS.userPoolClientId);
      case 'staff-user-pool':
        return this.platformParameter(IDENTITY_PARAMETERS.staffUserPoolId);
      case 'staff-user-pool-client':
        return this.platformParameter(IDENTITY_PARAMETERS.staffUserPoolClientId);
      case 'staff-console-client':
        return this.platformParameter(PLATFORM_PARAMETERS.staffConsoleClientId);
      case 'verified-access-instance':
        return this.platformParameter(PLATFORM_PARAMETERS.staffVerifiedAccessInstanceArn);
      case 'queries':
        return resources.callers?.queriesUrl(source.provider) ?? '';
      case 'parameter':
        return this.deployParameter(source.name);
    }
  }

  /**
   * The triggers that are resources of their own: the Lattice service, the REST API, the staff
   * load balancer's listener rule and the schedules.
   */
  private connect(
    topology: ServiceTopology,
    functions: ReadonlyMap<string, ServiceFunction>,
  ): void {
    const lattice = topology.latticeService;
    const target = lattice && functions.get(lattice.functionName);
    if (lattice && target) new QueryService(this, 'Queries', { lattice, handler: target.function });
    const api = topology.restApi;
    const handler = api && functions.get(api.functionName);
    const authorizer = api && functions.get(api.authorizerFunctionName);
    if (api && handler && authorizer) {
      new ServiceRestApi(this, 'RestApi', {
        api,
        handler: handler.function,
        authorizer: authorizer.function,
      });
    }
    const staffRoute = topology.staffRoute;
    const staff = staffRoute && functions.get(staffRoute.functionName);
    if (staffRoute && staff) {
      new ServiceStaffRoute(this, 'StaffRoute', { route: staffRoute, handler: staff.function });
    }
    for (const schedule of topology.schedules) {
      const target = functions.get(schedule.functionName);
      if (target) {
        new FunctionSchedule(this, `${target.node.id}Schedule`, {
          schedule,
          target: target.function,
        });
      }
    }
  }

  /** A deploy-time parameter of the stack, one per configuration key of the manifest. */
  private deployParameter(name: string): string {
    const existing = this.deployParameters.get(name);
    if (existing !== undefined) return existing;
    const value = new CfnParameter(this, name.replace(/_/g, ''), {
      type: 'String',
      description: this.manifest.configuration?.[name]?.description ?? name,
    }).valueAsString;
    this.deployParameters.set(name, value);
    return value;
  }
}
