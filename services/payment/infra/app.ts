import { createApp } from '@shop/platform';
import { paymentStack } from './index.js';

/** The Payment service's CDK app, deployable alone once the platform is deployed. */
const { app, env } = createApp();
paymentStack(app, { env });
app.synth();
