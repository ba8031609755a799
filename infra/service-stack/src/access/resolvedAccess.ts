/** A JSON value of a synthesized template. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The part of a synthesized CloudFormation template the resolver reads. */
export interface TemplateJson {
  readonly Resources: Readonly<Record<string, { Type: string; Properties?: Record<string, Json> }>>;
  readonly Parameters?: Readonly<Record<string, { Default?: string }>>;
}

/** Where the templates' intrinsics are resolved: an account, a region and the platform's names. */
export interface AccessEnvironment {
  readonly account: string;
  readonly region: string;
  /** The platform's bus, which the service stacks find through SSM. */
  readonly busName: string;
  /** The ARN of a service's Lattice service (SSM `/shop/<service>/queries-service-arn`). */
  readonly latticeServiceArn: (service: string) => string;
  /** The id of a service's own policy store. */
  readonly policyStoreId: (service: string) => string;
  /** The label of a table's stream, as in `table/<name>/stream/<label>`. */
  readonly streamLabel: string;
}

/** One role of a synthesized template, with its identity policy resolved to concrete ARNs. */
export interface ResolvedRole {
  readonly service: string;
  /** The function it runs, `<schedule>-schedule` or `<service>-outbox-pipe`. */
  readonly name: string;
  /** With its path: `arn:aws:iam::<account>:role/shop/<service>/<role name>`. */
  readonly arn: string;
  /** Its function runs in a VPC (it has a `VpcConfig`): it reaches only what the VPC can. */
  readonly inVpc: boolean;
  readonly statements: Json[];
}

/** A resolution of one service's template (or the platform's). */
interface Scope {
  readonly environment: AccessEnvironment;
  readonly service: string;
  readonly template: TemplateJson;
}

const arnIn = ({ environment }: Scope, service: string, resource: string) =>
  `arn:aws:${service}:${environment.region}:${environment.account}:${resource}`;

/** The concrete value a template's `Fn::GetAtt` stands for, as CloudFormation would create it. */
const attributeOf = (scope: Scope, id: string, attribute: string): string => {
  const resource = scope.template.Resources[id];
  const property = (key: string) => String(resolveIntrinsics(scope, resource?.Properties?.[key]));
  switch (resource?.Type) {
    case 'AWS::DynamoDB::Table': {
      const table = arnIn(scope, 'dynamodb', `table/${property('TableName')}`);
      return attribute === 'StreamArn' ? `${table}/stream/${scope.environment.streamLabel}` : table;
    }
    case 'AWS::SQS::Queue':
      return arnIn(scope, 'sqs', property('QueueName'));
    case 'AWS::Lambda::Function':
      return arnIn(scope, 'lambda', `function:${property('FunctionName')}`);
    case 'AWS::Events::EventBus':
      return arnIn(scope, 'events', `event-bus/${scope.environment.busName}`);
    case 'AWS::Events::Rule':
      return arnIn(scope, 'events', `rule/${scope.environment.busName}/${id}`);
    case 'AWS::VerifiedPermissions::PolicyStore': {
      const storeId = scope.environment.policyStoreId(scope.service);
      return attribute === 'Arn'
        ? `arn:aws:verifiedpermissions::${scope.environment.account}:policy-store/${storeId}`
        : storeId;
    }
    default:
      throw new Error(`Cannot resolve ${id}.${attribute} (${resource?.Type})`);
  }
};

/** The concrete value of a `Ref`: a pseudo parameter, an SSM parameter or a resource. */
const referenceOf = (scope: Scope, ref: string): string => {
  const { environment, template } = scope;
  if (ref === 'AWS::Partition') return 'aws';
  if (ref === 'AWS::AccountId') return environment.account;
  if (ref === 'AWS::Region') return environment.region;
  const parameter = template.Parameters?.[ref]?.Default;
  if (parameter === '/shop/platform/event-bus-arn') {
    return arnIn(scope, 'events', `event-bus/${environment.busName}`);
  }
  if (parameter === '/shop/platform/event-bus-name') return environment.busName;
  const lattice = /^\/shop\/([a-z]+)\/queries-service-arn$/.exec(parameter ?? '');
  if (lattice?.[1] !== undefined) return environment.latticeServiceArn(lattice[1]);
  const resource = template.Resources[ref];
  if (resource?.Type === 'AWS::Events::EventBus') return environment.busName;
  if (resource?.Type === 'AWS::SQS::Queue') {
    const name = String(resolveIntrinsics(scope, resource.Properties?.['QueueName']));
    return `https://sqs.${environment.region}.amazonaws.com/${environment.account}/${name}`;
  }
  throw new Error(`Cannot resolve Ref ${ref}`);
};

