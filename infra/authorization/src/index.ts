export {
  type AuthorizationDecision,
  type AuthorizationQuestion,
  type CedarEntity,
  CedarPolicyEngine,
  type EntityRef,
} from './CedarPolicyEngine.js';
export {
  assertValidPolicyStore,
  CEDAR_NAMESPACE,
  loadPolicyStore,
  type PolicyStore,
  PolicyStoreError,
  policyStoreProblems,
  schemaJsonOf,
} from './policyStore.js';
