import { reservePort } from '@shop/local-cloud';
import type { CredentialsRegistry } from '@shop/local-cloud/iam';
import type { InvokeFunction, InvokeOutcome } from '@shop/local-cloud/lambda';
import {
  type LatticeAccessLogEntry,
  type LatticeGateway,
  startLatticeGateway,
} from '@shop/local-cloud/lattice';
import { serviceAuthPolicy, serviceNetworkAuthPolicy, serviceRolePath } from '@shop/topology';
import { LOCAL_ACCOUNT, LOCAL_ORGANIZATION, localPrincipals } from './principals.js';
import type { ShopStartup } from './ShopStartup.js';

/** Invokes a Lattice target; a stopped process is a target Lattice cannot connect to, not a failed function. */
const latticeTarget =
  (invokeFunction: InvokeFunction, functionName: string) =>
  async (event: unknown): Promise<InvokeOutcome> => {
    const outcome = await invokeFunction(functionName, event);
    if (outcome.kind === 'error' && outcome.errorType === 'ServiceExited') {
      throw new Error(outcome.errorMessage);
    }
    return outcome;
  };

/**
 * Starts the shop's Lattice gateway: the service network with its guardrail, and one Lattice
 * service per service that answers queries, with its auth policy, in front of its function.
 * The first service listens on `ports.lattice`, the others on the ports that follow (0 picks free
 * ports).
 *
 * @example
 * ```ts
 * const lattice = await startShopLattice(startup, { ports: { lattice: 0 } }, invokeFunction, credentials);
 * ```
 */
export const startShopLattice = async (
  { region, topology, progress, stops }: ShopStartup,
  props: {
    readonly ports: { readonly lattice: number };
    readonly onAccessLog?: (entry: LatticeAccessLogEntry) => void;
  },
  invokeFunction: InvokeFunction,
  credentials: CredentialsRegistry,
): Promise<LatticeGateway> => {
  const account = LOCAL_ACCOUNT;
  const firstPort = await reservePort('Lattice', props.ports.lattice, 'LOCAL_LATTICE_PORT');
  const lattice = await startLatticeGateway({
    region,
    account,
    serviceNetwork: {
      name: 'shop',
      authPolicy: serviceNetworkAuthPolicy({
        organizationId: LOCAL_ORGANIZATION,
        services: `arn:aws:vpc-lattice:${region}:${account}:service/*`,
      }),
    },
    services: topology.latticeServices.map((latticeService, index) => ({
      name: latticeService.latticeServiceName,
      port: props.ports.lattice === 0 ? 0 : firstPort + index,
      authPolicy: (serviceArn) =>
        serviceAuthPolicy(latticeService, {
          serviceArn,
          roleArnPattern: (service) => `arn:aws:iam::${account}:role${serviceRolePath(service)}*`,
        }),
      invoke: latticeTarget(invokeFunction, latticeService.functionName),
    })),
    principals: localPrincipals(credentials),
    ...(props.onAccessLog !== undefined && { onAccessLog: props.onAccessLog }),
  });
  stops.push(() => lattice.close());
  progress(
    `Lattice gateway: ${lattice.services.map((service) => `${service.name} at ${service.url}`).join(', ')}`,
  );
  return lattice;
};
