import { join } from 'node:path';
import { type EnvironmentSource, functionEnvironment, type ServiceManifest } from '@shop/contracts';
import { IDENTITY_PARAMETERS, PLATFORM_PARAMETERS } from '@shop/platform';
import {
  type FunctionTopology,
  type ServiceTopology,
  serviceTopology,
  type TopologyProps,
} from '@shop/topology';
import { CfnParameter, Stack, type StackProps } from 'aws-cdk-lib';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { ConsumerQueue } from './ConsumerQueue.js';
import { IdempotencyTable } from './IdempotencyTable.js';
import { OutboxRelay } from './OutboxRelay.js';
import { QueryCallers } from './QueryCallers.js';
import { QueryService } from './QueryService.js';
import { ServiceFunction } from './ServiceFunction.js';
import { ServicePolicyStore } from './ServicePolicyStore.js';
import { ServiceRestApi } from './ServiceRestApi.js';
import { ServiceTable } from './ServiceTable.js';

export interface ServiceStackProps extends StackProps {
  /** The service's manifest: everything the stack deploys comes from it. */
  readonly manifest: ServiceManifest;
  /** The service package's directory; handlers are `src/handlers/<handler>.ts` under it. */
  readonly packageDir: string;
  /** Overrides of the consumer's settings. @default DEFAULT_CONSUMER_SETTINGS */
  readonly settings?: TopologyProps['settings'];
}

/**
 * One service, deployable alone, composed from its manifest: its table and idempotency table,
 * its Cedar policy store, its consumer queue with its DLQ and rule, one function per handler with
 * a role granted exactly the access the manifest declares, its Lattice service (if it offers
 * queries), its REST API and its outbox relay. Platform resources and other services' Lattice
 * services are found through SSM parameters, never a stack export.
 *
 * @example
 * ```ts
 * new ServiceStack(app, 'ShopOrder', { manifest: orderService, packageDir });
 * ```
 */
export class ServiceStack extends Stack {
  readonly table: ServiceTable;
  readonly functions: ReadonlyMap<string, ServiceFunction>;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { manifest } = props;
    const topology = serviceTopology(manifest, {
      ...(props.settings && { settings: props.settings }),
    });
    const parameter = (name: string) => StringParameter.valueForStringParameter(this, name);
    this.table = new ServiceTable(this, 'Table', { tableName: topology.tables.tableName });
    const idempotency = new IdempotencyTable(this, 'IdempotencyTable', {
      tableName: topology.tables.idempotencyTableName,
    });
    const policyStore = new ServicePolicyStore(this, 'Authorization', {
      service: manifest.name,
      policiesDir: join(props.packageDir, manifest.policies),
    });
    const consumer =
      topology.consumer &&
      new ConsumerQueue(this, 'Consumer', {
        consumer: topology.consumer,
        eventBusName: parameter(PLATFORM_PARAMETERS.eventBusName),
      });
    const callers = topology.functions.some((fn) => (fn.access.queries ?? []).length > 0)
      ? new QueryCallers(this, 'QueryCallers')
      : undefined;
    const deployParameters = new Map<string, string>();
    const resolve = (source: EnvironmentSource): string => {
      switch (source.kind) {
        case 'table':
          return this.table.tableName;
        case 'policy-store':
          return policyStore.policyStoreId;
        case 'idempotency-table':
          return idempotency.tableName;
        case 'queue':
          return consumer?.queue.queueUrl ?? '';
        case 'dead-letter-queue':
          return consumer?.deadLetterQueue.queueUrl ?? '';
        case 'user-pool':
          return parameter(IDENTITY_PARAMETERS.userPoolId);
        case 'user-pool-client':
          return parameter(IDENTITY_PARAMETERS.userPoolClientId);
        case 'queries':
          return callers?.queriesUrl(source.provider) ?? '';
        case 'parameter':
          return this.deployParameter(manifest, source.name, deployParameters);
      }
    };
    const functions = new Map<string, ServiceFunction>();
    for (const definition of topology.functions) {
      const fn = new ServiceFunction(this, definition.handler, {
        service: manifest.name,
        functionName: definition.functionName,
        description: definition.description,
        entry: join(props.packageDir, 'src', 'handlers', `${definition.handler}.ts`),
        timeoutSeconds: topology.consumer?.functionTimeoutSeconds ?? 30,
        environment: Object.fromEntries(
          functionEnvironment(manifest, definition.handler).map((v) => [v.name, resolve(v.source)]),
        ),
        ...((definition.access.queries ?? []).length > 0 && callers && { network: callers }),
      });
      this.grant(fn, definition, {
        table: this.table,
        idempotency,
        policyStore,
        consumer,
        callers,
      });
      functions.set(definition.functionName, fn);
    }
    this.functions = functions;
    this.connect(topology, functions);
    new OutboxRelay(this, 'Outbox', {
      relay: topology.outboxRelay,
      table: this.table,
      eventBusArn: parameter(PLATFORM_PARAMETERS.eventBusArn),
    });
  }

  /** Grants one function exactly what its manifest declares, and what its trigger needs. */
  private grant(
    fn: ServiceFunction,
    definition: FunctionTopology,
    resources: {
      readonly table: ServiceTable;
      readonly idempotency: IdempotencyTable;
      readonly policyStore: ServicePolicyStore;
      readonly consumer: ConsumerQueue | undefined;
      readonly callers: QueryCallers | undefined;
    },
  ): void {
    const { access, trigger } = definition;
    if (access.table) resources.table.grantAccess(fn, access.table);
    if (access.queries && access.queries.length > 0)
      resources.callers?.grantInvoke(fn, access.queries);
    if (access.authorize) resources.policyStore.grantIsAuthorized(fn);
    if (access.deadLetters === 'redrive') resources.consumer?.grantRedrive(fn);
    if (trigger === 'queue') {
      resources.idempotency.grantRecords(fn);
      resources.consumer?.feed(fn.function);
    }
  }

  /** The triggers that are resources of their own: the Lattice service and the REST API. */
  private connect(
    topology: ServiceTopology,
    functions: ReadonlyMap<string, ServiceFunction>,
  ): void {
    const lattice = topology.latticeService;
    const target = lattice && functions.get(lattice.functionName);
    if (lattice && target) new QueryService(this, 'Queries', { lattice, handler: target.function });
    const handler = functions.get(topology.restApi.functionName);
    const authorizer = functions.get(topology.restApi.authorizerFunctionName);
    if (handler && authorizer) {
      new ServiceRestApi(this, 'RestApi', {
        api: topology.restApi,
        handler: handler.function,
        authorizer: authorizer.function,
      });
    }
  }

  /** A deploy-time parameter of the stack, one per configuration key, created once. */
  private deployParameter(
    manifest: ServiceManifest,
    name: string,
    created: Map<string, string>,
  ): string {
    const existing = created.get(name);
    if (existing !== undefined) return existing;
    const value = new CfnParameter(this, name.replace(/_/g, ''), {
      type: 'String',
      description: manifest.configuration?.[name]?.description ?? name,
    }).valueAsString;
    created.set(name, value);
    return value;
  }
}
