import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { serviceDoc, serviceMap } from './serviceDocs.js';
import { SHOP_SERVICES, topology } from './shop.js';

const ARCHITECTURE = new URL('../../../docs/architecture.md', import.meta.url);
const BEGIN = '<!-- service map: generated from the manifests by test/infrastructure -->';
const END = '<!-- end of service map -->';

describe('the boundary docs, generated from the manifests', () => {
  it.each(SHOP_SERVICES.map((manifest) => [manifest.name, manifest] as const))(
    'docs/services/%s.md',
    async (_name, manifest) => {
      await expect(serviceDoc(manifest, SHOP_SERVICES, topology)).toMatchFileSnapshot(
        `../../../docs/services/${manifest.name}.md`,
      );
    },
  );

  it('docs/architecture.md shows the service map of the whole shop', async () => {
    const current = readFileSync(ARCHITECTURE, 'utf8');
    const begin = current.indexOf(BEGIN);
    const end = current.indexOf(END);

    expect(begin).toBeGreaterThan(0);
    expect(end).toBeGreaterThan(begin);
    await expect(
      `${current.slice(0, begin + BEGIN.length)}\n${serviceMap(SHOP_SERVICES)}\n${current.slice(end)}`,
    ).toMatchFileSnapshot('../../../docs/architecture.md');
  });
});
