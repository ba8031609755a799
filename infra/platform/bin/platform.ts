import { createApp, IdentityStack, PlatformStack } from '../src/index.js';

/** The platform app: deployed once per account and region, before any service. */
const { app, env } = createApp();
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
