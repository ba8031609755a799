import { SERVICE_NAMES, type ServiceName } from '@shop/contracts';
import type { LatticePrincipal } from '@shop/local-cloud/lattice';
import { serviceRolePath } from '@shop/topology';

/** The account and organization the local shop stands for. */
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_ORGANIZATION = 'o-localshop00';

/**
 * The local credentials of one service's process and the role they stand for, as its functions'
 * roles sit under `/shop/<service>/` in AWS. DynamoDB Local accepts only letters and digits in an
 * access key id.
 */
export const servicePrincipal = (service: ServiceName): LatticePrincipal => ({
  accessKeyId: `local${service}`,
  secretAccessKey: `local${service}`,
  roleArn: `arn:aws:iam::${LOCAL_ACCOUNT}:role${serviceRolePath(service)}${service}-local`,
  sessionName: service,
  account: LOCAL_ACCOUNT,
  organizationId: LOCAL_ORGANIZATION,
});

/**
 * Credentials of a principal in another account and organization, for trying the service
 * network's guardrail: every Lattice request signed with them is denied at the network policy.
 */
export const OUTSIDER_PRINCIPAL: LatticePrincipal = {
  accessKeyId: 'localoutsider',
  secretAccessKey: 'localoutsider',
  roleArn: 'arn:aws:iam::999999999999:role/outsider',
  sessionName: 'outsider',
  account: '999999999999',
  organizationId: 'o-elsewhere00',
};

/** Every principal the local Lattice gateway knows. */
export const localPrincipals = (): LatticePrincipal[] => [
  ...SERVICE_NAMES.map(servicePrincipal),
  OUTSIDER_PRINCIPAL,
];
