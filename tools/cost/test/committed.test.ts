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
});
