import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVICE_NAMES } from '@shop/contracts';
import { inventoryService } from '@shop/inventory/service';
import { ServiceStack, VPC_ACCESS_ACTIONS } from '@shop/service-stack';
import { SERVICE_TABLE } from '@shop/shared';
import { QueryConsentError, shopTopology } from '@shop/topology';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SHOP_SERVICES, topology } from './shop.js';
import { synthesizeServices, withoutBundling } from './stacks.js';

const { app, templates } = synthesizeServices();

interface Statement {
  readonly Action: string | string[];
  readonly Resource: unknown;
}
const statementsOf = (service: (typeof SERVICE_NAMES)[number]) =>
  Object.values(templates[service].findResources('AWS::IAM::Policy')).flatMap(
    (policy) => policy['Properties']['PolicyDocument']['Statement'] as Statement[],
  );
const actionsOf = (statement: Statement) =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];
/** A schedule role's one grant (checked on its own below). */
const invokesItsScheduledFunction = (statement: Statement) =>
  JSON.stringify(statement.Action) === '"lambda:InvokeFunction"';

describe('the service apps', () => {
  it('pass the cdk-nag AwsSolutions checks', () => {
    expect(() => app.synth()).not.toThrow();
  });

  describe.each(SERVICE_NAMES)('%s', (service) => {
    const template = templates[service];

    it('deploys exactly the functions the topology names, as ESM on nodejs22.x and arm64', () => {
      const functions = Object.values(template.findResources('AWS::Lambda::Function'));

      expect(functions.map((f) => f['Properties']['FunctionName']).sort()).toEqual(
        topology.functions
          .filter((f) => f.service === service)
          .map((f) => f.functionName)
          .sort(),
      );
      for (const fn of functions) {
        expect(fn['Properties']).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
        });
      }
    });

    it('gives every function, the Pipe and each schedule a role of its own under /shop/<service>/', () => {
      const roles = Object.values(template.findResources('AWS::IAM::Role'));
      const functions = Object.values(template.findResources('AWS::Lambda::Function'));
      const schedules = topology.schedules.filter((schedule) => schedule.service === service);

      expect(roles).toHaveLength(functions.length + 1 + schedules.length);
      expect(new Set(functions.map((f) => JSON.stringify(f['Properties']['Role']))).size).toBe(
        functions.length,
      );
      for (const role of roles) expect(role['Properties']['Path']).toBe(`/shop/${service}/`);
    });

    it('grants no wildcard resource but the one action that has no resource-level permissions', () => {
      const wildcards = statementsOf(service).filter((s) => JSON.stringify(s.Resource) === '"*"');

      // dynamodb:ListStreams (the Pipe) and, for functions in the VPC, the network-interface
      // actions Lambda needs: none of them supports resource-level permissions.
      expect(new Set(wildcards.flatMap(actionsOf))).toEqual(
        new Set(['dynamodb:ListStreams', ...(service === 'order' ? VPC_ACCESS_ACTIONS : [])]),
      );
      expect(
        statementsOf(service)
          .filter((statement) => !invokesItsScheduledFunction(statement))
          .flatMap(actionsOf),
      ).not.toContainEqual(expect.stringMatching(/^(lambda:|iam:|\*)|:\*$/));
    });

    it("lets only each schedule's role invoke a function: the one it schedules", () => {
      const functionIds = Object.fromEntries(
        Object.entries(template.findResources('AWS::Lambda::Function')).map(([id, fn]) => [
          fn['Properties']['FunctionName'],
          id,
        ]),
      );
      const invoking = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
        JSON.stringify(policy['Properties']['PolicyDocument']).includes('"lambda:'),
      );

      expect(invoking.map((policy) => policy['Properties']['PolicyDocument']['Statement'])).toEqual(
        topology.schedules
          .filter((schedule) => schedule.service === service)
          .map((schedule) => [
            {
              Sid: 'InvokeItsFunctionOnly',
              Effect: 'Allow',
              Action: 'lambda:InvokeFunction',
              Resource: { 'Fn::GetAtt': [functionIds[schedule.functionName], 'Arn'] },
            },
          ]),
      );
      for (const policy of invoking) {
        const [role] = policy['Properties']['Roles'] as { Ref: string }[];
        const trust = template.toJSON()['Resources'][role?.Ref ?? '']['Properties'];
        expect(trust['AssumeRolePolicyDocument']['Statement']).toEqual([
          expect.objectContaining({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
          }),
        ]);
      }
    });

    it('finds the platform through SSM parameters: no exports, no imports', () => {
      const json = JSON.stringify(template.toJSON());

      expect(json).not.toContain('Fn::ImportValue');
      expect(template.toJSON()['Outputs']).toBeUndefined();
    });

    it('gives each function the timeout and the reserved concurrency its topology says', () => {
      const functions = Object.values(template.findResources('AWS::Lambda::Function'));

      expect(
        functions
          .map((f) => [
            f['Properties']['FunctionName'],
            f['Properties']['Timeout'],
            f['Properties']['ReservedConcurrentExecutions'],
          ])
          .sort(),
      ).toEqual(
        topology.functions
          .filter((f) => f.service === service)
          .map((f) => [f.functionName, f.timeoutSeconds, f.concurrency])
          .sort(),
      );
    });

    it('lets its Pipe put events on the bus only with its own source', () => {
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: 'events:PutEvents',
              Condition: {
                'ForAllValues:StringEquals': { 'events:source': [`shop.${service}`] },
                Null: { 'events:source': 'false' },
              },
            }),
          ]),
        },
      });
    });
  });
});

