import { setFlagsFromString } from 'node:v8';
import { statefulIsAuthorized } from '@cedar-policy/cedar-wasm/nodejs';

// Node 20's V8 inlines the call into cedar-wasm into the optimized code of its callers; when that
// code is thrown away while the call runs (cedar-wasm calls back into JavaScript, which may
// invalidate it), the deoptimizer cannot rebuild the JS-to-Wasm frame and the process dies with
// "Fatal error ... unreachable code" (seen after a few thousand authorizations in one process).
// Without that inlining, the call costs a frame more and nothing dies. Every engine of this
// package reaches cedar-wasm through this module, so the flag is set before any call.
setFlagsFromString('--no-turbo-inline-js-wasm-calls');

export interface AuthorizationDecision {
  readonly decision: 'ALLOW' | 'DENY';
  /** The ids of the policies that decided. */
  readonly determiningPolicies: readonly string[];
  /** Evaluation errors; a request that does not match the schema is an error, and DENY. */
  readonly errors: readonly string[];
}

export { preparsePolicySet, preparseSchema } from '@cedar-policy/cedar-wasm/nodejs';

/**
 * Asks cedar-wasm about one request against preparsed policies, and says what it decided, which
 * policies decided and what failed to evaluate. Deny by default: a request cedar-wasm cannot
 * answer (it does not match the schema, say) is DENY with its errors.
 *
 * @example
 * ```ts
 * const { decision } = decideRequest({ principal, action, resource, context, entities: [], preparsedPolicySetId });
 * ```
 */
export const decideRequest = (
  call: Parameters<typeof statefulIsAuthorized>[0],
): AuthorizationDecision => {
  const answer = statefulIsAuthorized(call);
  if (answer.type === 'failure') {
    return {
      decision: 'DENY',
      determiningPolicies: [],
      errors: answer.errors.map((e) => e.message),
    };
  }
  const { decision, diagnostics } = answer.response;
  return {
    decision: decision === 'allow' ? 'ALLOW' : 'DENY',
    determiningPolicies: diagnostics.reason,
    errors: diagnostics.errors.map((e) => `${e.policyId}: ${e.error.message}`),
  };
};
