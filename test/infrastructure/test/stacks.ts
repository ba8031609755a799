import { consoleStack } from '@shop/console/infra';
import { SERVICE_NAMES, type ServiceName } from '@shop/contracts';
import {
  DEPLOYED_CONSOLE,
  DeployIdentitiesStack,
  deployedServiceOf,
} from '@shop/deploy-identities';
import { inventoryStack } from '@shop/inventory/infra';
import { orderStack } from '@shop/order/infra';
import { paymentStack } from '@shop/payment/infra';
import { createApp, IdentityStack, PlatformStack } from '@shop/platform';
import type { App, Stack, StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import type { Construct } from 'constructs';
import { SHOP_SERVICES } from './shop.js';

export const env = { account: '111122223333', region: 'eu-west-1' };

/**
 * Every stack the shop deploys from its own CDK app, in the order they are deployed: the
 * platform, each service, and the staff console (ADR 0025). The tests, the bundle benchmark and
 * the local cloud's access (`localAccess.test.ts`) all synthesize them from this one list.
 *
 * @example
 * ```ts
 * const stack = SHOP_STACKS.console(app, { env });
 * ```
 */
export const SHOP_STACKS = {
  platform: (scope: Construct, props?: StackProps) =>
    new PlatformStack(scope, 'ShopPlatform', props),
  order: orderStack,
  inventory: inventoryStack,
  payment: paymentStack,
  console: consoleStack,
} as const satisfies Record<string, (scope: Construct, props?: StackProps) => Stack>;

/** What an app of the shop deploys: the platform, a service or the console. */
export type ShopStack = keyof typeof SHOP_STACKS;

/**
 * The stacks of `names` (every one by default) in `app`, by name.
 *
 * @example
 * ```ts
 * const { order, console } = shopStacks(app, { env }, ['order', 'console']);
 * ```
 */
export const shopStacks = <N extends ShopStack>(
  app: App,
  props: StackProps = {},
  names: readonly N[] = Object.keys(SHOP_STACKS) as N[],
): Record<N, Stack> =>
  Object.fromEntries(
    names.map((name): [N, Stack] => [name, SHOP_STACKS[name](app, props)]),
  ) as Record<N, Stack>;

/**
 * Stops an app bundling its functions (CDK's own `aws:cdk:bundling-stacks` context, no stack
 * matched), as `cdk synth --exclusively` does for the stacks it does not deploy: every template
 * is the same but for the functions' asset hashes (`S3Key`), which no test and no snapshot reads.
 * Only tests call it; a test that reads the code synthesizes real bundles with
 * `synthesizeBundles` (bundles.ts).
 *
 * @example
 * ```ts
 * const stack = new ServiceStack(withoutBundling(new App()), 'Reserved', { ... });
 * ```
 */
export const withoutBundling = <T extends App>(app: T): T => {
  app.node.setContext(BUNDLING_STACKS, []);
  return app;
};

/** An app with the cdk-nag checks, its functions not bundled. */
const shopApp = () => withoutBundling(createApp(env).app);

/**
 * One synthesis per app, shared by every test file of a worker (the package runs its files in
 * one module graph, `isolate: false`): templates are read, never changed.
 */
const once = <T>(synthesize: () => T) => {
  let done: { readonly value: T } | undefined;
  return (): T => {
    done ??= { value: synthesize() };
    return done.value;
  };
};

/**
 * Each service's app, synthesized as `npm run synth` does, with the cdk-nag checks.
 *
 * @example
 * ```ts
 * const { templates } = synthesizeServices();
 * templates.order.resourceCountIs('AWS::Lambda::Function', 4);
 * ```
 */
export const synthesizeServices = once(() => {
  const app = shopApp();
  const stacks = shopStacks(app, { env }, SERVICE_NAMES);
  const templates = Object.fromEntries(
    Object.entries(stacks).map(([service, stack]) => [service, Template.fromStack(stack)]),
  ) as Record<ServiceName, Template>;
  return { app, templates };
});

/** The GitHub repository the tests' deploy identities trust. */
export const REPOSITORY = 'example-org/zero-trust-shop';

/**
 * The deploy identities app, synthesized as `npm run synth` does, with the cdk-nag checks.
 *
 * @example
 * ```ts
 * const { template } = synthesizeDeployIdentities();
 * ```
 */
export const synthesizeDeployIdentities = once(() => {
  const app = shopApp();
  const stack = new DeployIdentitiesStack(app, 'ShopDeployIdentities', {
    env,
    repository: REPOSITORY,
    services: [...SHOP_SERVICES.map(deployedServiceOf), DEPLOYED_CONSOLE],
  });
  return { app, stack, template: Template.fromStack(stack) };
});

/**
 * The platform app's stacks, synthesized with the cdk-nag checks.
 *
 * @example
 * ```ts
 * const { templates } = synthesizePlatform();
 * ```
 */
export const synthesizePlatform = once(() => {
  const app = shopApp();
  const platform = SHOP_STACKS.platform(app, { env });
  const identity = new IdentityStack(app, 'ShopIdentity', { env });
  return {
    app,
    stacks: { platform, identity },
    templates: { platform: Template.fromStack(platform), identity: Template.fromStack(identity) },
  };
});

/**
 * The staff console's app (ADR 0025), synthesized as `npm run synth` does, with the cdk-nag checks.
 *
 * @example
 * ```ts
 * const { template } = synthesizeConsole();
 * ```
 */
export const synthesizeConsole = once(() => {
  const app = shopApp();
  const stack = SHOP_STACKS.console(app, { env });
  return { app, stack, template: Template.fromStack(stack) };
});