describe('a function that declares its concurrency', () => {
  it('gets it as its reserved concurrency, and the others none', () => {
    const queries = { ...inventoryService.functions.queries, concurrency: 7 };
    const stack = new ServiceStack(withoutBundling(new App()), 'ReservedInventory', {
      env: { account: '111122223333', region: 'eu-west-1' },
      manifest: { ...inventoryService, functions: { ...inventoryService.functions, queries } },
      packageDir: dirname(fileURLToPath(import.meta.resolve('@shop/inventory/service'))),
    });
    const functions = Object.values(
      Template.fromStack(stack).findResources('AWS::Lambda::Function'),
    );

    expect(
      Object.fromEntries(
        functions.map((f) => [
          f['Properties']['FunctionName'],
          f['Properties']['ReservedConcurrentExecutions'],
        ]),
      ),
    ).toEqual({
      'inventory-api': undefined,
      'inventory-authorizer': undefined,
      'inventory-events': undefined,
      'inventory-queries': 7,
    });
  });
});

describe('the synthesized topology is the one the local cloud runs', () => {
  it.each(topology.consumers)(
    "$service's queue, DLQ, rule and event-source mapping",
    (consumer) => {
      const template = templates[consumer.service];

      // No MaximumMessageSize: SQS's default (1 MiB), the local queues' too.
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: consumer.queueName,
        VisibilityTimeout: consumer.visibilityTimeoutSeconds,
        RedrivePolicy: { maxReceiveCount: consumer.maxReceiveCount },
        MaximumMessageSize: Match.absent(),
      });
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: consumer.deadLetterQueueName,
        MaximumMessageSize: Match.absent(),
      });
      template.hasResourceProperties('AWS::Events::Rule', {
        Name: consumer.ruleName,
        EventPattern: consumer.eventPattern,
      });
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        BatchSize: consumer.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: consumer.maximumConcurrency },
      });
    },
  );

  it.each(topology.tables)('$service tables', (tables) => {
    const template = templates[tables.service];

    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: tables.tableName,
      KeySchema: [
        { AttributeName: SERVICE_TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: SERVICE_TABLE.sortKey, KeyType: 'RANGE' },
      ],
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      TimeToLiveSpecification: { AttributeName: SERVICE_TABLE.timeToLive, Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: tables.idempotencyTableName,
    });
  });

  it.each(topology.tables)(
    "$service's table: the sparse by-deadline index, keys only",
    (tables) => {
      templates[tables.service].hasResourceProperties('AWS::DynamoDB::Table', {
        TableName: tables.tableName,
        GlobalSecondaryIndexes: Match.arrayWith([
          {
            IndexName: SERVICE_TABLE.byDeadlineIndex.indexName,
            KeySchema: [
              { AttributeName: SERVICE_TABLE.byDeadlineIndex.partitionKey, KeyType: 'HASH' },
              { AttributeName: SERVICE_TABLE.byDeadlineIndex.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ]),
      });
    },
  );

  it.each(topology.schedules)(
    '$scheduleName: $expression, invoking its function with no input, as its own role, no retries',
    (schedule) => {
      const template = templates[schedule.service];
      const [functionId] = Object.entries(template.findResources('AWS::Lambda::Function'))
        .filter(([, fn]) => fn['Properties']['FunctionName'] === schedule.functionName)
        .map(([id]) => id);

      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        Name: schedule.scheduleName,
        ScheduleExpression: schedule.expression,
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        Target: {
          Arn: { 'Fn::GetAtt': [functionId, 'Arn'] },
          RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Schedule'), 'Arn'] },
          Input: '{}',
          RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 },
        },
      });
      template.hasResourceProperties('AWS::IAM::Role', {
        RoleName: `${schedule.roleName}-eu-west-1`,
        Path: `/shop/${schedule.service}/`,
      });
    },
  );

  it.each(topology.outboxRelays)("$service's outbox Pipe", (relay) => {
    templates[relay.service].hasResourceProperties('AWS::Pipes::Pipe', {
      SourceParameters: {
        FilterCriteria: { Filters: [{ Pattern: JSON.stringify(relay.filter) }] },
        DynamoDBStreamParameters: Match.objectLike({ StartingPosition: 'TRIM_HORIZON' }),
      },
    });
    templates[relay.service].hasResourceProperties('AWS::SQS::Queue', {
      QueueName: relay.deadLetterQueueName,
    });
  });
});

