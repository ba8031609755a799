import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceName } from '@shop/contracts';
import {
  type EventMakers,
  PACTS_DIR,
  type PactFile,
  pactFileName,
  verifyProviderPacts,
} from '@shop/pacts';
import { commitOf, othersThan, pactAt } from './deployedPacts.js';

export interface CanIDeployProps {
  /** The service about to be deployed: the candidate, at the working tree's commit. */
  readonly service: ServiceName;
  /**
   * The commit (or ref) each other service runs in the target environment, e.g.
   * `{ inventory: '1a2b3c4', payment: '9f8e7d6' }`. A service left out is not deployed there.
   */
  readonly deployed: Readonly<Partial<Record<ServiceName, string>>>;
  /** How the candidate makes each event version it publishes: its real domain code. */
  readonly makers: EventMakers;
  /** The git repository that holds the deployed commits. @default the working directory */
  readonly repository?: string;
  /** The candidate's own pacts, as a consumer. @default the committed ones */
  readonly pactsDir?: string;
}

/** One pact checked between the candidate and one deployed service. */
export interface DeployCheck {
  /** `inventory-order`: consumer, then producer. */
  readonly pact: string;
  /** The other service and the commit it runs, e.g. `inventory at 1a2b3c4`. */
  readonly against: string;
  /** The candidate's side of the pact. */
  readonly candidateIs: 'producer' | 'consumer';
  /** The interactions checked, e.g. `OrderPlaced v1`. */
  readonly interactions: readonly string[];
  /** Why it cannot be deployed; empty when the pact holds. */
  readonly failures: readonly string[];
}

/** Whether the candidate can be deployed, and every check that says so. */
export interface Verdict {
  readonly deployable: boolean;
  readonly checks: readonly DeployCheck[];
}

type Interaction = PactFile['interactions'][number] & {
  readonly matchingRules?: { readonly body?: Readonly<Record<string, unknown>> };
};

/**
 * What a consumer asks of `detail.data` in one interaction: each path it reads (arrays as
 * `[*]`) with the rule it matches by, or the value it expects when it names none.
 */
const expectationsOf = (interaction: Interaction): Map<string, string> => {
  const rules = interaction.matchingRules?.body ?? {};
  const expectations = new Map<string, string>();
  const walk = (value: unknown, path: string) => {
    const rule = rules[path];
    if (Array.isArray(value)) {
      expectations.set(path, JSON.stringify(rule ?? 'array'));
      walk(value[0], `${path}[*]`);
    } else if (typeof value === 'object' && value !== null) {
      expectations.set(path, JSON.stringify(rule ?? 'object'));
      for (const [key, field] of Object.entries(value)) walk(field, `${path}.${key}`);
    } else {
      expectations.set(path, JSON.stringify(rule ?? { equals: value }));
    }
  };
  walk(interaction.contents.content.detail.data, '$.detail.data');
  return expectations;
};

/**
 * The candidate as a producer: each deployed consumer's pact, as committed at the commit that
 * consumer runs, verified against the candidate's events.
 */
const asProducer = async (
  props: CanIDeployProps,
  repository: string,
  deployed: ReadonlyMap<ServiceName, string>,
): Promise<DeployCheck[]> => {
  const dir = mkdtempSync(join(tmpdir(), 'can-i-deploy-'));
  try {
    const commits = new Map<string, string>();
    for (const [consumer, commit] of deployed) {
      const pact = pactAt(repository, commit, consumer, props.service);
      if (pact === undefined) continue;
      writeFileSync(join(dir, pactFileName(consumer, props.service)), pact);
      commits.set(`${consumer}-${props.service}`, `${consumer} at ${commit}`);
    }
    if (commits.size === 0) return [];
    const verifications = await verifyProviderPacts(props.service, props.makers, { dir });
    return verifications.map((verification) => ({
      pact: verification.pact,
      against: commits.get(verification.pact) ?? verification.pact,
      candidateIs: 'producer',
      interactions: verification.interactions.map(({ description }) => description),
      failures:
        verification.failures.length > 0
          ? verification.failures
          : verification.interactions
              .filter(({ ok }) => !ok)
              .map(({ description }) => `${description}: not verified`),
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/**
 * The candidate as a consumer: each of its pacts must ask a deployed producer for nothing more
 * than the pact that producer verified at the commit it runs (its CI verifies every committed
 * pact at every commit), so that what runs already gives the candidate what it reads.
 */
const asConsumer = (
  props: CanIDeployProps,
  repository: string,
  deployed: ReadonlyMap<ServiceName, string>,
): DeployCheck[] =>
  [...deployed].flatMap(([producer, commit]): DeployCheck[] => {
    const file = join(props.pactsDir ?? PACTS_DIR, pactFileName(props.service, producer));
    let candidate: PactFile;
    try {
      candidate = JSON.parse(readFileSync(file, 'utf8')) as PactFile;
    } catch {
      return [];
    }
    const verifiedText = pactAt(repository, commit, props.service, producer);
    const verifiedPact =
      verifiedText === undefined ? undefined : (JSON.parse(verifiedText) as PactFile);
    const against = `${producer} at ${commit}`;
    const failures = (candidate.interactions as readonly Interaction[]).flatMap((interaction) => {
      const known = verifiedPact?.interactions.find(
        ({ description }) => description === interaction.description,
      );
      if (known === undefined) return [`${interaction.description}: ${against} never verified it`];
      const verifiedAsks = expectationsOf(known as Interaction);
      return [...expectationsOf(interaction)]
        .filter(([path, rule]) => verifiedAsks.get(path) !== rule)
        .map(
          ([path]) =>
            `${interaction.description}: ${path} is asked for as ${against} never verified`,
        );
    });
    return [
      {
        pact: `${props.service}-${producer}`,
        against,
        candidateIs: 'consumer',
        interactions: candidate.interactions.map(({ description }) => description),
        failures,
      },
    ];
  });

/**
 * Can the candidate (the service at the working tree's commit) be deployed to an environment
 * where the other services run the commits in `deployed`? As a producer, its real domain code
 * must meet the pacts that the deployed consumers committed at their commits; as a consumer, its
 * pacts must ask the deployed producers for nothing their commits did not verify.
 *
 * @throws {UnknownCommitError} when a deployed commit is not in the repository.
 * @example
 * ```ts
 * const verdict = await canIDeploy({
 *   service: 'order',
 *   deployed: { inventory: '1a2b3c4', payment: '1a2b3c4' },
 *   makers: orderEventMakers,
 * });
 * if (!verdict.deployable) process.exitCode = 1;
 * ```
 */
export const canIDeploy = async (props: CanIDeployProps): Promise<Verdict> => {
  const repository = props.repository ?? process.cwd();
  const deployed = new Map<ServiceName, string>();
  for (const other of othersThan(props.service)) {
    const ref = props.deployed[other];
    if (ref !== undefined) deployed.set(other, commitOf(repository, ref));
  }
  const checks = [
    ...(await asProducer(props, repository, deployed)),
    ...asConsumer(props, repository, deployed),
  ];
  return { deployable: checks.every(({ failures }) => failures.length === 0), checks };
};
