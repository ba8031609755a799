import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPolicyStore, schemaJsonOf } from '@shop/authorization';
import {
  type AnyQueryDefinition,
  type ConfigurationKey,
  eventLabel,
  type FunctionAccess,
  functionEnvironment,
  functionName,
  type ServiceManifest,
} from '@shop/contracts';
import type { ShopTopology } from '@shop/topology';

const title = (name: string) => `${name.charAt(0).toUpperCase()}${name.slice(1)}`;
const names = (queries: readonly AnyQueryDefinition[]) => queries.map((q) => q.name).join(', ');
const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
const table = (head: readonly string[], rows: readonly (readonly string[])[]) =>
  rows.length === 0
    ? ['None.']
    : [row(head), row(head.map(() => '---')), ...rows.map((cells) => row(cells))];

const accessOf = (access: FunctionAccess): string =>
  [
    access.table && `table: ${access.table}`,
    access.deadLetters && `dead letters: ${access.deadLetters}`,
    access.queries && access.queries.length > 0 && `queries: ${names(access.queries)}`,
    access.authorize && 'asks its Cedar policy store',
    access.idempotency && `idempotency ${access.idempotency}`,
    access.deadlines && `due items (by-deadline): ${access.deadlines}`,
  ]
    .filter((part): part is string => typeof part === 'string')
    .join('; ') || 'nothing in AWS';

/** Where a configuration key's value comes from: a deploy-time parameter, or its default. */
const configuredValue = (key: ConfigurationKey): string => {
  if (key.source === 'parameter') return 'a parameter of the stack';
  const fallback = key.schema.safeParse(undefined);
  return fallback.success
    ? `\`${String(fallback.data)}\` unless the variable is set`
    : 'the variable, which must be set';
};

/** The service's Cedar actions, from its schema: each with its principals and resources. */
export const cedarActions = (manifest: ServiceManifest): string[][] => {
  const policies = dirname(
    fileURLToPath(import.meta.resolve(`@shop/${manifest.name}/policies/schema.cedarschema`)),
  );
  const schema = JSON.parse(schemaJsonOf(loadPolicyStore(manifest.name, policies))) as Record<
    string,
    {
      actions: Record<
        string,
        { appliesTo?: { principalTypes?: string[]; resourceTypes?: string[] } }
      >;
    }
  >;
  return Object.values(schema).flatMap((namespace) =>
    Object.entries(namespace.actions).map(([action, { appliesTo }]) => [
      action,
      (appliesTo?.principalTypes ?? []).join(', '),
      (appliesTo?.resourceTypes ?? []).join(', '),
    ]),
  );
};

/**
 * The boundary of one service as a page: its functions and triggers, events in and out, queries
 * offered and called, what each function may do, its environment and its Cedar actions, all
 * derived from its manifest and the shop's topology.
 */
