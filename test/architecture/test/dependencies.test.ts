import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findViolations } from './cruise.js';

const fixtures = fileURLToPath(new URL('../fixtures/layering', import.meta.url));

describe('dependency rules on the repository', () => {
  it('finds no violation in any package', async () => {
    const violations = await findViolations(['contracts', 'shared', 'services', 'infra', 'test']);

    expect(violations).toEqual([]);
  }, 60_000);
});

describe('dependency rules on a deliberately bad fixture', () => {
  const rulesBrokenBy = async (file: string) =>
    (await findViolations(['services'], fixtures))
      .filter((violation) => violation.from === file)
      .map((violation) => violation.rule)
      .sort();

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
