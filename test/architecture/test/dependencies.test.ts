import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findViolations } from './cruise.js';

const fixtures = fileURLToPath(new URL('../fixtures/layering', import.meta.url));

describe('dependency rules on the repository', () => {
  it('finds no violation in any package', async () => {
    const violations = await findViolations([
      'contracts',
      'shared',
      'services',
      'infra',
      'test',
      'tools',
    ]);

    expect(violations).toEqual([]);
  }, 60_000);
});

describe('dependency rules on a deliberately bad fixture', () => {
  let violations: ReturnType<typeof findViolations> | undefined;
  const rulesBrokenBy = async (file: string) => {
    violations ??= findViolations(
      ['contracts', 'shared', 'services', 'infra', 'test', 'tools'],
      fixtures,
    );
    return (await violations)
      .filter((violation) => violation.from === file)
      .map((violation) => violation.rule)
      .sort();
  };

  it('fails contracts that import another workspace package', async () => {
    expect(await rulesBrokenBy('contracts/src/usesShared.ts')).toEqual([
      'contracts-imports-workspace',
      'relative-import-across-packages',
    ]);
  });

  it('passes contracts that import only npm libraries', async () => {
    expect(await rulesBrokenBy('contracts/src/money.ts')).toEqual([]);
  });

  it.each([
    ['infra', 'shared/src/usesInfra.ts'],
    ['a service', 'shared/src/usesService.ts'],
    ['a test package', 'shared/src/usesTestPackage.ts'],
  ])('fails shared code that imports %s', async (_, file) => {
    expect(await rulesBrokenBy(file)).toEqual([
      'relative-import-across-packages',
      'shared-imports-upward',
    ]);
  });

  it('lets shared code import contracts (by package name; the relative path is refused)', async () => {
    expect(await rulesBrokenBy('shared/src/usesContracts.ts')).toEqual([
      'relative-import-across-packages',
    ]);
  });

  it.each([
    ['its app', 'services/alpha/src/domain/usesApp.ts'],
    ['its adapters', 'services/alpha/src/domain/usesAdapters.ts'],
    ['its handlers', 'services/alpha/src/domain/usesHandlers.ts'],
  ])('fails a domain module that imports %s', async (_, file) => {
    expect(await rulesBrokenBy(file)).toEqual(['domain-imports-outer-layer']);
  });

  it.each([
    ['its adapters', 'services/alpha/src/app/usesAdapters.ts'],
    ['its handlers', 'services/alpha/src/app/usesHandlers.ts'],
  ])('fails an app module that imports %s', async (_, file) => {
    expect(await rulesBrokenBy(file)).toEqual(['app-imports-adapters-or-handlers']);
  });

  it('passes handlers that wire adapters to the app, and adapters that implement its ports', async () => {
    expect(await rulesBrokenBy('services/alpha/src/handlers/quote.ts')).toEqual([]);
    expect(await rulesBrokenBy('services/alpha/src/adapters/InMemoryPriceList.ts')).toEqual([]);
    expect(await rulesBrokenBy('services/alpha/src/app/placeQuote.ts')).toEqual([]);
  });

  it('fails a service that imports another service', async () => {
    expect(await rulesBrokenBy('services/alpha/src/app/usesOtherService.ts')).toEqual([
      'relative-import-across-packages',
      'service-imports-another-service',
    ]);
  });

  it("fails a service's runtime code that imports CDK", async () => {
    expect(await rulesBrokenBy('services/alpha/src/adapters/usesCdk.ts')).toEqual([
      'service-code-imports-infrastructure',
    ]);
  });

  it('fails a domain module that imports the AWS SDK', async () => {
    expect(await rulesBrokenBy('services/alpha/src/domain/usesAwsSdk.ts')).toContain(
      'domain-imports-aws-sdk',
    );
  });

  it('fails a domain module that imports aws-lambda types', async () => {
    expect(await rulesBrokenBy('services/alpha/src/domain/usesLambdaTypes.ts')).toContain(
      'domain-imports-aws-lambda',
    );
  });

  it('fails a domain module that reads the file system', async () => {
    expect(await rulesBrokenBy('services/alpha/src/domain/usesFileSystem.ts')).toEqual([
      'domain-imports-file-system',
    ]);
  });

  it('fails a domain module that speaks HTTP', async () => {
    expect(await rulesBrokenBy('services/alpha/src/domain/usesHttp.ts')).toEqual([
      'domain-imports-http',
    ]);
  });

  it('passes a pure domain module', async () => {
    expect(await rulesBrokenBy('services/alpha/src/domain/pure.ts')).toEqual([]);
  });
});
