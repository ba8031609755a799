export {
  DEPLOYED_CONSOLE,
  type DeployedService,
  DeployIdentitiesStack,
  type DeployIdentitiesStackProps,
  deployedServiceOf,
  deploySubject,
  GITHUB_AUDIENCE,
  GITHUB_ISSUER,
} from './DeployIdentitiesStack.js';
export {
  boundaryArn,
  boundaryStatements,
  type DeployScope,
  executionStatements,
  namedResources,
  vpcGuardrail,
} from './deployPolicies.js';
