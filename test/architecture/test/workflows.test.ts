import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const WORKFLOWS = fileURLToPath(new URL('../../../.github/workflows/', import.meta.url));
const SERVICES = ['order', 'inventory', 'payment'];
const files = readdirSync(WORKFLOWS).filter((file) => file.endsWith('.yml'));
const read = (file: string) => readFileSync(join(WORKFLOWS, file), 'utf8');
type Workflow = {
  on: Record<string, { paths?: string[] } | null>;
  permissions: Record<string, string>;
  jobs: Record<
    string,
    Record<string, unknown> & {
      steps?: { uses?: string; run?: string; with?: Record<string, string> }[];
    }
  >;
};
const workflow = (file: string) => parse(read(file)) as Workflow;

describe('the GitHub Actions workflows', () => {
  it.each(files)('%s is valid for GitHub Actions (its own workflow parser)', (file) => {
    const result = parseWorkflow({ name: file, content: read(file) }, new NoOperationTraceWriter());

    expect(result.context.errors.getErrors().map((error) => error.message)).toEqual([]);
  });

  it('would catch an invalid workflow', () => {
    const broken =
      'on: push\njobs:\n  test:\n    runs-on: ubuntu-24.04\n    steps: not-a-list\n    timeout-minute: 5\n';
    const result = parseWorkflow(
      { name: 'broken.yml', content: broken },
      new NoOperationTraceWriter(),
    );

    expect(result.context.errors.getErrors().length).toBeGreaterThan(0);
  });

  it('runs only what a change affects: turbo --affected, the pacts, the contract gate against the base, synth with cdk-nag', () => {
    const steps = workflow('ci.yml').jobs['test']?.steps?.map((step) => step.run ?? '') ?? [];

    expect(steps).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/turbo run build typecheck lint test --affected/),
        expect.stringMatching(/turbo run contracts:test --affected/),
        expect.stringMatching(/contracts:check -- --base "\$TURBO_SCM_BASE"/),
        expect.stringMatching(/turbo run synth --affected/),
      ]),
    );
    expect(workflow('ci.yml').permissions).toEqual({ contents: 'read' });
  });

  it.each(SERVICES)(
    'deploys %s alone, on its own paths, with OIDC, to staging then production',
    (service) => {
      const deploy = workflow(`deploy-${service}.yml`);
      const paths = deploy.on['push']?.paths ?? [];

      expect(paths).toContain(`services/${service}/**`);
      expect(paths.filter((path) => path.startsWith('services/'))).toEqual([
        `services/${service}/**`,
      ]);
      expect(deploy.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
      const role = `AWS_DEPLOY_ROLE_ARN_${service.toUpperCase()}`;
      expect(deploy.jobs['staging']).toMatchObject({
        uses: './.github/workflows/deploy-service.yml',
        with: { service, environment: 'staging', 'role-variable': role },
      });
      expect(deploy.jobs['production']).toMatchObject({
        needs: 'staging',
        uses: './.github/workflows/deploy-service.yml',
        with: { service, environment: 'production', 'role-variable': role },
      });
    },
  );

  it('deploys the console alone, on its own paths, with OIDC, to staging then production, without pacts', () => {
    const deploy = workflow('deploy-console.yml');
    const paths = deploy.on['push']?.paths ?? [];

    expect(paths).toContain('infra/console/**');
    expect(paths.filter((path) => path.startsWith('services/'))).toEqual([]);
    expect(deploy.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    const inputs = {
      service: 'console',
      contracts: false,
      'role-variable': 'AWS_DEPLOY_ROLE_ARN_CONSOLE',
    };
    expect(deploy.jobs['staging']).toMatchObject({
      uses: './.github/workflows/deploy-service.yml',
      with: { ...inputs, environment: 'staging' },
    });
    expect(deploy.jobs['production']).toMatchObject({
      needs: 'staging',
      uses: './.github/workflows/deploy-service.yml',
      with: { ...inputs, environment: 'production' },
    });
  });

  it('skips the pacts, can-i-deploy and the record of the commit only for a package without contracts', () => {
    const reusable = workflow('deploy-service.yml') as Workflow & {
      on: { workflow_call: { inputs: Record<string, unknown> } };
    };
    const steps = (reusable.jobs['deploy']?.steps ?? []) as { if?: string; run?: string }[];
    const conditional = steps.filter((step) => step.if !== undefined);

    expect(reusable.on.workflow_call.inputs['contracts']).toMatchObject({
      type: 'boolean',
      default: true,
    });
    expect(conditional.map((step) => step.if)).toEqual([
      'inputs.contracts',
      'inputs.contracts',
      'inputs.contracts',
    ]);
    expect(conditional.map((step) => step.run)).toEqual([
      expect.stringContaining('turbo run contracts:test'),
      expect.stringContaining('npm run can-i-deploy'),
      expect.stringContaining('aws ssm put-parameter'),
    ]);
    for (const service of SERVICES) {
      expect(JSON.stringify(workflow(`deploy-${service}.yml`).jobs)).not.toContain('contracts');
    }
  });

  it('checks every policy with Access Analyzer, with the deploy role, then deploys exactly what it checked', () => {
    const steps = workflow('deploy-service.yml').jobs['deploy']?.steps ?? [];
    const index = (matches: (step: (typeof steps)[number]) => boolean) => steps.findIndex(matches);
    const credentials = index(
      (step) => step.uses?.startsWith('aws-actions/configure-aws-credentials') ?? false,
    );
    const synth = index((step) => step.run === 'npm run synth -w "@shop/$SERVICE"');
    const check = index((step) => step.run === 'npm run check-access -w @shop/deploy-identities');
    const deploy = index(
      (step) => step.run?.includes('npm run deploy -w "@shop/$SERVICE" -- --app cdk.out') ?? false,
    );

    expect([credentials, synth, check, deploy].every((position) => position > -1)).toBe(true);
    expect(credentials).toBeLessThan(synth);
    expect(synth).toBeLessThan(check);
    expect(check).toBeLessThan(deploy);
    const expression = (body: string) => `\${{ ${body} }}`;
    expect(steps[check]).toMatchObject({
      env: {
        SERVICE: expression('inputs.service'),
        AWS_ACCOUNT_ID: expression('steps.credentials.outputs.aws-account-id'),
      },
    });
  });

  it("verifies the service's event pacts before it touches AWS", () => {
    const steps = workflow('deploy-service.yml').jobs['deploy']?.steps ?? [];
    const pacts = steps.findIndex((step) =>
      step.run?.includes('turbo run contracts:test --filter="@shop/$SERVICE"'),
    );
    const credentials = steps.findIndex((step) =>
      step.uses?.startsWith('aws-actions/configure-aws-credentials'),
    );

    expect(pacts).toBeGreaterThan(-1);
    expect(pacts).toBeLessThan(credentials);
  });

  it('deploys only what can-i-deploy allows against the commits that run there, and records its own', () => {
    const steps = workflow('deploy-service.yml').jobs['deploy']?.steps ?? [];
    const index = (pattern: RegExp) => steps.findIndex((step) => pattern.test(step.run ?? ''));
    const credentials = steps.findIndex((step) =>
      step.uses?.startsWith('aws-actions/configure-aws-credentials'),
    );
    const check = index(/aws ssm get-parameter --name "\/shop\/\$ENVIRONMENT\/deployed\/\$other"/);
    const verdict = index(/npm run can-i-deploy -- --service "\$SERVICE" "\$\{args\[@\]\}"/);
    const deploy = index(/npm run deploy -w "@shop\/\$SERVICE"/);
    const record = index(
      /aws ssm put-parameter --name "\/shop\/\$ENVIRONMENT\/deployed\/\$SERVICE"\s+--type String --value "\$GITHUB_SHA" --overwrite/,
    );

    expect(check).toBeGreaterThan(credentials);
    expect(verdict).toBe(check);
    expect(deploy).toBeGreaterThan(check);
    expect(record).toBe(steps.length - 1);
  });

  it("assumes the service's own role through OIDC and never reads stored AWS keys", () => {
    const deploy = workflow('deploy-service.yml');
    const credentials = deploy.jobs['deploy']?.steps?.find((step) =>
      step.uses?.startsWith('aws-actions/configure-aws-credentials'),
    );

    const expression = (body: string) => `\${{ ${body} }}`;
    expect(credentials?.with).toEqual({
      'role-to-assume': expression('vars[inputs.role-variable]'),
      'aws-region': expression('vars.AWS_REGION'),
    });
    expect(files.map(read).join('\n')).not.toMatch(
      /aws-access-key-id|aws-secret-access-key|secrets\.AWS/,
    );
  });
});
