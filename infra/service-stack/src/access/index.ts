export {
  type AccessEnvironment,
  accessTemplateOf,
  type Json,
  type ResolvedRole,
  resolveTemplateValue,
  resourcePoliciesOf,
  rolesOf,
  type TemplateJson,
  vpcEndpointServicesOf,
} from './resolvedAccess.js';
