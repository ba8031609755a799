import { inventoryService } from '@shop/inventory/service';
import { orderService } from '@shop/order/service';
import { paymentService } from '@shop/payment/service';
import { createApp } from '@shop/platform';
import { DEPLOYED_CONSOLE, DeployIdentitiesStack, deployedServiceOf } from '../src/index.js';

/**
 * The deploy identities app: deployed once per account and region, after the platform, with the
 * GitHub repository as context: `-c shop:github-repository=<owner>/<name>`.
 */
const { app, env } = createApp();
const repository: unknown = app.node.tryGetContext('shop:github-repository');
if (typeof repository !== 'string' || !/^[\w.-]+\/[\w.-]+$/.test(repository)) {
  throw new Error(
    'Give the GitHub repository the deploy workflows run in: -c shop:github-repository=<owner>/<name>',
  );
}
new DeployIdentitiesStack(app, 'ShopDeployIdentities', {
  env,
  description:
    'Zero-Trust Shop deploy identities: GitHub OIDC, one deploy chain per service and the console',
  repository,
  services: [
    ...[orderService, inventoryService, paymentService].map(deployedServiceOf),
    DEPLOYED_CONSOLE,
  ],
});
app.synth();
