import { Logger } from '@aws-lambda-powertools/logger';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { SQSClient } from '@aws-sdk/client-sqs';
import { readConfig, staffEntryChecks } from '@shop/shared';
import * as z from 'zod';
import { awsConsoleReads } from '../adapters/awsConsoleReads.js';
import { CONSOLE_ENVIRONMENT } from '../consoleEnvironment.js';
import { consoleHandler } from '../consoleHandler.js';
import { SHOP_MAP } from '../map/shopMap.js';

const config = readConfig(
  z.object({
    [CONSOLE_ENVIRONMENT.queueUrlBase]: z.url(),
    [CONSOLE_ENVIRONMENT.assets]: z.string().min(1).optional(),
  }),
);

/** The console function (ADR 0025): its role reads queue counts and log events, nothing else. */
export const handler = consoleHandler({
  logger: new Logger({ serviceName: 'console' }),
  checks: staffEntryChecks(),
  reads: awsConsoleReads({
    sqs: new SQSClient({}),
    logs: new CloudWatchLogsClient({}),
    queueUrlBase: config[CONSOLE_ENVIRONMENT.queueUrlBase],
  }),
  map: SHOP_MAP,
  assets: new URL(config[CONSOLE_ENVIRONMENT.assets] ?? '../web/', import.meta.url),
});
