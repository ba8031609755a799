import { App, type Environment, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/**
 * A CDK app of the shop: the cdk-nag AwsSolutions checks run on every synthesis (a finding
 * without a justified acknowledgement fails it), and stacks deploy to the account and region the
 * CDK CLI resolved unless `env` says otherwise.
 *
 * @example
 * ```ts
 * const { app, env } = createApp();
 * orderStack(app, { env });
 * app.synth();
 * ```
 */
export const createApp = (env?: Environment): { app: App; env: Environment } => {
  const app = new App();
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const { CDK_DEFAULT_ACCOUNT: account, CDK_DEFAULT_REGION: region } = process.env;
  return { app, env: env ?? { ...(account && { account }), ...(region && { region }) } };
};
