import type { ServiceName } from '@shop/contracts';
import { inventoryStack } from '@shop/inventory/infra';
import { orderStack } from '@shop/order/infra';
import { paymentStack } from '@shop/payment/infra';
import { createApp } from '@shop/platform';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

const env = { account: '111122223333', region: 'eu-west-1' };

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
