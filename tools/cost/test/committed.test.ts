import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { costDocument } from '../src/costDocument.js';
import { readInputs, repoRoot } from '../src/files.js';

describe('the committed cost page', () => {
  it('is what its inputs give (npm run cost:generate rewrites it)', async () => {
    await expect(costDocument(readInputs())).toMatchFileSnapshot('../../../docs/cost.md');
  });

  it('prices Lambda at the memory and architecture the stacks deploy', () => {
    const construct = readFileSync(
      join(repoRoot, 'infra/service-stack/src/ServiceFunction.ts'),
      'utf8',
    );
    expect(construct).toContain(`memorySize: ${readInputs().assumptions.lambdaMemoryMb.value},`);
    expect(construct).toContain('architecture: Architecture.ARM_64,');
  });

  it("writes the benchmark's counts as the numbers they are, without binary fractions", () => {
    const inputs = readInputs();
    const page = costDocument({
      ...inputs,
      measured: { ...inputs.measured, statusReadsPerOrder: 2.45 },
    });
    expect(page).toContain("reads each one's status 2.45 times while it waits");
    expect(page).toContain('so the calls of 1.45 extra status reads are taken off');
  });
});
