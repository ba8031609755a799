import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { ServiceName } from '@shop/contracts';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Resources = Record<string, { Type: string; Properties?: Record<string, Json> }>;
interface TemplateJson {
  readonly Resources: Resources;
  readonly Parameters?: Record<string, { Default?: string }>;
}

const BUS_ARN = `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/shop`;

/** The ARN a policy store gets in the test account (Verified Permissions ARNs have no region). */
/** The id the matrix gives a stack's own policy store. */
export const OWN_POLICY_STORE = 'PolicyStore';

export const policyStoreArn = (id: string) =>
  `arn:aws:verifiedpermissions::${ACCOUNT}:policy-store/${id}`;

/** The ARN a service's Lattice service gets in the test account. */
export const latticeServiceArn = (service: string) =>
  `arn:aws:vpc-lattice:${REGION}:${ACCOUNT}:service/svc-${service.padEnd(17, '0')}`;

/** The concrete ARN a template's `Fn::GetAtt` stands for, as CloudFormation would create it. */
const attributeArn = (resources: Resources, id: string, attribute: string): string => {
  const resource = resources[id];
  const name = (key: string) => String(resource?.Properties?.[key]);
  switch (resource?.Type) {
    case 'AWS::DynamoDB::Table':
      return `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name('TableName')}${
        attribute === 'StreamArn' ? '/stream/2026-01-01T00:00:00.000' : ''
      }`;
    case 'AWS::SQS::Queue':
      return `arn:aws:sqs:${REGION}:${ACCOUNT}:${name('QueueName')}`;
    case 'AWS::Lambda::Function':
      return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name('FunctionName')}`;
    case 'AWS::Events::EventBus':
      return BUS_ARN;
    case 'AWS::VerifiedPermissions::PolicyStore':
      // Each service's stack has one policy store: its own.
      return attribute === 'Arn' ? policyStoreArn(OWN_POLICY_STORE) : OWN_POLICY_STORE;
    default:
      throw new Error(`Cannot resolve ${id}.${attribute} (${resource?.Type})`);
  }
};

/** Replaces CloudFormation intrinsics by the values they take in the test account. */
export const resolve = (template: TemplateJson, value: Json): Json => {
  if (Array.isArray(value)) return value.map((item) => resolve(template, item));
  if (value === null || typeof value !== 'object') return value;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt)) {
    return attributeArn(template.Resources, String(getAtt[0]), String(getAtt[1]));
  }
  const join = value['Fn::Join'];
  if (Array.isArray(join)) {
    const [separator, parts] = join;
    return (resolve(template, parts ?? []) as Json[]).join(String(separator));
  }
  const ref = value['Ref'];
  if (typeof ref === 'string') {
    if (ref === 'AWS::Partition') return 'aws';
    if (ref === 'AWS::AccountId') return ACCOUNT;
    if (ref === 'AWS::Region') return REGION;
    const parameter = template.Parameters?.[ref]?.Default;
    if (parameter === '/shop/platform/event-bus-arn') return BUS_ARN;
    const lattice = /^\/shop\/([a-z]+)\/queries-service-arn$/.exec(parameter ?? '');
    if (lattice?.[1] !== undefined) return latticeServiceArn(lattice[1]);
    if (template.Resources[ref]?.Type === 'AWS::Events::EventBus') return 'shop';
    throw new Error(`Cannot resolve Ref ${ref}`);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(template, v)]));
};

/** A role of a synthesized template, with its identity policy resolved to concrete ARNs. */
export interface ResolvedRole {
  readonly service: ServiceName;
  /** The function it runs, or `<service>-outbox-pipe`. */
  readonly name: string;
  readonly arn: string;
  readonly statements: Json[];
}

export const rolesOf = (service: ServiceName, template: TemplateJson): ResolvedRole[] => {
  const resources = template.Resources;
  return Object.entries(resources)
    .filter(([, resource]) => resource.Type === 'AWS::IAM::Role')
    .map(([id]) => {
      const runner = Object.values(resources).find(
        (r) =>
          r.Type === 'AWS::Lambda::Function' &&
          JSON.stringify(r.Properties?.['Role']) === JSON.stringify({ 'Fn::GetAtt': [id, 'Arn'] }),
      );
      const statements = Object.values(resources)
        .filter(
          (r) =>
            r.Type === 'AWS::IAM::Policy' &&
            JSON.stringify(r.Properties?.['Roles']).includes(`"${id}"`),
        )
        .flatMap((r) => {
          const document = r.Properties?.['PolicyDocument'] as { Statement: Json[] };
          return resolve(template, document.Statement) as Json[];
        });
      const name = runner ? String(runner.Properties?.['FunctionName']) : `${service}-outbox-pipe`;
      return {
        service,
        name,
        arn: `arn:aws:iam::${ACCOUNT}:role/shop/${service}/${id}`,
        statements,
      };
    });
};

/** One request of the matrix and the decision it must get. */
export interface Cell {
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string | string[]>;
  readonly expected: 'Allowed' | 'Denied';
}

export interface Outcome extends Cell {
  readonly role: string;
  readonly actual: 'Allowed' | 'Denied';
}

/** Evaluates one role against its cells: its identity policy, plus the bus policy for PutEvents. */
export const evaluate = async (
  role: ResolvedRole,
  cells: readonly Cell[],
  busPolicy: Json,
): Promise<Outcome[]> => {
  const outcomes: Outcome[] = [];
  for (const cell of cells) {
    const response = await runSimulation(
      {
        identityPolicies: [
          { name: role.name, policy: { Version: '2012-10-17', Statement: role.statements } },
        ],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(cell.action === 'events:PutEvents' && { resourcePolicy: busPolicy }),
        request: {
          action: cell.action,
          principal: role.arn,
          resource: { accountId: ACCOUNT, resource: cell.resource },
          contextVariables: {
            'aws:PrincipalArn': role.arn,
            'aws:PrincipalAccount': ACCOUNT,
            ...cell.context,
          },
        },
      } as Parameters<typeof runSimulation>[0],
      {},
    );
    if (response.resultType === 'error') {
      throw new Error(`${role.name} ${cell.action}: ${JSON.stringify(response.errors)}`);
    }
    outcomes.push({
      ...cell,
      role: role.name,
      actual: response.overallResult === 'Allowed' ? 'Allowed' : 'Denied',
    });
  }
  return outcomes;
};
