import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { PlatformStack } from '../src/index.js';

/** The platform app: deployed once per account and region, before any service. */
const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
const { CDK_DEFAULT_ACCOUNT: account, CDK_DEFAULT_REGION: region } = process.env;
new PlatformStack(app, 'ShopPlatform', {
  env: { ...(account && { account }), ...(region && { region }) },
  description:
    'Zero-Trust Shop platform: the event bus, its archive and policy, discovery parameters',
});
app.synth();
