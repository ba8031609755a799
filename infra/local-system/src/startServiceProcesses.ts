import { SQSClient } from '@aws-sdk/client-sqs';
import { SERVICE_NAMES, type ServiceName } from '@shop/contracts';
import type { LocalCloud } from '@shop/local-cloud';
import type { CardProcessor } from '@shop/local-cloud/card-processor';
import type { LocalCredentials } from '@shop/local-cloud/iam';
import { SqsEventSourceMapping } from '@shop/local-cloud/lambda';
import type { LocalLambda } from './LocalLambda.js';
import { policyStoreId } from './policyStores.js';
import type { ShopStartup } from './ShopStartup.js';
import { SupervisedService } from './SupervisedService.js';
import { serviceEnvironment } from './serviceEnvironment.js';
import type { ShopCode } from './shopCode.js';

interface Wiring {
  readonly cloud: LocalCloud;
  readonly environment: Readonly<Record<string, string>>;
  readonly cardProcessor: CardProcessor;
  readonly queryUrls: Readonly<Record<string, string>>;
  /** The credentials of the role a function runs as. */
  readonly credentialsOf: (functionName: string) => LocalCredentials;
  /** The shop's Lambda, which the services' functions are invoked through. */
  readonly lambda: LocalLambda;
  /** The services' code, bundled while the rest of the shop starts. */
  readonly code: Promise<ShopCode>;
}

/**
 * Each consumer's SQS event-source mapping, outside its service's process as Lambda's pollers
 * are: it polls with the consumer function's role, as Lambda's pollers use the execution role,
 * and invokes through the shop's Lambda, so it is throttled like any caller and backs off.
 */
const startEventSources = async (
  { region, topology }: ShopStartup,
  services: readonly SupervisedService[],
  wiring: Wiring,
): Promise<SQSClient[]> => {
  const clients: SQSClient[] = [];
  for (const consumer of topology.consumers) {
    const queueUrl = wiring.cloud.consumers.find((c) => c.service === consumer.service)?.queue.url;
    const service = services.find((s) => s.service === consumer.service);
    if (queueUrl === undefined || service === undefined) continue;
    const { accessKeyId, secretAccessKey } = wiring.credentialsOf(consumer.functionName);
    // The mapping's polls and deletes add no middleware of their own: handlers built once.
    const sqs = new SQSClient({
      region,
      endpoint: String(wiring.environment['AWS_ENDPOINT_URL_SQS']),
      credentials: { accessKeyId, secretAccessKey },
      cacheMiddleware: true,
    });
    clients.push(sqs);
    const mapping = new SqsEventSourceMapping({
      sqs,
      queueUrl,
      functionName: consumer.functionName,
      region,
      batchSize: consumer.batchSize,
      maximumBatchingWindowSeconds: consumer.maximumBatchingWindowSeconds,
      maximumConcurrency: consumer.maximumConcurrency,
      invoke: (event) => wiring.lambda.invoke(consumer.functionName, event),
    });
    service.eventSource = mapping;
    await mapping.start();
  }
  return clients;
};

/**
 * Starts every service, each in its own process with the environment its stack would give it,
 * restarted whenever it crashes, and each consumer's SQS event-source mapping. If one fails to
 * start, the others that did are stopped with the rest of the start-up.
 *
 * @example
 * ```ts
 * const services = await startServiceProcesses(startup, {}, { cloud, environment, cardProcessor, queryUrls, credentialsOf, lambda });
 * ```
 */
export const startServiceProcesses = async (
  startup: ShopStartup,
  props: {
    readonly logLevel?: string;
    readonly onLog?: (service: ServiceName, line: string) => void;
    /** Values of the services' configuration keys, by name. */
    readonly configuration?: Readonly<Record<string, string>>;
  },
  wiring: Wiring,
): Promise<SupervisedService[]> => {
  const { topology, progress, stops } = startup;
  const began = performance.now();
  const code = await wiring.code;
  progress(
    `services' code ${code.bundled ? 'bundled' : 'unchanged, as bundled before'} in ${Math.round(performance.now() - began)} ms`,
  );
  progress('starting the services, each in its own process ...');
  const started = await Promise.allSettled(
    SERVICE_NAMES.map((service) =>
      SupervisedService.start({
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
        code,
        onLog: props.onLog ?? (() => undefined),
        onDiscarded: (service, discarded) => wiring.lambda.discarded(service, discarded),
        onEvent: (event) => wiring.lambda.serviceEvent(event),
      }),
    ),
  );
  const services = started.flatMap((result) =>
    result.status === 'fulfilled' ? [result.value] : [],
  );
  const clients: SQSClient[] = [];
  stops.push(async () => {
    await Promise.all(services.map((service) => service.stop()));
    for (const client of clients) client.destroy();
  });
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  for (const service of services) wiring.lambda.attach(service);
  clients.push(...(await startEventSources(startup, services, wiring)));
  progress(`services ready in ${Math.round(performance.now() - began)} ms`);
  return services;
};
