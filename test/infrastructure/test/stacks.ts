import type { ServiceName } from '@shop/contracts';
import { DeployIdentitiesStack, deployedServiceOf } from '@shop/deploy-identities';
import { inventoryStack } from '@shop/inventory/infra';
import { orderStack } from '@shop/order/infra';
import { paymentStack } from '@shop/payment/infra';
import { createApp, IdentityStack, PlatformStack } from '@shop/platform';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SHOP_SERVICES } from './shop.js';

export const env = { account: '111122223333', region: 'eu-west-1' };

/** Each service's app, synthesized as `npm run synth` does, with the cdk-nag checks. */
export const synthesizeServices = () => {
  const { app } = createApp(env);
  const stacks: Record<ServiceName, Stack> = {
    order: orderStack(app, { env }),
    inventory: inventoryStack(app, { env }),
    payment: paymentStack(app, { env }),
  };
  const templates = Object.fromEntries(
    Object.entries(stacks).map(([service, stack]) => [service, Template.fromStack(stack)]),
  ) as Record<ServiceName, Template>;
  return { app, templates };
};

/** The GitHub repository the tests' deploy identities trust. */
export const REPOSITORY = 'example-org/zero-trust-shop';

/** The deploy identities app, synthesized as `npm run synth` does, with the cdk-nag checks. */
export const synthesizeDeployIdentities = () => {
  const { app } = createApp(env);
  const stack = new DeployIdentitiesStack(app, 'ShopDeployIdentities', {
    env,
    repository: REPOSITORY,
    services: SHOP_SERVICES.map(deployedServiceOf),
  });
  return { app, stack, template: Template.fromStack(stack) };
};

/** The platform app's stacks, synthesized with the cdk-nag checks. */
export const synthesizePlatform = () => {
  const { app } = createApp(env);
  const platform = new PlatformStack(app, 'ShopPlatform', { env });
  const identity = new IdentityStack(app, 'ShopIdentity', { env });
  return {
    app,
    stacks: { platform, identity },
    templates: { platform: Template.fromStack(platform), identity: Template.fromStack(identity) },
  };
};
