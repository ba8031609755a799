import { consoleStack } from '@shop/console/infra';
import { inventoryStack } from '@shop/inventory/infra';
import { orderStack } from '@shop/order/infra';
import { paymentStack } from '@shop/payment/infra';
import { PlatformStack } from '@shop/platform';
import { accessTemplateOf, type TemplateJson } from '@shop/service-stack/resolved-access';
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { withoutBundling } from './stacks.js';

/**
 * The roles, policies and resource policies the local cloud enforces, as the stacks synthesize
 * them without an account or region (the local system resolves them for its own): regenerate
 * with `npx vitest run -u test/localAccess.test.ts` after a change to a manifest or a stack.
 */
describe('the access the local cloud enforces', () => {
  it('is the synthesized stacks’ roles and policies', { timeout: 240_000 }, async () => {
    const app = withoutBundling(new App());
    const stacks: Record<string, Stack> = {
      platform: new PlatformStack(app, 'ShopPlatform'),
      order: orderStack(app),
      inventory: inventoryStack(app),
      payment: paymentStack(app),
      console: consoleStack(app),
    };
    const templates = Object.fromEntries(
      Object.entries(stacks).map(([name, stack]) => [
        name,
        accessTemplateOf(Template.fromStack(stack).toJSON() as TemplateJson),
      ]),
    );
    await expect(`${JSON.stringify(templates, null, 2)}\n`).toMatchFileSnapshot(
      '../../../infra/local-system/access/templates.json',
    );
  });
});
