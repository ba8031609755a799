import { join } from 'node:path';
import { assertValidPolicyStore, loadPolicyStore, schemaJsonOf } from '@shop/authorization';
import { type AnyQueryDefinition, policyPath, type ServiceName } from '@shop/contracts';
import {
  IDENTITY_PARAMETERS,
  PLATFORM_AZ_COUNT,
  PLATFORM_PARAMETERS,
  queryServiceParameters,
} from '@shop/platform';
import { IDEMPOTENCY_TABLE, OUTBOX_ITEM, SERVICE_TABLE } from '@shop/shared';
import {
  type LatticeServiceTopology,
  queryInvokeStatement,
  type ShopTopology,
  serviceAuthPolicy,
  serviceRolePath,
  shopTopology,
} from '@shop/topology';
import {
  ArnFormat,
  CfnParameter,
  Duration,
  Fn,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  IdentitySource,
  LambdaIntegration,
  LogGroupLogDestination,
  RequestAuthorizer,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { type IVpc, Peer, Port, SecurityGroup, Vpc } from 'aws-cdk-lib/aws-ec2';
import { CfnRule } from 'aws-cdk-lib/aws-events';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnPipe } from 'aws-cdk-lib/aws-pipes';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { CfnIdentitySource, CfnPolicy, CfnPolicyStore } from 'aws-cdk-lib/aws-verifiedpermissions';
import {
  CfnAccessLogSubscription,
  CfnAuthPolicy,
  CfnListener,
  CfnService,
  CfnServiceNetworkServiceAssociation,
  CfnTargetGroup,
} from 'aws-cdk-lib/aws-vpclattice';
import type { Construct } from 'constructs';

/** The DynamoDB actions one function may call on its service's tables. */
export interface FunctionAccess {
  /** On the service table, e.g. `['dynamodb:GetItem']`. */
  readonly table: readonly string[];
  /**
   * Other services' queries it calls over VPC Lattice: the function runs in the platform's VPC
   * and may invoke exactly these methods and paths. @default none
   */
  readonly queries?: readonly AnyQueryDefinition[];
}

export interface ServiceStackProps extends StackProps {
  readonly service: ServiceName;
  /** The service package's directory; handlers are `src/handlers/<handler>.ts` under it. */
  readonly packageDir: string;
  /**
   * What each handler may do on the service table, by handler name (`events` is the queue
   * consumer, which also gets its idempotency records, its queue and its DLQ).
   */
  readonly access: Readonly<Record<string, FunctionAccess>>;
  /**
   * Environment variables every function gets from a deploy-time parameter, by variable name,
   * with the parameter's description (e.g. the card processor's URL). @default none
   */
  readonly parameters?: Readonly<Record<string, string>>;
  /** @default shopTopology() */
  readonly topology?: ShopTopology;
}

/** What Lambda needs of a function's role to attach it to a VPC (AWSLambdaVPCAccessExecutionRole). */
export const VPC_ACCESS_ACTIONS = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
];

const IDEMPOTENCY_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
];

/**
 * One service, deployable alone: its table (state and outbox, stream, point-in-time recovery) and
 * idempotency table; its queue and DLQ (encrypted, TLS only, redrive, an alarm on DLQ depth) and
 * the rule on the shared bus generated from its declared subscriptions; one function per handler
 * (local esbuild, ESM, nodejs22.x, arm64, minified, source maps), each with its own role under
 * `/shop/<service>/` granted only what it calls and its own log group; the event-source mapping
 * with partial batch responses and a maximum concurrency; the outbox Pipe from the table's
 * stream to the bus, with its own role that may put events only with the service's source; for a
 * service that answers queries, its VPC Lattice service (IAM auth, a Lambda target with event
 * structure V2, an HTTPS listener, the auth policy generated from its callers' declared queries,
 * access logs, the association with the platform's service network); and for a function that
 * calls queries, a place in the platform's VPC and `vpc-lattice-svcs:Invoke` on exactly the paths
 * it calls. Platform resources and other services' Lattice services are found through SSM
 * parameters, never a stack export.
 *
 * @example
 * ```ts
 * new ServiceStack(app, 'ShopOrder', { service: 'order', packageDir, access: { getOrder: { table: ['dynamodb:GetItem'] } } });
 * ```
 */
