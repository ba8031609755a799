import { createApp } from '@shop/platform';
import { consoleStack } from './index.js';

/** The staff console's CDK app, deployable alone once the platform and the services are deployed. */
const { app, env } = createApp();
consoleStack(app, { env });
app.synth();
