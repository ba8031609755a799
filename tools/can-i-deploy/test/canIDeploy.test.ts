import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OutgoingEvent } from '@shop/contracts';
import { inventoryEventMakers } from '@shop/inventory/event-makers';
import { orderEventMakers, placed } from '@shop/order/event-makers';
import { PACTS_DIR, type PactFile } from '@shop/pacts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canIDeploy } from '../src/canIDeploy.js';
import { PACTS_PATH, UnknownCommitError } from '../src/deployedPacts.js';

type Interaction = PactFile['interactions'][number] & {
  matchingRules: { body: Record<string, unknown> };
};

/**
 * A repository of two commits: `production`, with the committed pacts (Inventory reads each
 * OrderPlaced v1's lines), then `main`, where Inventory's pact no longer reads them.
 */
let repository: string;
let production: string;
let main: string;

const git = (...args: string[]) =>
  execFileSync(
    'git',
    ['-C', repository, '-c', 'user.name=Shop', '-c', 'user.email=shop@example.com', ...args],
    { encoding: 'utf8' },
  ).trim();

/** A pact with one interaction's `detail.data` field (and its matching rules) taken out. */
const withoutField = (pact: PactFile, description: string, field: string): PactFile => ({
  ...pact,
  interactions: (pact.interactions as readonly Interaction[]).map((interaction) => {
    if (interaction.description !== description) return interaction;
    const { [field]: _dropped, ...data } = interaction.contents.content.detail.data as Record<
      string,
      unknown
    >;
    const prefix = `$.detail.data.${field}`;
    return {
      ...interaction,
      contents: {
        ...interaction.contents,
        content: {
          ...interaction.contents.content,
          detail: { ...interaction.contents.content.detail, data },
        },
      },
      matchingRules: {
        ...interaction.matchingRules,
        body: Object.fromEntries(
          Object.entries(interaction.matchingRules.body).filter(
            ([path]) => path !== prefix && !path.startsWith(`${prefix}[`),
          ),
        ),
      },
    };
  }),
});

const committedPact = (file: string) =>
  JSON.parse(readFileSync(join(PACTS_DIR, file), 'utf8')) as PactFile;

beforeAll(() => {
  repository = mkdtempSync(join(tmpdir(), 'can-i-deploy-repo-'));
  git('init', '--quiet');
  cpSync(PACTS_DIR, join(repository, PACTS_PATH), { recursive: true });
  git('add', '.');
  git('commit', '--quiet', '--no-gpg-sign', '-m', 'production');
  production = git('rev-parse', 'HEAD');
  writeFileSync(
    join(repository, PACTS_PATH, 'inventory-order.json'),
    JSON.stringify(withoutField(committedPact('inventory-order.json'), 'OrderPlaced v1', 'lines')),
  );
  git('commit', '--quiet', '--no-gpg-sign', '-am', 'main');
  main = git('rev-parse', 'HEAD');
});

afterAll(() => {
  rmSync(repository, { recursive: true, force: true });
});

/** Order as a candidate that stopped sending the lines in OrderPlaced v1. */
const orderWithoutV1Lines = {
  ...orderEventMakers,
  'OrderPlaced v1': () =>
    placed().events.map((event) => {
      if (event.detail.metadata.version !== 1) return event;
      const { lines: _lines, ...data } = event.detail.data as Record<string, unknown>;
      return { ...event, detail: { ...event.detail, data } } as OutgoingEvent;
    }),
};

const short = (commit: string) => commit.slice(0, 7);

describe('can-i-deploy', () => {
  it("allows Order's real events against the commits deployed in production", async () => {
    const verdict = await canIDeploy({
      service: 'order',
      deployed: { inventory: production, payment: production },
      makers: orderEventMakers,
      repository,
    });

    expect(verdict.checks.map(({ pact, failures }) => ({ pact, failures }))).toEqual([
      { pact: 'inventory-order', failures: [] },
      { pact: 'payment-order', failures: [] },
      { pact: 'order-inventory', failures: [] },
      { pact: 'order-payment', failures: [] },
    ]);
    expect(verdict.deployable).toBe(true);
  });

  it('refuses an Order that drops the lines Inventory in production still reads', async () => {
    const verdict = await canIDeploy({
      service: 'order',
      deployed: { inventory: production, payment: production },
      makers: orderWithoutV1Lines,
      repository,
    });

    expect(verdict.deployable).toBe(false);
    expect(verdict.checks.find(({ pact }) => pact === 'inventory-order')).toMatchObject({
      against: `inventory at ${short(production)}`,
      candidateIs: 'producer',
      failures: expect.arrayContaining([expect.stringMatching(/^OrderPlaced v1: .*lines/)]),
    });
  });

  it('allows the same Order once the Inventory that runs no longer reads the lines', async () => {
    const verdict = await canIDeploy({
      service: 'order',
      deployed: { inventory: main, payment: production },
      makers: orderWithoutV1Lines,
      repository,
    });

    expect(verdict.deployable).toBe(true);
  });

  it('refuses an Inventory whose pact asks the Order that runs for what it never verified', async () => {
    const pactsDir = mkdtempSync(join(tmpdir(), 'can-i-deploy-pacts-'));
    cpSync(PACTS_DIR, pactsDir, { recursive: true });
    try {
      const verdict = await canIDeploy({
        service: 'inventory',
        deployed: { order: main, payment: production },
        makers: inventoryEventMakers,
        repository,
        pactsDir,
      });

      expect(verdict.deployable).toBe(false);
      expect(verdict.checks.find(({ pact }) => pact === 'inventory-order')).toMatchObject({
        against: `order at ${short(main)}`,
        candidateIs: 'consumer',
        failures: expect.arrayContaining([
          `OrderPlaced v1: $.detail.data.lines is asked for as order at ${short(main)} never verified`,
        ]),
      });
      expect(
        (
          await canIDeploy({
            service: 'inventory',
            deployed: { order: production, payment: production },
            makers: inventoryEventMakers,
            repository,
            pactsDir,
          })
        ).deployable,
      ).toBe(true);
    } finally {
      rmSync(pactsDir, { recursive: true, force: true });
    }
  });

  it('checks nothing against a service that is not deployed, and refuses a commit it does not have', async () => {
    const alone = await canIDeploy({
      service: 'payment',
      deployed: {},
      makers: {},
      repository,
    });

    expect(alone).toEqual({ deployable: true, checks: [] });
    await expect(
      canIDeploy({
        service: 'order',
        deployed: { inventory: 'f'.repeat(40) },
        makers: {},
        repository,
      }),
    ).rejects.toThrow(UnknownCommitError);
  });
});