/** Replaces CloudFormation intrinsics (`Ref`, `Fn::GetAtt`, `Fn::Join`) by the values they take. */
const resolveIntrinsics = (scope: Scope, value: Json | undefined): Json => {
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.map((item) => resolveIntrinsics(scope, item));
  if (value === null || typeof value !== 'object') return value;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt)) return attributeOf(scope, String(getAtt[0]), String(getAtt[1]));
  const join = value['Fn::Join'];
  if (Array.isArray(join)) {
    const [separator, parts] = join;
    return (resolveIntrinsics(scope, parts ?? []) as Json[]).join(String(separator));
  }
  const ref = value['Ref'];
  if (typeof ref === 'string') return referenceOf(scope, ref);
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, resolveIntrinsics(scope, item)]),
  );
};

/**
 * Replaces the intrinsics of a value of `template` by the concrete values they take in
 * `environment`: the one resolver behind the least-privilege matrix and the local cloud's IAM.
 *
 * @example
 * ```ts
 * resolveTemplateValue(environment, 'order', template, { 'Fn::GetAtt': ['Table', 'Arn'] });
 * // 'arn:aws:dynamodb:eu-west-1:000000000000:table/shop-order'
 * ```
 */
export const resolveTemplateValue = (
  environment: AccessEnvironment,
  service: string,
  template: TemplateJson,
  value: Json,
): Json => resolveIntrinsics({ environment, service, template }, value);

const documentOf = (resource: { Properties?: Record<string, Json> }): Json[] => {
  const document = resource.Properties?.['PolicyDocument'];
  const statements =
    document !== null && typeof document === 'object' && !Array.isArray(document)
      ? document['Statement']
      : undefined;
  return Array.isArray(statements) ? statements : [];
};

/**
 * Each role of a service's template, as it is named and where it sits in IAM, with the
 * statements of every policy attached to it resolved to concrete ARNs.
 *
 * @example
 * ```ts
 * rolesOf(environment, 'order', template).map((role) => role.arn);
 * // ['arn:aws:iam::000000000000:role/shop/order/order-api-eu-west-1', ...]
 * ```
 */
export const rolesOf = (
  environment: AccessEnvironment,
  service: string,
  template: TemplateJson,
): ResolvedRole[] => {
  const scope: Scope = { environment, service, template };
  const resources = Object.entries(template.Resources);
  return resources
    .filter(([, resource]) => resource.Type === 'AWS::IAM::Role')
    .map(([id, role]) => {
      const runner = resources.find(
        ([, r]) =>
          r.Type === 'AWS::Lambda::Function' &&
          JSON.stringify(r.Properties?.['Role']) === JSON.stringify({ 'Fn::GetAtt': [id, 'Arn'] }),
      )?.[1];
      const statements = resources
        .filter(
          ([, r]) =>
            r.Type === 'AWS::IAM::Policy' &&
            JSON.stringify(r.Properties?.['Roles']).includes(`"${id}"`),
        )
        .flatMap(([, r]) => resolveIntrinsics(scope, documentOf(r)) as Json[]);
      const schedule = resources.find(
        ([, r]) =>
          r.Type === 'AWS::Scheduler::Schedule' &&
          JSON.stringify((r.Properties?.['Target'] as { RoleArn?: Json } | undefined)?.RoleArn) ===
            JSON.stringify({ 'Fn::GetAtt': [id, 'Arn'] }),
      )?.[1];
      const name = runner
        ? String(runner.Properties?.['FunctionName'])
        : schedule
          ? `${String(schedule.Properties?.['Name'])}-schedule`
          : `${service}-outbox-pipe`;
      const roleName = role.Properties?.['RoleName'];
      const path = String(role.Properties?.['Path'] ?? '/');
      const resolvedName =
        roleName === undefined ? name : String(resolveIntrinsics(scope, roleName));
      return {
        service,
        name,
        arn: `arn:aws:iam::${environment.account}:role${path}${resolvedName}`,
        inVpc: runner?.Properties?.['VpcConfig'] !== undefined,
        statements,
      };
    });
};

/**
 * The resource policies of a template, by the ARN of the resource each governs: SQS queue
 * policies, and the event bus policy of the platform's template.
 *
 * @example
 * ```ts
 * resourcePoliciesOf(environment, 'order', template)['arn:aws:sqs:eu-west-1:000000000000:order-events'];
 * ```
 */
