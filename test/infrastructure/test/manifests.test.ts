import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  catalogue,
  eventLabel,
  queryCatalogue,
  SERVICE_NAMES,
  type ServiceFunction,
} from '@shop/contracts';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { cedarActions } from './serviceDocs.js';
import { SHOP_SERVICES, topology } from './shop.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Every TypeScript source file under a folder, tests and fixtures aside. */
const sourcesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourcesUnder(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });

/** The string literals (and template pieces) of a file, comments and TSDoc aside. */
const literalsOf = (path: string): string[] => {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2023);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) found.push(node.text);
    node.forEachChild(visit);
  };
  visit(source);
  return found;
};

/** What a service's boundary names: its functions, tables, queues, rules, APIs, events, queries. */
const boundaryNames = (): Set<string> =>
  new Set([
    ...topology.functions.map((fn) => fn.functionName),
    ...topology.tables.flatMap((t) => [t.tableName, t.idempotencyTableName]),
    ...topology.consumers.flatMap((c) => [c.queueName, c.deadLetterQueueName, c.ruleName]),
    ...topology.outboxRelays.map((r) => r.deadLetterQueueName),
    ...topology.latticeServices.map((l) => l.latticeServiceName),
    ...topology.restApis.map((api) => api.apiName),
    ...catalogue.flatMap((event) => [event.name, eventLabel(event)]),
    ...queryCatalogue.map((query) => query.name),
  ]);

describe('the services’ manifests', () => {
  it('are the shop’s services, each publishing exactly the events the catalogue says it produces', () => {
    expect(SHOP_SERVICES.map((manifest) => manifest.name)).toEqual([...SERVICE_NAMES]);
    for (const manifest of SHOP_SERVICES) {
      expect(manifest.publishes.map(eventLabel).sort()).toEqual(
        catalogue
          .filter((event) => event.producer === manifest.name)
          .map(eventLabel)
          .sort(),
      );
    }
  });

  it('offer every query of the catalogue, each exactly once', () => {
    expect(SHOP_SERVICES.flatMap((manifest) => manifest.queries?.offers ?? [])).toEqual(
      expect.arrayContaining([...queryCatalogue]),
    );
    expect(SHOP_SERVICES.flatMap((manifest) => manifest.queries?.offers ?? [])).toHaveLength(
      queryCatalogue.length,
    );
  });

  it('authorize every REST route with an action of the service’s own Cedar schema', () => {
    for (const manifest of SHOP_SERVICES) {
      const actions = cedarActions(manifest).map(([action]) => action);
      const routes = Object.values<ServiceFunction>(manifest.functions).flatMap((fn) =>
        Object.values(fn.routes ?? {}),
      );

      expect(routes.length).toBeGreaterThan(0);
      expect(routes.filter((route) => !actions.includes(route.action))).toEqual([]);
    }
  });

  it('are the only place infra/ learns a function, table, queue, event or query name from', () => {
    const names = boundaryNames();
    const sources = readdirSync(join(ROOT, 'infra'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .flatMap((entry) => sourcesUnder(join(ROOT, 'infra', entry.name, 'src')));
    const named = sources.flatMap((path) =>
      literalsOf(path)
        .filter((literal) => names.has(literal))
        .map((literal) => `${relative(ROOT, path)}: '${literal}'`),
    );

    expect(sources.length).toBeGreaterThan(50);
    expect(named).toEqual([]);
  });

  it('would catch a literal name in code, and not one in a comment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'literals-'));
    const path = join(dir, 'bad.ts');
    writeFileSync(
      path,
      [
        '/** Calls `order-api`. */',
        'const queue = `inventory-events-dlq`;',
        "const fn = 'order-api';",
      ].join('\n'),
    );
    const names = boundaryNames();

    expect(literalsOf(path).filter((literal) => names.has(literal))).toEqual([
      'inventory-events-dlq',
      'order-api',
    ]);
  });
});