export class ServiceStack extends Stack {
  readonly table: Table;
  readonly functions: ReadonlyMap<string, NodejsFunction>;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const topology = props.topology ?? shopTopology();
    const { service } = props;
    const tables = topology.tables.find((t) => t.service === service);
    const relay = topology.outboxRelays.find((r) => r.service === service);
    const consumer = topology.consumers.find((c) => c.service === service);
    if (tables === undefined || relay === undefined) {
      throw new Error(`The topology has no tables or relay for ${service}`);
    }
    const parameters = Object.fromEntries(
      Object.entries(props.parameters ?? {}).map(([name, description]) => [
        name,
        new CfnParameter(this, name.replace(/_/g, ''), { type: 'String', description })
          .valueAsString,
      ]),
    );
    const busName = StringParameter.valueForStringParameter(this, PLATFORM_PARAMETERS.eventBusName);
    const busArn = StringParameter.valueForStringParameter(this, PLATFORM_PARAMETERS.eventBusArn);

    this.table = new Table(this, 'Table', {
      tableName: tables.tableName,
      partitionKey: { name: SERVICE_TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: SERVICE_TABLE.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      stream: StreamViewType.NEW_IMAGE,
      timeToLiveAttribute: SERVICE_TABLE.timeToLive,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: SERVICE_TABLE.byEntityIndex.indexName,
      partitionKey: { name: SERVICE_TABLE.byEntityIndex.partitionKey, type: AttributeType.STRING },
      sortKey: { name: SERVICE_TABLE.byEntityIndex.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
    const idempotency = new Table(this, 'IdempotencyTable', {
      tableName: tables.idempotencyTableName,
      partitionKey: { name: IDEMPOTENCY_TABLE.partitionKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: IDEMPOTENCY_TABLE.timeToLive,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    for (const [handler, access] of Object.entries(props.access)) {
      const undeclared = (access.queries ?? []).filter(
        (query) =>
          !topology.latticeServices
            .find((l) => l.service === query.provider)
            ?.callers.find((caller) => caller.service === service)
            ?.routes.some((route) => route.name === query.name),
      );
      if (undeclared.length > 0) {
        throw new Error(
          `${handler} calls ${undeclared.map((q) => q.name).join(', ')}, which ${service} has not declared in its query calls: the provider's auth policy would deny it`,
        );
      }
    }

    const parameter = (name: string) => StringParameter.valueForStringParameter(this, name);
    const queues = consumer && this.consumerQueues(consumer, busName);
    const policyStore = this.policyStore(service, props.packageDir);
    const lattice = topology.latticeServices.find((l) => l.service === service);
    let callerNetwork: { vpc: IVpc; securityGroup: SecurityGroup } | undefined;

    const functions = new Map<string, NodejsFunction>();
    for (const definition of topology.functions.filter((f) => f.service === service)) {
      const role = new Role(this, `${definition.handler}Role`, {
        // Named after its function: Lattice callers are told apart by role name (callingService).
        roleName: `${definition.functionName}-${this.region}`,
        assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
        path: serviceRolePath(service),
        description: `${definition.functionName}: only what this function calls`,
      });
      const logGroup = new LogGroup(this, `${definition.handler}Logs`, {
        logGroupName: `/aws/lambda/${definition.functionName}`,
        retention: RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      const access = props.access[definition.handler];
      if (access === undefined) {
        throw new Error(`No access declared for ${definition.functionName}`);
      }
      const calls = access.queries ?? [];
      if (calls.length > 0) callerNetwork ??= this.callerNetwork();
      const fn = new NodejsFunction(this, definition.handler, {
        functionName: definition.functionName,
        entry: join(props.packageDir, 'src', 'handlers', `${definition.handler}.ts`),
        handler: 'handler',
        runtime: Runtime.NODEJS_22_X,
        architecture: Architecture.ARM_64,
        memorySize: 512,
        timeout: Duration.seconds(consumer?.functionTimeoutSeconds ?? 30),
        role,
        logGroup,
        ...(calls.length > 0 &&
          callerNetwork && {
            vpc: callerNetwork.vpc,
            vpcSubnets: { subnets: callerNetwork.vpc.isolatedSubnets },
            securityGroups: [callerNetwork.securityGroup],
          }),
        environment: {
          TABLE_NAME: this.table.tableName,
          POLICY_STORE_ID: policyStore.attrPolicyStoreId,
          POWERTOOLS_SERVICE_NAME: service,
          NODE_OPTIONS: '--enable-source-maps',
          ...parameters,
        },
        bundling: {
          format: OutputFormat.ESM,
          target: 'node22',
          minify: true,
          sourceMap: true,
          forceDockerBundling: false,
          mainFields: ['module', 'main'],
          esbuildArgs: { '--conditions': '@shop/source' },
          banner:
            "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
        },
      });
      Validations.of(fn).acknowledge({
        id: 'AwsSolutions-L1',
        reason:
          'The project pins nodejs22.x, the runtime its code and dependencies are built and tested for; moving to a newer runtime is a deliberate upgrade, not a drift.',
      });
      if (access.table.length > 0) {
        role.addToPolicy(
          new PolicyStatement({
            sid: 'OwnTable',
            actions: [...access.table],
            resources: [
              this.table.tableArn,
              ...(access.table.includes('dynamodb:Query')
                ? [`${this.table.tableArn}/index/${SERVICE_TABLE.byEntityIndex.indexName}`]
                : []),
            ],
          }),
        );
      }
      if (calls.length > 0) this.callQueries({ fn, role, calls });
      if (definition.trigger === 'api' || definition.trigger === 'lattice') {
        role.addToPolicy(
          new PolicyStatement({
            sid: 'AskOwnPolicyStore',
            actions: ['verifiedpermissions:IsAuthorized'],
            resources: [policyStore.attrArn],
          }),
        );
      }
      if (definition.trigger === 'lattice' && lattice) this.latticeService(lattice, fn);
      if (definition.trigger === 'api' && queues) {
        // Admins redrive the service's dead letters through its API.
        queues.deadLetterQueue.grant(role, 'sqs:ReceiveMessage', 'sqs:DeleteMessage');
        queues.queue.grant(role, 'sqs:SendMessage');
        fn.addEnvironment('QUEUE_URL', queues.queue.queueUrl);
        fn.addEnvironment('DEAD_LETTER_QUEUE_URL', queues.deadLetterQueue.queueUrl);
      }
      if (definition.trigger === 'authorizer') {
        fn.addEnvironment('USER_POOL_ID', parameter(IDENTITY_PARAMETERS.userPoolId));
        fn.addEnvironment('USER_POOL_CLIENT_ID', parameter(IDENTITY_PARAMETERS.userPoolClientId));
      }
      if (definition.trigger === 'queue' && queues) {
        idempotency.grant(role, ...IDEMPOTENCY_ACTIONS);
        queues.queue.grant(role, 'sqs:ChangeMessageVisibility');
        queues.deadLetterQueue.grant(role, 'sqs:SendMessage');
        fn.addEnvironment('IDEMPOTENCY_TABLE_NAME', idempotency.tableName);
        fn.addEnvironment('QUEUE_URL', queues.queue.queueUrl);
        fn.addEnvironment('DEAD_LETTER_QUEUE_URL', queues.deadLetterQueue.queueUrl);
        fn.addEventSource(
          new SqsEventSource(queues.queue, {
            batchSize: queues.settings.batchSize,
            maxBatchingWindow: Duration.seconds(queues.settings.maximumBatchingWindowSeconds),
            reportBatchItemFailures: true,
            maxConcurrency: queues.settings.maximumConcurrency,
          }),
        );
      }
      functions.set(definition.functionName, fn);
    }
    this.functions = functions;

    const restApi = topology.restApis.find((api) => api.service === service);
    const apiFunction = restApi && functions.get(restApi.functionName);
    const authorizerFunction = restApi && functions.get(restApi.authorizerFunctionName);
    if (restApi && apiFunction && authorizerFunction) {
      this.restApi(restApi.apiName, apiFunction, authorizerFunction);
    }

    this.outboxPipe(relay, busArn);
  }

  /**
   * The service's Verified Permissions policy store: its Cedar schema and one policy per
   * `policies/*.cedar` file, validated against the schema at synth time (STRICT, as the store
   * validates), and the Cognito user pool as identity source with its groups as `Shop::UserGroup`.
   */
  private policyStore(service: ServiceName, packageDir: string): CfnPolicyStore {
    const definition = assertValidPolicyStore(
      loadPolicyStore(service, join(packageDir, 'policies')),
    );
    const store = new CfnPolicyStore(this, 'PolicyStore', {
      description: `${service}'s Cedar policies`,
      validationSettings: { mode: 'STRICT' },
      schema: { cedarJson: schemaJsonOf(definition) },
      deletionProtection: { mode: 'ENABLED' },
    });
    for (const [id, statement] of Object.entries<string>(definition.policies)) {
      new CfnPolicy(this, `Policy-${id}`, {
        policyStoreId: store.attrPolicyStoreId,
        definition: { static: { description: id, statement } },
      });
    }
    const parameter = (name: string) => StringParameter.valueForStringParameter(this, name);
    new CfnIdentitySource(this, 'IdentitySource', {
      policyStoreId: store.attrPolicyStoreId,
      principalEntityType: 'Shop::User',
      configuration: {
        cognitoUserPoolConfiguration: {
          userPoolArn: parameter(IDENTITY_PARAMETERS.userPoolArn),
          clientIds: [parameter(IDENTITY_PARAMETERS.userPoolClientId)],
          groupConfiguration: { groupEntityType: 'Shop::UserGroup' },
        },
      },
    });
    return store;
  }

  /**
   * The service's REST API: one `{proxy+}` resource, any method, on its API function, behind a
   * Lambda REQUEST authorizer on the `Authorization` header (decisions cached 5 minutes, for the
   * whole API); access logs and tracing on its one stage. Routing, validation and authorization
   * (Cedar) happen in the function.
   */
  private restApi(
    apiName: string,
    apiFunction: NodejsFunction,
    authorizerFunction: NodejsFunction,
  ): void {
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const authorizer = new RequestAuthorizer(this, 'ApiAuthorizer', {
      handler: authorizerFunction,
      identitySources: [IdentitySource.header('Authorization')],
      resultsCacheTtl: Duration.minutes(5),
    });
    const api = new RestApi(this, 'Api', {
      restApiName: apiName,
      defaultMethodOptions: { authorizer, authorizationType: AuthorizationType.CUSTOM },
      description: `${apiName}: customer and employee routes`,
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      cloudWatchRole: false,
      deployOptions: {
        stageName: 'live',
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
        tracingEnabled: true,
        throttlingRateLimit: 100,
        throttlingBurstLimit: 200,
      },
    });
    api.root.addProxy({ anyMethod: true, defaultIntegration: new LambdaIntegration(apiFunction) });
    // Published through SSM like everything else, not as a stack output.
    api.node.tryRemoveChild('Endpoint');
    new StringParameter(this, 'ApiUrlParameter', {
      parameterName: `/shop/${apiName.replace(/^shop-/, '')}/api-url`,
      stringValue: api.url,
      description: `Base URL of ${apiName}`,
    });
    Validations.of(api).acknowledge(
      {
        id: 'AwsSolutions-APIG2',
        reason:
          'Requests are validated in the API function with the zod schemas of each route (400 with the issues), the one place both API Gateway and the local gateway reach.',
      },
      {
        id: 'AwsSolutions-APIG3',
        reason:
          'A WAF web ACL is an account-level choice (managed rule groups, cost); it attaches to the stage without changing this stack.',
      },
      {
        id: 'AwsSolutions-APIG6',
        reason:
          'Execution logging needs an account-wide CloudWatch role for API Gateway; the stage writes access logs, the functions log every request, and tracing is on.',
      },
      {
        id: 'AwsSolutions-COG4',
        reason:
          'The authorizer verifies Cognito ID tokens with aws-jwt-verify (signature, issuer, audience, token use, expiry) and passes the groups on; the routes ask Verified Permissions, which a Cognito authorizer cannot.',
      },
    );
  }

  /** The platform's VPC, from its SSM parameters, and a security group that only leaves on HTTPS. */
  private callerNetwork(): { vpc: IVpc; securityGroup: SecurityGroup } {
    const parameter = (name: string) => StringParameter.valueForStringParameter(this, name);
    const vpc = Vpc.fromVpcAttributes(this, 'PlatformVpc', {
      vpcId: parameter(PLATFORM_PARAMETERS.vpcId),
      // Functions are placed by subnet id; the zones only have to be as many as the subnets.
      availabilityZones: Array.from({ length: PLATFORM_AZ_COUNT }, (_, index) =>
        Fn.select(index, Fn.getAzs()),
      ),
      isolatedSubnetIds: Fn.split(',', parameter(PLATFORM_PARAMETERS.subnetIds), PLATFORM_AZ_COUNT),
    });
    const securityGroup = new SecurityGroup(this, 'QueryCallers', {
      vpc,
      allowAllOutbound: false,
      description:
        'Functions that call Lattice services: HTTPS out (Lattice, the DynamoDB endpoint), nothing in',
    });
    securityGroup.addEgressRule(
      Peer.anyIpv4(),
      Port.tcp(443),
      'HTTPS to Lattice and the DynamoDB gateway endpoint',
    );
    return { vpc, securityGroup };
  }

  /** Lets a function call other services' queries: their URLs and Invoke on exactly those paths. */
  private callQueries({
    fn,
    role,
    calls,
  }: {
    fn: NodejsFunction;
    role: Role;
    calls: readonly AnyQueryDefinition[];
  }): void {
    for (const provider of [...new Set(calls.map((query) => query.provider))]) {
      const queries = calls.filter((query) => query.provider === provider);
      const parameters = queryServiceParameters(provider);
      fn.addEnvironment(
        `${provider.toUpperCase()}_QUERIES_URL`,
        StringParameter.valueForStringParameter(this, parameters.url),
      );
      const serviceArn = StringParameter.valueForStringParameter(this, parameters.serviceArn);
      const statement = queryInvokeStatement(serviceArn, queries);
      role.addToPolicy(PolicyStatement.fromJson(statement));
      const { Ref: serviceArnParameter } = this.resolve(serviceArn) as { Ref: string };
      for (const route of queries
        .map((query) => policyPath(query.path))
        .filter((p) => p.includes('*'))) {
        Validations.of(role).acknowledge({
          id: `AwsSolutions-IAM5[Resource::<${serviceArnParameter}>${route}]`,
          reason: `The route's path parameter is the only wildcard: GET ${route} on ${provider}'s Lattice service, nothing else.`,
        });
      }
    }
    role.addToPolicy(
      new PolicyStatement({ sid: 'AttachToTheVpc', actions: VPC_ACCESS_ACTIONS, resources: ['*'] }),
    );
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Lambda creates and deletes the network interfaces of a function in a VPC with its role; these EC2 actions support no resource-level permissions (the same as the AWSLambdaVPCAccessExecutionRole managed policy).',
    });
  }

  /** The service's queries as a VPC Lattice service whose target is this function. */
  private latticeService(lattice: LatticeServiceTopology, fn: NodejsFunction): void {
    const service = new CfnService(this, 'QueryService', {
      name: lattice.latticeServiceName,
      authType: 'AWS_IAM',
    });
    const targetGroup = new CfnTargetGroup(this, 'QueryTargetGroup', {
      name: lattice.latticeServiceName,
      type: 'LAMBDA',
      config: { lambdaEventStructureVersion: 'V2' },
      targets: [{ id: fn.functionArn }],
    });
    fn.addPermission('InvokedByLattice', {
      principal: new ServicePrincipal('vpc-lattice.amazonaws.com'),
      sourceArn: targetGroup.attrArn,
    });
    new CfnListener(this, 'QueryListener', {
      serviceIdentifier: service.attrId,
      protocol: 'HTTPS',
      port: 443,
      defaultAction: {
        forward: { targetGroups: [{ targetGroupIdentifier: targetGroup.attrId, weight: 100 }] },
      },
    });
    new CfnServiceNetworkServiceAssociation(this, 'QueryServiceAssociation', {
      serviceIdentifier: service.attrId,
      serviceNetworkIdentifier: StringParameter.valueForStringParameter(
        this,
        PLATFORM_PARAMETERS.serviceNetworkArn,
      ),
    });
    new CfnAuthPolicy(this, 'QueryAuthPolicy', {
      resourceIdentifier: service.attrId,
      policy: serviceAuthPolicy(lattice, {
        serviceArn: service.attrArn,
        roleArnPattern: (caller) =>
          this.formatArn({
            service: 'iam',
            region: '',
            resource: 'role',
            resourceName: `${serviceRolePath(caller).slice(1)}*`,
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
      }),
    });
    const accessLogs = new LogGroup(this, 'QueryAccessLogs', {
      logGroupName: `/aws/vpc-lattice/${lattice.latticeServiceName}`,
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new CfnAccessLogSubscription(this, 'QueryAccessLogSubscription', {
      resourceIdentifier: service.attrId,
      destinationArn: accessLogs.logGroupArn,
    });
    const parameters = queryServiceParameters(lattice.service);
    new StringParameter(this, 'QueriesUrlParameter', {
      parameterName: parameters.url,
      stringValue: `https://${service.attrDnsEntryDomainName}`,
      description: `URL of ${lattice.service}'s Lattice service`,
    });
    new StringParameter(this, 'QueriesServiceArnParameter', {
      parameterName: parameters.serviceArn,
      stringValue: service.attrArn,
      description: `ARN of ${lattice.service}'s Lattice service, for its callers' identity policies`,
    });
  }

  private consumerQueues(
    consumer: ShopTopology['consumers'][number],
    busName: string,
  ): { queue: Queue; deadLetterQueue: Queue; settings: ShopTopology['consumers'][number] } {
    const deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      queueName: consumer.deadLetterQueueName,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const queue = new Queue(this, 'Queue', {
      queueName: consumer.queueName,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(consumer.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: consumer.maxReceiveCount },
    });
    new Alarm(this, 'DeadLetterQueueAlarm', {
      alarmDescription: `Messages ${consumer.service} could not process are waiting in its DLQ`,
      metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const rule = new CfnRule(this, 'Subscriptions', {
      name: consumer.ruleName,
      eventBusName: busName,
      description: `${consumer.service} subscribes to ${consumer.events.join(', ')}`,
      eventPattern: consumer.eventPattern,
      targets: [
        { id: 'queue', arn: queue.queueArn, deadLetterConfig: { arn: deadLetterQueue.queueArn } },
      ],
    });
    for (const target of [queue, deadLetterQueue]) {
      target.addToResourcePolicy(
        new PolicyStatement({
          sid: 'FromTheSubscriptionRule',
          effect: Effect.ALLOW,
          principals: [new ServicePrincipal('events.amazonaws.com')],
          actions: ['sqs:SendMessage'],
          resources: [target.queueArn],
          conditions: { ArnEquals: { 'aws:SourceArn': rule.attrArn } },
        }),
      );
    }
    return { queue, deadLetterQueue, settings: consumer };
  }

  private outboxPipe(relay: ShopTopology['outboxRelays'][number], busArn: string): void {
    const deadLetterQueue = new Queue(this, 'OutboxDeadLetterQueue', {
      queueName: relay.deadLetterQueueName,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is the outbox Pipe's dead-letter queue (cdk-nag only recognizes queues' redrive policies).",
    });
    const role = new Role(this, 'OutboxPipeRole', {
      assumedBy: new ServicePrincipal('pipes.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
      path: serviceRolePath(relay.service),
      description: `${relay.service} outbox Pipe: read the stream, put events with its own source`,
    });
    this.table.grantStreamRead(role);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams, which a Pipe with a DynamoDB stream source needs, supports no resource-level permissions; every other action is scoped to this table and its stream.',
    });
    deadLetterQueue.grant(role, 'sqs:SendMessage');
    role.addToPolicy(
      new PolicyStatement({
        sid: 'PutOwnEventsOnly',
        actions: ['events:PutEvents'],
        resources: [busArn],
        conditions: {
          'ForAllValues:StringEquals': { 'events:source': [`shop.${relay.service}`] },
          Null: { 'events:source': 'false' },
        },
      }),
    );
    const image = '$.dynamodb.NewImage';
    const pipe = new CfnPipe(this, 'OutboxPipe', {
      name: `${relay.service}-outbox`,
      description: `Publishes ${relay.service}'s outbox items to the shop bus`,
      roleArn: role.roleArn,
      source: this.table.tableStreamArn ?? '',
      sourceParameters: {
        dynamoDbStreamParameters: {
          startingPosition: 'TRIM_HORIZON',
          batchSize: 10,
          maximumRetryAttempts: 3,
          deadLetterConfig: { arn: deadLetterQueue.queueArn },
        },
        filterCriteria: { filters: [{ pattern: JSON.stringify(relay.filter) }] },
      },
      target: busArn,
      targetParameters: {
        eventBridgeEventBusParameters: {
          source: `${image}.${OUTBOX_ITEM.attributes.source}.S`,
          detailType: `${image}.${OUTBOX_ITEM.attributes.detailType}.S`,
        },
        inputTemplate: `<${image}.${OUTBOX_ITEM.attributes.detail}.S>`,
      },
    });
    pipe.node.addDependency(role);
  }
}
