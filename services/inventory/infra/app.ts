import { createApp } from '@shop/platform';
import { inventoryStack } from './index.js';

/** The Inventory service's CDK app, deployable alone once the platform is deployed. */
const { app, env } = createApp();
inventoryStack(app, { env });
app.synth();