export const serviceDoc = (
  manifest: ServiceManifest,
  manifests: readonly ServiceManifest[],
  topology: ShopTopology,
): string => {
  const own = topology.services.find((s) => s.service === manifest.name);
  if (own === undefined) throw new Error(`No topology for ${manifest.name}`);
  const trigger = (handler: string): string => {
    switch (manifest.functions[handler]?.trigger) {
      case 'rest':
        return `REST API \`${own.restApi?.apiName}\``;
      case 'authorizer':
        return `authorizer of \`${own.restApi?.apiName}\``;
      case 'staff':
        return `staff load balancer, rule \`${own.staffRoute?.pathPattern}\`, behind Verified Access`;
      case 'queue':
        return `queue \`${own.consumer?.queueName}\``;
      case 'lattice':
        return `Lattice service \`${own.latticeService?.latticeServiceName}\``;
      case 'schedule': {
        const name = functionName(manifest.name, handler);
        const schedule = own.schedules.find((s) => s.functionName === name);
        return `schedule \`${schedule?.scheduleName}\`, ${schedule?.expression}`;
      }
      default:
        throw new Error(`${manifest.name} has no function ${handler}`);
    }
  };
  const consumersOf = (label: string) =>
    manifests
      .filter((m) => m.subscribes.some((event) => eventLabel(event) === label))
      .map((m) => m.name)
      .join(', ') || 'none';
  const calls = own.functions.flatMap((fn) =>
    (fn.access.queries ?? []).map((query) => [query.name, query.provider, fn.functionName]),
  );
  return [
    `# ${title(manifest.name)}`,
    '',
    `<!-- Generated from services/${manifest.name}/service.ts by test/infrastructure (npm test); edit the manifest, then run \`npx vitest run -u\` there. -->`,
    '',
    manifest.description,
    '',
    '## Functions',
    '',
    ...table(
      ['Function', 'Trigger', 'What it does', 'May do in AWS'],
      own.functions.map((fn) => [
        `\`${fn.functionName}\``,
        trigger(fn.handler),
        fn.description,
        accessOf(fn.access),
      ]),
    ),
    '',
    '## REST API',
    '',
    ...table(
      ['Route', 'Name', 'Cedar action'],
      Object.values(manifest.functions).flatMap((fn) =>
        Object.entries(fn.routes ?? {}).map(([name, route]) => [
          `\`${route.method} ${route.path}\``,
          name,
          route.action,
        ]),
      ),
    ),
    '',
    '## Events it publishes',
    '',
    ...table(
      ['Event', 'Consumers'],
      manifest.publishes.map((event) => [eventLabel(event), consumersOf(eventLabel(event))]),
    ),
    '',
    '## Events it consumes',
    '',
    ...(own.consumer
      ? [
          `Rule \`${own.consumer.ruleName}\` on the shop bus → queue \`${own.consumer.queueName}\` (DLQ \`${own.consumer.deadLetterQueueName}\`) → \`${own.consumer.functionName}\`.`,
          '',
        ]
      : []),
    ...table(
      ['Event', 'Producer', 'Fields it reads'],
      manifest.subscribes.map((event) => [
        eventLabel(event),
        event.producer,
        event.fields.join(', '),
      ]),
    ),
    '',
    '## Queries it offers',
    '',
    ...table(
      ['Query', 'Route', 'Callers it lets in'],
      (manifest.queries?.offers ?? []).map((query) => [
        query.name,
        `\`${query.method} ${query.path}\``,
        Object.entries(manifest.queries?.callers ?? {})
          .filter(([, queries]) => queries?.includes(query))
          .map(([caller]) => caller)
          .join(', ') || 'none',
      ]),
    ),
    '',
    '## Queries it calls',
    '',
    ...table(['Query', 'Provider', 'Called by'], calls),
    '',
    '## Environment',
    '',
    ...table(
      ['Function', 'Variables'],
      own.functions.map((fn) => [
        `\`${fn.functionName}\``,
        functionEnvironment(manifest, fn.handler)
          .map((variable) => `\`${variable.name}\``)
          .join(', '),
      ]),
    ),
    '',
    '## Configuration',
    '',
    ...table(
      ['Key', 'What it sets', 'Value'],
      Object.entries(manifest.configuration ?? {}).map(([name, key]) => [
        `\`${name}\``,
        key.description,
        configuredValue(key),
      ]),
    ),
    '',
    '## Cedar actions',
    '',
    `Schema and policies: \`services/${manifest.name}/${manifest.policies}/\`.`,
    '',
    ...table(['Action', 'Principals', 'Resources'], cedarActions(manifest)),
    '',
  ].join('\n');
};

/** The shop's service map as a Mermaid flowchart: events (solid) and Lattice queries (dotted). */
export const serviceMap = (manifests: readonly ServiceManifest[]): string => {
  const events = manifests.flatMap((consumer) =>
    consumer.subscribes.map((event) => ({
      from: event.producer,
      to: consumer.name,
      label: eventLabel(event),
    })),
  );
  const pairs = [...new Set(events.map((edge) => `${edge.from}>${edge.to}`))];
  const queries = manifests.flatMap((provider) =>
    Object.entries(provider.queries?.callers ?? {}).map(([caller, allowed]) => ({
      from: caller,
      to: provider.name,
      label: names(allowed ?? []),
    })),
  );
  return [
    '```mermaid',
    'flowchart LR',
    '  people(["customers and staff"])',
    ...manifests.map((m) => `  ${m.name}["${title(m.name)}"]`),
    ...manifests.map((m) => `  people -- "REST API" --> ${m.name}`),
    ...pairs.map((pair) => {
      const [from, to] = pair.split('>');
      const labels = events.filter((e) => e.from === from && e.to === to).map((e) => e.label);
      return `  ${from} -- "${labels.join('<br>')}" --> ${to}`;
    }),
    ...queries.map((edge) => `  ${edge.from} -. "${edge.label} (Lattice)" .-> ${edge.to}`),
    '```',
  ].join('\n');
};
