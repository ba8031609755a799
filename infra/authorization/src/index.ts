export {
  type AuthorizationDecision,
  type AuthorizationQuestion,
  CedarPolicyEngine,
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
export { PolicyDocumentError, UnscopedPolicyEngine } from './UnscopedPolicyEngine.js';
