import { SERVICE_NAMES } from '@shop/contracts';
import { deploySubject } from '@shop/deploy-identities';
import {
  DEPLOY_ENVIRONMENTS,
  DEPLOYED_APPS,
  type DeployEnvironment,
  type DeployedApp,
  deployNames,
  SERVICE_TAG,
} from '@shop/topology';
import { CfnResource, type Stack, TagManager } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  REPOSITORY,
  synthesizeConsole,
  synthesizeDeployIdentities,
  synthesizePlatform,
  synthesizeServices,
} from './stacks.js';

const services = synthesizeServices();
const consoleApp = synthesizeConsole();
const deploy = synthesizeDeployIdentities();
const platform = synthesizePlatform();

type Json = Record<string, unknown>;
const resourcesOf = (template: Template, type: string) =>
  Object.values(template.findResources(type)) as { Properties: Json }[];
const statementsOf = (document: unknown) => (document as { Statement: Json[] }).Statement;

/** The value of one tag, whether CloudFormation takes a type's tags as a list or as a map. */
const tagOf = (tags: unknown, key: string): unknown => {
  if (Array.isArray(tags)) return tags.find((tag: Json) => tag['Key'] === key)?.['Value'];
  return (tags as Json | undefined)?.[key];
};

/** Every resource of a stack that CDK can tag, with the value its template gives the tag. */
const taggedValues = (stack: Stack, template: Template) =>
  stack.node
    .findAll()
    .filter((node): node is CfnResource => CfnResource.isCfnResource(node))
    .filter((resource) => TagManager.isTaggable(resource) || TagManager.isTaggableV2(resource))
    .map((resource) => {
      const id = stack.resolve(resource.logicalId) as string;
      const properties = (template.toJSON()['Resources'][id]?.['Properties'] ?? {}) as Json;
      const property = TagManager.of(resource)?.tagPropertyName ?? 'tags';
      const tags = properties[property[0]?.toUpperCase() + property.slice(1)];
      return { id, type: resource.cfnResourceType, value: tagOf(tags, SERVICE_TAG) };
    });

describe('the deploy identities app', () => {
  it('passes the cdk-nag AwsSolutions checks', () => {
    expect(() => deploy.app.synth()).not.toThrow();
  });

  it("trusts GitHub's OIDC issuer, for STS only", () => {
    expect(resourcesOf(deploy.template, 'AWS::IAM::OIDCProvider')).toEqual([
      expect.objectContaining({
        Properties: expect.objectContaining({
          Url: 'https://token.actions.githubusercontent.com',
          ClientIdList: ['sts.amazonaws.com'],
        }),
      }),
    ]);
  });

  it('has one deploy role per service and environment, one per environment for the console, and no other role', () => {
    const names = resourcesOf(deploy.template, 'AWS::IAM::Role').map(
      (role) => role.Properties['RoleName'],
    );

    expect(names.sort()).toEqual(
      DEPLOYED_APPS.flatMap((app) => DEPLOY_ENVIRONMENTS.map(deployNames(app).role)).sort(),
    );
    expect(names).toContain('shop-deploy-console-production');
  });

  describe.each(
    DEPLOYED_APPS.flatMap((svc) =>
      DEPLOY_ENVIRONMENTS.map((environment): [DeployedApp, DeployEnvironment] => [
        svc,
        environment,
      ]),
    ),
  )('%s in %s', (service, environment) => {
    const role = resourcesOf(deploy.template, 'AWS::IAM::Role').find(
      (candidate) => candidate.Properties['RoleName'] === `shop-deploy-${service}-${environment}`,
    );
    const trust = statementsOf(role?.Properties['AssumeRolePolicyDocument']);

    it("is assumed only by its service's workflow, in that environment, of this repository", () => {
      const subject = `repo:${REPOSITORY}:environment:${environment}:workflow_ref:${REPOSITORY}/.github/workflows/deploy-${service}.yml@refs/heads/main:job_workflow_ref:${REPOSITORY}/.github/workflows/deploy-service.yml@refs/heads/main`;

      expect(deploySubject({ repository: REPOSITORY, service, environment })).toBe(subject);
      expect(trust).toContainEqual(
        expect.objectContaining({
          Action: 'sts:AssumeRoleWithWebIdentity',
          Effect: 'Allow',
          Condition: {
            StringEquals: {
              'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
              'token.actions.githubusercontent.com:sub': subject,
            },
          },
        }),
      );
      expect(trust.filter((statement) => statement['Action'] !== 'sts:TagSession')).toHaveLength(1);
    });

    it('accepts session tags only of its own service', () => {
      expect(trust).toContainEqual(
        expect.objectContaining({
          Action: 'sts:TagSession',
          Condition: expect.objectContaining({
            StringEquals: expect.objectContaining({ [`aws:RequestTag/${SERVICE_TAG}`]: service }),
            'ForAllValues:StringEquals': { 'aws:TagKeys': [SERVICE_TAG] },
          }),
        }),
      );
    });

    it('carries its service as principal tag, under /shop-deploy/', () => {
      expect(role?.Properties).toMatchObject({
        Path: '/shop-deploy/',
        Tags: [{ Key: SERVICE_TAG, Value: service }],
      });
    });
  });

  it.each(DEPLOYED_APPS)(
    "%s's execution policy holds the Lambda VPC guardrail on its query callers",
    (service) => {
      const policy = resourcesOf(deploy.template, 'AWS::IAM::ManagedPolicy').find(
        (candidate) =>
          candidate.Properties['ManagedPolicyName'] === `shop-${service}-cfn-execution`,
      );
      const denials = statementsOf(policy?.Properties['PolicyDocument']).filter(
        (statement) => statement['Effect'] === 'Deny',
      );
      const conditionKeys = denials.flatMap((statement) =>
        Object.values(statement['Condition'] as Record<string, Json>).flatMap(Object.keys),
      );

      expect(conditionKeys).toEqual(expect.arrayContaining(['lambda:VpcIds']));
      if (service === 'order') {
        expect(denials.map((statement) => statement['Sid'])).toEqual(
          expect.arrayContaining([
            'QueryCallersOnlyInTheShopVpc',
            'QueryCallersOnlyInTheShopSubnets',
            'QueryCallersWithSecurityGroups',
          ]),
        );
        expect(denials).toContainEqual(
          expect.objectContaining({
            Condition: {
              'ForAnyValue:StringNotEquals': { 'lambda:SubnetIds': expect.any(Array) },
            },
          }),
        );
      }
    },
  );

  it('lets only the services read and record the commits that run, for can-i-deploy, and never the console', () => {
    const statementsOfRole = (roleId: string) =>
      resourcesOf(deploy.template, 'AWS::IAM::Policy')
        .filter((policy) => JSON.stringify(policy.Properties['Roles']).includes(`"Ref":"${roleId}`))
        .flatMap((policy) => statementsOf(policy.Properties['PolicyDocument']));
    const commitStatements = (app: DeployedApp) =>
      statementsOfRole(`${deployNames(app).stackName}Staging`).filter((statement) =>
        JSON.stringify(statement['Resource']).includes('/deployed/'),
      );

    expect(commitStatements('console')).toEqual([]);
    for (const service of SERVICE_NAMES) {
      expect(commitStatements(service).map((statement) => statement['Sid'])).toEqual([
        'RecordItsDeployedCommit',
        'ReadTheCommitsTheOtherServicesRun',
      ]);
      expect(JSON.stringify(commitStatements(service))).not.toContain('deployed/console');
    }
  });
});

