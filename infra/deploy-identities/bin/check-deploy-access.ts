import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  AccessAnalyzerClient,
  CheckAccessNotGrantedCommand,
  CheckNoNewAccessCommand,
  paginateValidatePolicy,
} from '@aws-sdk/client-accessanalyzer';
import { CloudFormationClient, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { CONSOLE_FUNCTION_NAME } from '@shop/console';
import { inventoryService } from '@shop/inventory/service';
import { orderService } from '@shop/order/service';
import { paymentService } from '@shop/payment/service';
import type { AccessEnvironment, TemplateJson } from '@shop/service-stack/resolved-access';
import { DEPLOYED_APPS, type DeployedApp, deployNames, shopTopology } from '@shop/topology';
import {
  checkDeployAccess,
  forbiddenAccessOf,
  type PolicyChecker,
  policiesOf,
} from '../src/accessChecks.js';

/**
 * Runs Access Analyzer's policy checks on a service's (or the console's) synthesized template
 * before `cdk deploy` (`npm run check-access -w @shop/deploy-identities`, after `npm run synth -w
 * @shop/<service>`), with the deploy role's credentials. SERVICE names the service or `console`,
 * AWS_REGION and AWS_ACCOUNT_ID the target. Exits 1 on a finding that fails the deploy; new
 * access goes to the job summary.
 */
const service = process.env['SERVICE'] as DeployedApp;
const region = process.env['AWS_REGION'];
const account = process.env['AWS_ACCOUNT_ID'];
if (!DEPLOYED_APPS.includes(service) || !region || !account) {
  throw new Error(`Set SERVICE (${DEPLOYED_APPS.join(', ')}), AWS_REGION and AWS_ACCOUNT_ID`);
}
const names = deployNames(service);
const environment: AccessEnvironment = {
  account,
  region,
  busName: 'shop',
  // Ids CloudFormation has not created yet: placeholders of the right format.
  latticeServiceArn: (provider) =>
    `arn:aws:vpc-lattice:${region}:${account}:service/svc-${provider.padEnd(17, '0')}`,
  policyStoreId: () => 'PSEXAMPLEabcdefg111111',
  streamLabel: '2026-01-01T00:00:00.000',
};
const templateFile = fileURLToPath(
  new URL(`../../../${names.packageDir}/cdk.out/${names.stackName}.template.json`, import.meta.url),
);
const template = JSON.parse(readFileSync(templateFile, 'utf8')) as TemplateJson;

const deployedTemplate = async (): Promise<TemplateJson | undefined> => {
  try {
    const { TemplateBody } = await new CloudFormationClient({ region }).send(
      new GetTemplateCommand({ StackName: names.stackName, TemplateStage: 'Original' }),
    );
    return TemplateBody === undefined ? undefined : (JSON.parse(TemplateBody) as TemplateJson);
  } catch (error) {
    if (error instanceof Error && /does not exist/.test(error.message)) return undefined;
    throw error;
  }
};

const analyzer = new AccessAnalyzerClient({ region });
const checker: PolicyChecker = {
  validate: async (policy) => {
    const findings: { type: string; issue: string }[] = [];
    for await (const page of paginateValidatePolicy(
      { client: analyzer },
      {
        policyDocument: policy.document,
        policyType: policy.policyType,
        ...(policy.resourceType && { validatePolicyResourceType: policy.resourceType }),
      },
    )) {
      for (const finding of page.findings ?? []) {
        findings.push({ type: finding.findingType ?? '', issue: finding.issueCode ?? '' });
      }
    }
    return findings;
  },
  grantsNewAccess: async (policy, previous) => {
    const { result } = await analyzer.send(
      new CheckNoNewAccessCommand({
        newPolicyDocument: policy.document,
        existingPolicyDocument: previous.document,
        policyType: policy.policyType,
      }),
    );
    return result === 'FAIL';
  },
  grants: async (policy, access) => {
    const { result } = await analyzer.send(
      new CheckAccessNotGrantedCommand({
        policyDocument: policy.document,
        policyType: policy.policyType,
        access: [
          {
            actions: [...access.actions],
            ...(access.resources && { resources: [...access.resources] }),
          },
        ],
      }),
    );
    return result === 'FAIL';
  },
};

const forbidden = forbiddenAccessOf(service, { partition: 'aws', region, account }, [
  ...shopTopology([orderService, inventoryService, paymentService]).functions.map((fn) => ({
    owner: fn.service,
    functionName: fn.functionName,
  })),
  { owner: 'console', functionName: CONSOLE_FUNCTION_NAME },
]);

const deployed = await deployedTemplate();
const report = await checkDeployAccess({
  policies: policiesOf(environment, service, template),
  deployed: deployed === undefined ? [] : policiesOf(environment, service, deployed),
  forbidden,
  checker,
});
console.log(`Access Analyzer checked ${report.checked} policies of ${names.stackName}.`);
for (const line of report.newAccess) console.log(`::notice::${line}`);
for (const line of report.failures) console.log(`::error::${line}`);
if (report.failures.length > 0) process.exitCode = 1;
