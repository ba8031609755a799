import { createApp } from '@shop/platform';
import { orderStack } from './index.js';

/** The Order service's CDK app, deployable alone once the platform is deployed. */
const { app, env } = createApp();
orderStack(app, { env });
app.synth();
