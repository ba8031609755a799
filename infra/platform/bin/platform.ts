import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IdentityStack, PlatformStack } from '../src/index.js';

/** The platform app: deployed once per account and region, before any service. */
const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
const { CDK_DEFAULT_ACCOUNT: account, CDK_DEFAULT_REGION: region } = process.env;
const env = { ...(account && { account }), ...(region && { region }) };
new PlatformStack(app, 'ShopPlatform', {
  env,
  description: 'Zero-Trust Shop platform: event bus, archive and policy, Lattice service network',
});
new IdentityStack(app, 'ShopIdentity', {
  env,
  description: 'Zero-Trust Shop identities: Cognito user pool and groups (retained on delete)',
  terminationProtection: true,
});
app.synth();
