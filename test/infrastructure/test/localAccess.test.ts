import { accessTemplateOf, type TemplateJson } from '@shop/service-stack/resolved-access';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { shopStacks, withoutBundling } from './stacks.js';

/**
 * The roles, policies and resource policies the local cloud enforces, as the stacks synthesize
 * them without an account or region (the local system resolves them for its own): regenerate
 * with `npx vitest run -u test/localAccess.test.ts` after a change to a manifest or a stack.
 */
describe('the access the local cloud enforces', () => {
  it('is the synthesized stacks’ roles and policies', { timeout: 240_000 }, async () => {
    const stacks = shopStacks(withoutBundling(new App()));
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
