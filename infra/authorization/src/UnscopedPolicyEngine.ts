import type { Context, EntityUid } from '@cedar-policy/cedar-wasm/nodejs';
import { type AuthorizationDecision, decideRequest, preparsePolicySet } from './cedarWasm.js';

/** A Cedar policy document that does not parse. */
export class PolicyDocumentError extends Error {
  constructor(
    readonly document: string,
    readonly problems: readonly string[],
  ) {
    super(`The Cedar policy document ${document} does not parse:\n${problems.join('\n')}`);
    this.name = 'PolicyDocumentError';
  }
}

const ANYONE: EntityUid = { type: 'Anyone', id: 'anyone' };

let documents = 0;

/**
 * Evaluates one Cedar policy document that has no schema and decides by its conditions alone,
 * as Verified Access does with a group's or an endpoint's policy: the scope of every policy is
 * unconstrained (`permit(principal, action, resource)`), so principal, action and resource are
 * placeholders and everything the policies read is in `context`. The document is parsed once;
 * its policies are named `policy0`, `policy1`, ... in document order. Deny by default: no
 * permit, or a forbid, is DENY; a policy whose condition fails to evaluate (an attribute the
 * context lacks) is skipped and its error reported.
 *
 * @throws {PolicyDocumentError} when the document does not parse.
 * @example
 * ```ts
 * const engine = new UnscopedPolicyEngine('staff-access', text);
 * engine.isAuthorized({ staff: { 'cognito:groups': ['Operators'] }, jamf: { risk: 'LOW' } });
 * // { decision: 'ALLOW', determiningPolicies: ['policy0'], errors: [] }
 * ```
 */
export class UnscopedPolicyEngine {
  private readonly policySetId: string;
  constructor(
    readonly name: string,
    document: string,
  ) {
    documents += 1;
    this.policySetId = `unscoped-${name}-${documents}`;
    const parsed = preparsePolicySet(this.policySetId, { staticPolicies: document });
    if (parsed.type === 'failure') {
      throw new PolicyDocumentError(
        name,
        parsed.errors.map((e) => e.message),
      );
    }
  }

  isAuthorized(context: Readonly<Record<string, unknown>>): AuthorizationDecision {
    return decideRequest({
      principal: ANYONE,
      action: { type: 'Action', id: 'request' },
      resource: ANYONE,
      context: context as Context,
      entities: [],
      preparsedPolicySetId: this.policySetId,
    });
  }
}
