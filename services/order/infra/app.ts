import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { orderStack } from './index.js';

/** The Order service's CDK app, deployable alone once the platform is deployed. */
const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
const { CDK_DEFAULT_ACCOUNT: account, CDK_DEFAULT_REGION: region } = process.env;
orderStack(app, { env: { ...(account && { account }), ...(region && { region }) } });
app.synth();