export const resourcePoliciesOf = (
  environment: AccessEnvironment,
  service: string,
  template: TemplateJson,
): Record<string, { Version: '2012-10-17'; Statement: Json[] }> => {
  const scope: Scope = { environment, service, template };
  const policies: Record<string, { Version: '2012-10-17'; Statement: Json[] }> = {};
  const add = (arn: string, statements: Json[]) => {
    policies[arn] = {
      Version: '2012-10-17',
      Statement: [...(policies[arn]?.Statement ?? []), ...statements],
    };
  };
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type === 'AWS::SQS::QueuePolicy') {
      const queues = resource.Properties?.['Queues'];
      for (const queue of Array.isArray(queues) ? queues : []) {
        const url = String(resolveIntrinsics(scope, queue));
        const name = url.slice(url.lastIndexOf('/') + 1);
        add(arnIn(scope, 'sqs', name), resolveIntrinsics(scope, documentOf(resource)) as Json[]);
      }
    }
    if (resource.Type === 'AWS::Events::EventBusPolicy') {
      const statement = resolveIntrinsics(scope, resource.Properties?.['Statement'] ?? null);
      add(arnIn(scope, 'events', `event-bus/${environment.busName}`), [statement]);
    }
  }
  return policies;
};

/**
 * The AWS service of each VPC endpoint in a template, as its endpoint service names it
 * (`com.amazonaws.<region>.<service>`), sorted: the services a function in the VPC can reach.
 *
 * @example
 * ```ts
 * vpcEndpointServicesOf(platformTemplate); // ['dynamodb', 'sqs', 'verifiedpermissions']
 * ```
 */
export const vpcEndpointServicesOf = (template: TemplateJson): string[] =>
  Object.values(template.Resources)
    .filter((resource) => resource.Type === 'AWS::EC2::VPCEndpoint')
    // `com.amazonaws.<region>.sqs`, or the same joined with `{ Ref: AWS::Region }`.
    .map((endpoint) => JSON.stringify(endpoint.Properties?.['ServiceName']))
    .map((name) => /\.([a-z-]+)"[\]}]*$/.exec(name)?.[1] ?? name)
    .sort();

/** The properties of each resource kind that roles, policies and their ARNs are made of. */
const ACCESS_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  'AWS::IAM::Role': ['Path', 'RoleName'],
  'AWS::IAM::Policy': ['PolicyDocument', 'Roles'],
  'AWS::Lambda::Function': ['FunctionName', 'Role', 'VpcConfig'],
  'AWS::EC2::VPCEndpoint': ['ServiceName', 'VpcEndpointType'],
  'AWS::DynamoDB::Table': ['TableName'],
  'AWS::SQS::Queue': ['QueueName'],
  'AWS::SQS::QueuePolicy': ['PolicyDocument', 'Queues'],
  'AWS::Events::EventBus': ['Name'],
  'AWS::Events::Rule': [],
  'AWS::Events::EventBusPolicy': ['Statement'],
  'AWS::VerifiedPermissions::PolicyStore': [],
  'AWS::Scheduler::Schedule': ['Name', 'Target'],
};

/**
 * The part of a synthesized template that access is made of (roles, their policies, the
 * resources they name, resource policies, the SSM parameters), without code assets: small and
 * stable enough to commit and to resolve at start-up.
 *
 * @example
 * ```ts
 * const slice = accessTemplateOf(Template.fromStack(stack).toJSON() as TemplateJson);
 * rolesOf(environment, 'order', slice);
 * ```
 */
export const accessTemplateOf = (template: TemplateJson): TemplateJson => ({
  Resources: Object.fromEntries(
    Object.entries(template.Resources).flatMap(([id, resource]) => {
      const keep = ACCESS_PROPERTIES[resource.Type];
      if (keep === undefined) return [];
      const properties = Object.fromEntries(
        keep.flatMap((key) => {
          const value = resource.Properties?.[key];
          return value === undefined ? [] : [[key, value] as const];
        }),
      );
      return [[id, { Type: resource.Type, Properties: properties }] as const];
    }),
  ),
  Parameters: Object.fromEntries(
    Object.entries(template.Parameters ?? {}).flatMap(([id, parameter]) =>
      parameter.Default === undefined ? [] : [[id, { Default: parameter.Default }] as const],
    ),
  ),
});