describe('queries over VPC Lattice', () => {
  it.each(topology.latticeServices)(
    "$service's Lattice service: IAM auth, a V2 Lambda target, HTTPS, on the service network",
    (lattice) => {
      const template = templates[lattice.service];
      const serviceId = Object.keys(template.findResources('AWS::VpcLattice::Service'))[0];

      template.hasResourceProperties('AWS::VpcLattice::Service', {
        Name: lattice.latticeServiceName,
        AuthType: 'AWS_IAM',
      });
      template.hasResourceProperties('AWS::VpcLattice::TargetGroup', {
        Type: 'LAMBDA',
        Config: { LambdaEventStructureVersion: 'V2' },
      });
      template.hasResourceProperties('AWS::VpcLattice::Listener', { Protocol: 'HTTPS', Port: 443 });
      template.hasResourceProperties('AWS::VpcLattice::ServiceNetworkServiceAssociation', {
        ServiceNetworkIdentifier: { Ref: Match.stringLikeRegexp('shopplatformservicenetworkarn') },
      });
      template.hasResourceProperties('AWS::VpcLattice::AccessLogSubscription', {
        ResourceIdentifier: { 'Fn::GetAtt': [serviceId, 'Id'] },
      });
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Principal: 'vpc-lattice.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
      });
      template.hasResourceProperties('AWS::VpcLattice::AuthPolicy', {
        Policy: {
          Statement: lattice.callers.map((caller) =>
            Match.objectLike({
              Effect: 'Allow',
              Action: 'vpc-lattice-svcs:Invoke',
              Condition: {
                ArnLike: { 'aws:PrincipalArn': Match.objectLike({}) },
                StringEquals: { 'vpc-lattice-svcs:RequestMethod': 'GET' },
              },
              Resource: caller.routes.map((route) => ({
                'Fn::Join': ['', [{ 'Fn::GetAtt': [serviceId, 'Arn'] }, route.policyPath]],
              })),
            }),
          ),
        },
      });
    },
  );

  it('puts only the functions that call queries in the VPC, leaving HTTPS only', () => {
    const inVpc = SERVICE_NAMES.flatMap((service) =>
      Object.values(templates[service].findResources('AWS::Lambda::Function'))
        .filter((fn) => fn['Properties']['VpcConfig'] !== undefined)
        .map((fn) => fn['Properties']['FunctionName']),
    );

    expect(inVpc.sort()).toEqual(['order-api']);
    templates.order.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' }],
    });
  });

  it('refuses a query call its provider has not consented to, before anything is synthesized', async () => {
    const { GetStock } = await import('@shop/contracts');
    const [order, ...others] = SHOP_SERVICES;
    const greedy = {
      ...order,
      functions: {
        ...order.functions,
        api: {
          ...order.functions.api,
          access: { ...order.functions.api.access, queries: [GetStock] },
        },
      },
    };

    expect(() => shopTopology([greedy, ...others])).toThrow(QueryConsentError);
    expect(() => shopTopology([greedy, ...others])).toThrow(
      'order calls GetStock, which inventory does not let it call',
    );
  });
});

