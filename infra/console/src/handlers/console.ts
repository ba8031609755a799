import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import {
  Logger,
  readConfig,
  STAFF_ENTRY_ENVIRONMENT,
  sqsClient,
  staffEntryChecks,
} from '@shop/shared';
import * as z from 'zod/mini';
import { awsConsoleReads } from '../adapters/awsConsoleReads.js';
import { CONSOLE_ENVIRONMENT } from '../consoleEnvironment.js';
import { consoleHandler } from '../consoleHandler.js';
import { SHOP_MAP } from '../map/shopMap.js';

const config = readConfig(
  z.object({
    [CONSOLE_ENVIRONMENT.queueUrlBase]: z.url(),
    [CONSOLE_ENVIRONMENT.assets]: z.optional(z.string().check(z.minLength(1))),
    [CONSOLE_ENVIRONMENT.managedLoginUrl]: z.url(),
    [STAFF_ENTRY_ENVIRONMENT.staffConsoleClientId]: z.string().check(z.minLength(1)),
  }),
);

const logger = new Logger({ serviceName: 'console' });

/** The console function (ADR 0025): its role reads queue counts and log events, nothing else. */
export const handler = consoleHandler({
  logger,
  checks: staffEntryChecks(),
  reads: awsConsoleReads({
    sqs: sqsClient(),
    logs: new CloudWatchLogsClient({}),
    queueUrlBase: config[CONSOLE_ENVIRONMENT.queueUrlBase],
    onUncounted: (queue, error) => logger.warn('A queue could not be counted', { queue, error }),
  }),
  map: SHOP_MAP,
  assets: new URL(config[CONSOLE_ENVIRONMENT.assets] ?? '../web/', import.meta.url),
  signIn: {
    managedLoginUrl: config[CONSOLE_ENVIRONMENT.managedLoginUrl],
    clientId: config[STAFF_ENTRY_ENVIRONMENT.staffConsoleClientId],
  },
});
