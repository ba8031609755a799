import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServiceName } from '@shop/contracts';

/**
 * Where the committed pacts live: one file per consumer and producer, written by the consumer's
 * tests. With a Pact Broker, this directory is what the consumer publishes and the producer
 * fetches (docs/contract-testing.md).
 */
export const PACTS_DIR = fileURLToPath(new URL('../pacts/', import.meta.url));

/** `inventory-order.json`: Pact's own naming, consumer first. */
export const pactFileName = (consumer: ServiceName, provider: ServiceName): string =>
  `${consumer}-${provider}.json`;

/** The committed pacts in which `provider` produces what a consumer expects. */
export const pactsOf = (provider: ServiceName, dir: string = PACTS_DIR): string[] =>
  readdirSync(dir)
    .filter((file) => file.endsWith(`-${provider}.json`))
    .sort()
    .map((file) => join(dir, file));
