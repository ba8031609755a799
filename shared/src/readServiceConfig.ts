import {
  type ConfigurationKey,
  ENVIRONMENT,
  queriesCalledBy,
  queriesUrlVariable,
  type ServiceManifest,
  type ServiceName,
} from '@shop/contracts';
import * as z from 'zod/mini';
import { readConfig } from './readConfig.js';

/** A service's configuration, read from the environment its manifest gives its functions. */
export interface ServiceConfig<C extends Readonly<Record<string, ConfigurationKey>>> {
  readonly region: string;
  readonly tableName: string;
  readonly policyStoreId: string;
  /** The budget of one Lattice query, retries included. */
  readonly queryTimeoutMs: number;
  /** The URL of the Lattice service of a provider this service queries. */
  readonly queriesUrl: (provider: ServiceName) => string;
  /** The service's own settings, as its manifest's configuration parses them. */
  readonly settings: { readonly [K in keyof C]: z.output<C[K]['schema']> };
}

/**
 * Reads a service's configuration, once, at start-up: the variables its manifest gives every
 * one of its functions (table, policy store, the Lattice URLs of the services it queries) and its
 * own configuration keys, parsed by their schemas.
 *
 * @throws {ConfigError} listing every missing or malformed variable.
 *
 * @example
 * ```ts
 * const config = readServiceConfig(paymentService);
 * config.settings.CARD_PROCESSOR_URL; // a URL
 * ```
 */
export const readServiceConfig = <C extends Readonly<Record<string, ConfigurationKey>>>(
  manifest: ServiceManifest<ServiceName, ServiceManifest['functions'], C>,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ServiceConfig<C> => {
  const providers = [...new Set(queriesCalledBy(manifest).map((query) => query.provider))];
  const own = Object.entries(manifest.configuration ?? {});
  const config: Record<string, unknown> = readConfig(
    z.object({
      AWS_REGION: z.string().check(z.minLength(1)),
      [ENVIRONMENT.tableName]: z.string().check(z.minLength(1)),
      [ENVIRONMENT.policyStoreId]: z.string().check(z.minLength(1)),
      [ENVIRONMENT.queryTimeoutMs]: z._default(
        z.coerce.number().check(z.int(), z.minimum(1)),
        2000,
      ),
      ...Object.fromEntries(providers.map((provider) => [queriesUrlVariable(provider), z.url()])),
      ...Object.fromEntries(own.map(([name, key]) => [name, key.schema])),
    }),
    env,
  );
  const text = (name: string) => String(config[name]);
  return {
    region: text('AWS_REGION'),
    tableName: text(ENVIRONMENT.tableName),
    policyStoreId: text(ENVIRONMENT.policyStoreId),
    queryTimeoutMs: Number(config[ENVIRONMENT.queryTimeoutMs]),
    queriesUrl: (provider) => {
      if (!providers.includes(provider)) {
        throw new Error(`${manifest.name} declares no query of ${provider}`);
      }
      return text(queriesUrlVariable(provider));
    },
    settings: Object.fromEntries(
      own.map(([name]) => [name, config[name]]),
    ) as ServiceConfig<C>['settings'],
  };
};