describe('the service apps deploy through their own bootstrap', () => {
  it.each(SERVICE_NAMES)('%s names its own bootstrap qualifier', (service) => {
    const template = services.templates[service].toJSON();

    expect(template['Parameters']['BootstrapVersion']['Default']).toBe(
      `/cdk-bootstrap/${deployNames(service).qualifier}/version`,
    );
  });

  it.each(SERVICE_NAMES)("gives every role of %s the service's permissions boundary", (service) => {
    const roles = resourcesOf(services.templates[service], 'AWS::IAM::Role');

    expect(roles.length).toBeGreaterThan(0);
    for (const role of roles) {
      expect(JSON.stringify(role.Properties['PermissionsBoundary'])).toContain(
        `:policy/shop-${service}-boundary`,
      );
    }
  });

  it("deploys the console through its own bootstrap, its role under the console's boundary", () => {
    const template = consoleApp.template.toJSON();
    const roles = resourcesOf(consoleApp.template, 'AWS::IAM::Role');

    expect(template['Parameters']['BootstrapVersion']['Default']).toBe(
      '/cdk-bootstrap/console/version',
    );
    expect(roles).toHaveLength(1);
    expect(JSON.stringify(roles[0]?.Properties['PermissionsBoundary'])).toContain(
      ':policy/shop-console-boundary',
    );
  });
});

describe('ABAC tags', () => {
  it.each(SERVICE_NAMES)('tag every taggable resource of %s with its service', (service) => {
    const tagged = taggedValues(
      services.app.node.findChild(deployNames(service).stackName) as Stack,
      services.templates[service],
    );

    expect(tagged.length).toBeGreaterThan(20);
    expect(tagged.filter((resource) => resource.value !== service)).toEqual([]);
  });

  it('tag every taggable resource of the console as the console', () => {
    const tagged = taggedValues(consoleApp.stack, consoleApp.template);

    expect(tagged.map((resource) => resource.type)).toEqual(
      expect.arrayContaining([
        'AWS::Lambda::Function',
        'AWS::IAM::Role',
        'AWS::Logs::LogGroup',
        'AWS::ElasticLoadBalancingV2::TargetGroup',
        'AWS::ElasticLoadBalancingV2::ListenerRule',
      ]),
    );
    expect(tagged.filter((resource) => resource.value !== 'console')).toEqual([]);
  });

  it('tag every taggable shared resource as the platform, and each deploy role as its service', () => {
    const shared = [
      ...taggedValues(platform.stacks.platform, platform.templates.platform),
      ...taggedValues(platform.stacks.identity, platform.templates.identity),
      ...taggedValues(deploy.stack, deploy.template).filter(
        (resource) => resource.type !== 'AWS::IAM::Role',
      ),
    ];
    const roles = taggedValues(deploy.stack, deploy.template).filter(
      (resource) => resource.type === 'AWS::IAM::Role',
    );

    expect(shared.length).toBeGreaterThan(20);
    expect(shared.filter((resource) => resource.value !== 'platform')).toEqual([]);
    expect(roles.map((role) => role.value).sort()).toEqual(
      DEPLOYED_APPS.flatMap((app) => [app, app]).sort(),
    );
  });
});

describe('IAM Access Analyzer', () => {
  it('analyzes the account for external access and for unused access', () => {
    const analyzers = resourcesOf(platform.templates.platform, 'AWS::AccessAnalyzer::Analyzer');

    expect(analyzers.map((analyzer) => analyzer.Properties)).toEqual([
      expect.objectContaining({ Type: 'ACCOUNT' }),
      expect.objectContaining({
        Type: 'ACCOUNT_UNUSED_ACCESS',
        AnalyzerConfiguration: { UnusedAccessConfiguration: { UnusedAccessAge: 90 } },
      }),
    ]);
  });

  it('leaves the platform app nag clean', () => {
    expect(() => platform.app.synth()).not.toThrow();
  });
});
