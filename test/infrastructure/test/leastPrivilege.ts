import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { ServiceName } from '@shop/contracts';
import {
  type AccessEnvironment,
  type ResolvedRole as AnyResolvedRole,
  type Json,
  rolesOf as resolvedRolesOf,
  resolveTemplateValue,
  type TemplateJson,
} from '@shop/service-stack/resolved-access';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';

const BUS_NAME = 'shop';

/** The id the matrix gives a stack's own policy store. */
export const OWN_POLICY_STORE = 'PolicyStore';

export const policyStoreArn = (id: string) =>
  `arn:aws:verifiedpermissions::${ACCOUNT}:policy-store/${id}`;

/** The ARN a service's Lattice service gets in the test account. */
export const latticeServiceArn = (service: string) =>
  `arn:aws:vpc-lattice:${REGION}:${ACCOUNT}:service/svc-${service.padEnd(17, '0')}`;

/** The test account, where each service's stack has one policy store: its own. */
const TEST_ACCOUNT: AccessEnvironment = {
  account: ACCOUNT,
  region: REGION,
  busName: BUS_NAME,
  latticeServiceArn,
  policyStoreId: () => OWN_POLICY_STORE,
  streamLabel: '2026-01-01T00:00:00.000',
};

/** Replaces CloudFormation intrinsics by the values they take in the test account. */
export const resolve = (template: TemplateJson, value: Json): Json =>
  resolveTemplateValue(TEST_ACCOUNT, 'platform', template, value);

/** A role of a service's stack, resolved in the test account. */
export interface ResolvedRole extends AnyResolvedRole {
  readonly service: ServiceName;
}

/** Each role of a service's template, resolved in the test account. */
export const rolesOf = (service: ServiceName, template: TemplateJson): ResolvedRole[] =>
  resolvedRolesOf(TEST_ACCOUNT, service, template).map((role) => ({ ...role, service }));

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

/**
 * Evaluates one role against its cells: its identity policy, under its service's permissions
 * boundary when given, plus the bus policy for PutEvents.
 */
export const evaluate = async (
  role: ResolvedRole,
  cells: readonly Cell[],
  busPolicy: Json,
  boundary?: Json,
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
        ...(boundary !== undefined && {
          permissionBoundaryPolicies: [{ name: `${role.service}-boundary`, policy: boundary }],
        }),
        ...(cell.action === 'events:PutEvents' && { resourcePolicy: busPolicy }),
        request: {
          action: cell.action,
          principal: role.arn,
          resource: { accountId: ACCOUNT, resource: cell.resource },
          contextVariables: {
            'aws:PrincipalArn': role.arn,
            'aws:PrincipalAccount': ACCOUNT,
            'aws:PrincipalTag/shop:service': role.service,
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
