import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  type AnyEventDefinition,
  buildRegistry,
  catalogue,
  defineEvent,
  eventLabel,
  findDanglingSubscriptions,
  OrderPlacedV1,
  OrderPlacedV1Schema,
  OrderPlacedV2,
  reads,
} from '@shop/contracts';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { checkContracts, formatReport, passes } from '../src/checkContracts.js';
import { currentSchemas, generateFiles } from '../src/documents.js';
import { planWrite, readCommitted, readSchemasAt, schemasOf } from '../src/files.js';
import { subscribers } from '../src/subscribers.js';

const committed = readCommitted();

/** The catalogue with OrderPlaced v1 replaced, as if its source had been edited. */
const withOrderPlacedV1 = (schema: z.ZodType) =>
  catalogue.map((event) =>
    event === OrderPlacedV1 ? defineEvent({ ...OrderPlacedV1, schema }) : event,
  );

const check = (events: readonly AnyEventDefinition[] = catalogue) =>
  checkContracts({
    generated: generateFiles(events),
    committed,
    published: schemasOf(committed),
    current: currentSchemas(events),
    dangling: findDanglingSubscriptions(events, subscribers),
  });

describe('checkContracts on the committed contracts', () => {
  it('passes: the committed schemas, AsyncAPI document and catalogue are up to date', () => {
    const report = check();

    expect(formatReport(report)).toEqual([]);
    expect(passes(report)).toBe(true);
  });

  it('fails on a breaking edit to OrderPlaced v1, naming the field and the rule', () => {
    const edited = z.object({ ...OrderPlacedV1Schema.shape, total: z.string() });

    const report = check(withOrderPlacedV1(edited));

    expect(passes(report)).toBe(false);
    expect(formatReport(report)).toEqual([
      '✗ OrderPlaced v1: data.total: type changed — type "number" -> "string" [type-changed]',
    ]);
  });

  it('reports a compatible edit as stale until the files are regenerated', () => {
    const edited = z.object({ ...OrderPlacedV1Schema.shape, giftWrap: z.boolean().optional() });

    const report = check(withOrderPlacedV1(edited));

    expect(report.breaking).toEqual([]);
    expect(report.compatible.map((c) => `${c.event} ${c.path} ${c.rule}`)).toEqual([
      'OrderPlaced v1 data.giftWrap optional-field-added',
    ]);
    expect(report.stale).toEqual(['contracts/schemas/OrderPlaced/v1.json is out of date']);
    expect(passes(report)).toBe(false);
  });

  it('fails when a version is retired while a consumer still subscribes to it', () => {
    const retired = catalogue.filter((event) => eventLabel(event) !== 'OrderPlaced v1');

    const report = check(retired);

    expect(formatReport(report)).toContain(
      '✗ OrderPlaced v1 is retired from the catalogue but inventory still subscribes to it',
    );
  });

  it('passes the same retirement once the consumer has moved to v2 and the documents are regenerated', () => {
    // The migration, as a fixture: Inventory subscribes to OrderPlaced v2 instead of v1, then
    // Order stops publishing v1 and the generated documents are committed again.
    const moved = subscribers.map((subscriber) =>
      subscriber.name === 'inventory'
        ? {
            name: subscriber.name,
            subscribes: subscriber.subscribes.map((event) =>
              eventLabel(event) === 'OrderPlaced v1'
                ? reads(OrderPlacedV2, ['orderId', 'lines'])
                : event,
            ),
          }
        : subscriber,
    );
    const retired = catalogue.filter((event) => eventLabel(event) !== 'OrderPlaced v1');
    const regenerated = generateFiles(retired, buildRegistry(retired, moved));

    const before = checkContracts({
      generated: regenerated,
      committed: regenerated,
      published: schemasOf(committed),
      current: currentSchemas(retired),
      dangling: findDanglingSubscriptions(retired, subscribers),
    });
    const after = checkContracts({
      generated: regenerated,
      committed: regenerated,
      published: schemasOf(committed),
      current: currentSchemas(retired),
      dangling: findDanglingSubscriptions(retired, moved),
    });

    expect(passes(before)).toBe(false);
    expect(formatReport(before)).toContain(
      '✗ OrderPlaced v1 is retired from the catalogue but inventory still subscribes to it',
    );
    expect(passes(after)).toBe(true);
    expect(formatReport(after)).toEqual(['✓ OrderPlaced v1: retired, no consumer left']);
  });

  it('plans to write only what changed and to remove what is no longer generated', () => {
    const generated = generateFiles();
    const onDisk = new Map(committed);
    onDisk.set('contracts/schemas/Retired/v1.json', '{}');
    onDisk.set('docs/events.md', 'old');

    expect(planWrite(generated, onDisk)).toEqual({
      write: ['docs/events.md'],
      remove: ['contracts/schemas/Retired/v1.json'],
    });
  });
});

describe('readSchemasAt', () => {
  it('reads the schemas published at a git ref', () => {
    const root = mkdtempSync(join(tmpdir(), 'contracts-base-'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'pipe' });
    const file = join(root, 'contracts/schemas/OrderPlaced/v1.json');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ type: 'object', title: 'published' }));
    git('init', '--quiet');
    git('add', '.');
    git('-c', 'user.name=ci', '-c', 'user.email=ci@example.com', 'commit', '--quiet', '-m', 'base');
    writeFileSync(file, JSON.stringify({ type: 'object', title: 'work tree' }));

    expect(readSchemasAt('HEAD', root)).toEqual(
      new Map([['OrderPlaced/v1.json', { type: 'object', title: 'published' }]]),
    );
  });
});