describe('Cedar policies in Verified Permissions', () => {
  it.each(SERVICE_NAMES)(
    "%s's policy store: STRICT, the schema, one policy per .cedar file, Cognito groups as UserGroup",
    async (service) => {
      const { loadPolicyStore, schemaJsonOf } = await import('@shop/authorization');
      const { dirname } = await import('node:path');
      const { fileURLToPath } = await import('node:url');
      const store = loadPolicyStore(
        service,
        dirname(fileURLToPath(import.meta.resolve(`@shop/${service}/policies/schema.cedarschema`))),
      );
      const template = templates[service];

      template.hasResourceProperties('AWS::VerifiedPermissions::PolicyStore', {
        ValidationSettings: { Mode: 'STRICT' },
        Schema: { CedarJson: schemaJsonOf(store) },
      });
      const statements = Object.values(
        template.findResources('AWS::VerifiedPermissions::Policy'),
      ).map((policy) => policy['Properties']['Definition']['Static']['Statement']);
      expect(statements.sort()).toEqual(Object.values(store.policies).sort());
      template.hasResourceProperties('AWS::VerifiedPermissions::IdentitySource', {
        PrincipalEntityType: 'Shop::User',
        Configuration: {
          CognitoUserPoolConfiguration: Match.objectLike({
            GroupConfiguration: { GroupEntityType: 'Shop::UserGroup' },
          }),
        },
      });
    },
  );
});

describe('REST APIs', () => {
  it.each(topology.restApis)(
    '$apiName: {proxy+} on its API function, behind its Lambda authorizer on Authorization',
    (restApi) => {
      const template = templates[restApi.service];

      template.hasResourceProperties('AWS::ApiGateway::RestApi', { Name: restApi.apiName });
      template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: '{proxy+}' });
      template.hasResourceProperties('AWS::ApiGateway::Method', {
        HttpMethod: 'ANY',
        AuthorizationType: 'CUSTOM',
        Integration: Match.objectLike({ Type: 'AWS_PROXY' }),
      });
      template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
        Type: 'REQUEST',
        IdentitySource: 'method.request.header.Authorization',
      });
      template.hasResourceProperties('AWS::ApiGateway::Stage', {
        StageName: 'live',
        TracingEnabled: true,
        AccessLogSetting: Match.objectLike({}),
      });
      expect(
        Object.values(template.findResources('AWS::ApiGateway::Method')).every(
          (method) => method['Properties']['AuthorizationType'] === 'CUSTOM',
        ),
      ).toBe(true);
    },
  );

  it.each(topology.restApis)(
    '$apiName: only its live stage and its authorizer may invoke its functions',
    (restApi) => {
      const permissions = Object.values(
        templates[restApi.service].findResources('AWS::Lambda::Permission'),
      )
        .filter((p) => p['Properties']['Principal'] === 'apigateway.amazonaws.com')
        .map((p) => JSON.stringify(p['Properties']['SourceArn']));

      expect(permissions).toHaveLength(2);
      expect(permissions).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/"RestApi[0-9A-F]+"\},"\/",\{"Ref":"RestApiDeploymentStagelive/),
          expect.stringMatching(/"RestApi[0-9A-F]+"\},"\/authorizers\/"/),
        ]),
      );
      expect(permissions.join()).not.toContain('test-invoke-stage');
    },
  );
});
