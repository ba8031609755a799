import { basename } from 'node:path';
import type { IamDecisionLogEntry } from '@shop/local-cloud/iam';
import type { LatticeAccessLogEntry } from '@shop/local-cloud/lattice';
import { afterEach, beforeEach, expect, type TestContext } from 'vitest';
import { writeAccessRecords } from '../src/access/accessRecords.js';
import type { ExercisedCall } from '../src/access/ExercisedCall.js';

const recorders = new Set<AccessRecorder>();

/** A judged call, before it is known which test made it. */
type Judged = Omit<ExercisedCall, 'file' | 'test' | 'attack' | 'count'>;

/** The tag of a test that makes calls IAM or Lattice must refuse. */
export const ATTACK = 'attack';

/**
 * AWS's words for a denied call: what a test that saw it fails with.
 *
 * @example
 * ```ts
 * deniedMessage(call); // 'User: arn:aws:sts::…:assumed-role/… is not authorized to perform: …'
 * ```
 */
const deniedMessage = (call: Judged): string =>
  `User: ${call.principal ?? 'anonymous'} is not authorized to perform: ${call.action ?? call.operation} on resource: ${call.resource ?? 'unknown'} (${call.reason})`;

/** An IAM front's decision, as a call. */
const iamCall = (entry: IamDecisionLogEntry): Judged => ({
  endpoint: entry.kind,
  principal: entry.principal ?? null,
  roleArn: entry.roleArn ?? null,
  action: entry.action ?? null,
  resource: entry.resource ?? null,
  operation: entry.operation ?? null,
  decision: entry.decision,
  reason: entry.reason,
});

const latticeReason = (entry: LatticeAccessLogEntry) => {
  if (entry.authDeniedReason !== null) return `${entry.authDeniedReason}Policy`;
  return entry.failureReason === 'ClientAccessDenied' ? 'Signature' : 'AuthPolicy';
};

/**
 * A request through the Lattice gateway, as a call: `vpc-lattice-svcs:Invoke` on the service's
 * ARN and the path, by the role the caller's session stands for.
 */
const latticeCall = (
  entry: LatticeAccessLogEntry,
  roleOf: (principal: string) => string | undefined,
): Judged => {
  const reason = latticeReason(entry);
  return {
    endpoint: 'vpc-lattice',
    principal: entry.callerPrincipal,
    roleArn: (entry.callerPrincipal !== null && roleOf(entry.callerPrincipal)) || null,
    action: 'vpc-lattice-svcs:Invoke',
    resource: `${entry.serviceArn}${new URL(entry.requestPath, 'http://lattice').pathname}`,
    operation: entry.requestMethod,
    decision: reason === 'AuthPolicy' ? 'Allow' : 'Deny',
    reason,
  };
};

/** An entry of either log, kept as it came until the test that saw it is settled. */
type Observed = { readonly iam: IamDecisionLogEntry } | { readonly lattice: LatticeAccessLogEntry };

/**
 * What one test file's shop saw judged, told apart by test: a test that is not tagged `attack`
 * fails on any call refused while it ran, and calls made outside any test (start-up, between
 * tests) must never be refused. Kept as counts per distinct call, written when the shop stops.
 */
export class AccessRecorder {
  private readonly file: string;
  private pending: Observed[] = [];
  private readonly calls = new Map<string, ExercisedCall>();

  constructor(
    testPath: string,
    /** The role a session stands for, once the shop has issued its keys. */
    private readonly roleOf: (principal: string) => string | undefined,
  ) {
    this.file = basename(testPath);
  }

  observeDecision(entry: IamDecisionLogEntry): void {
    this.pending.push({ iam: entry });
  }

  observeRequest(entry: LatticeAccessLogEntry): void {
    this.pending.push({ lattice: entry });
  }

  /** Files the calls since the last settlement under `test`; the denials among them. */
  settle(test: string | null, attack: boolean): Judged[] {
    const settled = this.pending.map((observed) =>
      'iam' in observed ? iamCall(observed.iam) : latticeCall(observed.lattice, this.roleOf),
    );
    this.pending = [];
    for (const call of settled) {
      const recorded: ExercisedCall = { file: this.file, test, attack, ...call, count: 1 };
      const key = JSON.stringify({ ...recorded, count: 0 });
      const known = this.calls.get(key);
      this.calls.set(key, known === undefined ? recorded : { ...known, count: known.count + 1 });
    }
    return settled.filter((call) => call.decision === 'Deny');
  }

  /** Writes the file's calls to `.access/<file>.jsonl`; throws on a denial outside any test. */
  stop(): void {
    recorders.delete(this);
    const denied = this.settle(null, false);
    writeAccessRecords(this.file, [...this.calls.values()]);
    failOn(denied, 'after the tests');
  }
}

function failOn(
  denied: readonly Judged[],
  when: 'before this test' | 'while this test ran' | 'after the tests',
): void {
  if (denied.length === 0) return;
  const why =
    when === 'while this test ran'
      ? `tag the test '${ATTACK}' if it makes the call on purpose`
      : 'outside the tests, no call is made on purpose';
  throw new Error(`Denied ${when} (${why}): ${denied.map(deniedMessage).join('; ')}`);
}

/**
 * Records the calls of a test file's shop from now until it stops, and fails the tests that see
 * a call denied that they do not declare (the `attack` tag).
 *
 * @example
 * ```ts
 * const recorder = recordAccess((principal) => roles.get(principal));
 * startShop({ onIamDecision: (entry) => recorder.observeDecision(entry), ... });
 * ```
 */
export const recordAccess = (roleOf: (principal: string) => string | undefined): AccessRecorder => {
  const recorder = new AccessRecorder(String(expect.getState().testPath), roleOf);
  recorders.add(recorder);
  return recorder;
};

/**
 * Settles the calls of every recorder around each test of the file being collected: a setup file
 * calls it, so that every file registers it, also when the files share one module graph.
 *
 * @example
 * ```ts
 * judgeEachTest(); // test/judgeEachTest.ts, a setupFiles entry
 * ```
 */
export const judgeEachTest = (): void => {
  beforeEach(() => {
    for (const recorder of recorders) failOn(recorder.settle(null, false), 'before this test');
  });
  afterEach((context: TestContext) => {
    const attack = context.task.tags?.includes(ATTACK) ?? false;
    for (const recorder of recorders) {
      const denied = recorder.settle(context.task.fullTestName, attack);
      if (!attack) failOn(denied, 'while this test ran');
    }
  });
};
