import { SERVICE_NAMES, type ServiceName } from '@shop/contracts';
import type { LocalCloud } from '@shop/local-cloud';
import type { CardProcessor } from '@shop/local-cloud/card-processor';
import type { LocalCredentials } from '@shop/local-cloud/iam';
import { policyStoreId } from './policyStores.js';
import { ServiceProcess } from './ServiceProcess.js';
import type { ShopStartup } from './ShopStartup.js';
import { serviceEnvironment } from './serviceEnvironment.js';

/**
 * Starts every service, each in its own process, with the environment its stack would give it.
 * If one fails to start, the others that did are stopped with the rest of the start-up.
 *
 * @example
 * ```ts
 * const services = await startServiceProcesses(startup, {}, { cloud, environment, cardProcessor, queryUrls, credentialsOf });
 * ```
 */
export const startServiceProcesses = async (
  { topology, progress, stops }: ShopStartup,
  props: {
    readonly logLevel?: string;
    readonly onLog?: (service: ServiceName, line: string) => void;
    /** Values of the services' configuration keys, by name. */
    readonly configuration?: Readonly<Record<string, string>>;
  },
  wiring: {
    readonly cloud: LocalCloud;
    readonly environment: Readonly<Record<string, string>>;
    readonly cardProcessor: CardProcessor;
    readonly queryUrls: Readonly<Record<string, string>>;
    /** The credentials of the role a function runs as. */
    readonly credentialsOf: (functionName: string) => LocalCredentials;
  },
): Promise<ServiceProcess[]> => {
  const began = performance.now();
  progress('starting the services, each in its own process ...');
  const started = await Promise.allSettled(
    SERVICE_NAMES.map((service) =>
      ServiceProcess.start({
        service,
        setup: serviceEnvironment(service, {
          credentialsOf: wiring.credentialsOf,
          cloud: wiring.cloud,
          environment: wiring.environment,
          policyStoreId: policyStoreId(service),
          topology,
          // The deploy-time parameters of the services' stacks, as the local system sets them.
          parameters: { CARD_PROCESSOR_URL: wiring.cardProcessor.url },
          ...(props.configuration !== undefined && { configuration: props.configuration }),
          queryUrls: wiring.queryUrls,
          ...(props.logLevel !== undefined && { logLevel: props.logLevel }),
        }),
        onLog: props.onLog ?? (() => undefined),
      }),
    ),
  );
  const services = started.flatMap((result) =>
    result.status === 'fulfilled' ? [result.value] : [],
  );
  stops.push(async () => {
    await Promise.all(services.map((service) => service.stop()));
  });
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  progress(`services ready in ${Math.round(performance.now() - began)} ms`);
  return services;
};
