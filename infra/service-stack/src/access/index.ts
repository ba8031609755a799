export {
  type AccessEnvironment,
  accessTemplateOf,
  type Json,
  type ResolvedRole,
  resolveTemplateValue,
  resourcePoliciesOf,
  rolesOf,
  type TemplateJson,
} from './resolvedAccess.js';
