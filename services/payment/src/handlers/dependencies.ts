import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { awsClients, readConfig, VerifiedPermissionsAuthorizer } from '@shop/shared';
import { z } from 'zod';
import { DynamoPaymentRepository } from '../adapters/DynamoPaymentRepository.js';
import { HttpCardProcessor } from '../adapters/HttpCardProcessor.js';
import type { PaymentDependencies } from '../app/ports.js';

const config = readConfig(
  z.object({
    TABLE_NAME: z.string().min(1),
    /** The service's own Verified Permissions policy store. */
    POLICY_STORE_ID: z.string().min(1),
    CARD_PROCESSOR_URL: z.url(),
    CARD_PROCESSOR_TIMEOUT_MS: z.coerce.number().int().min(1).default(1000),
  }),
);

export const clients = awsClients();
/** Every entry point asks the service's policy store. */
export const authorizer = new VerifiedPermissionsAuthorizer(
  clients.verifiedPermissions,
  config.POLICY_STORE_ID,
);
export const logger = new Logger({ serviceName: 'payment' });

/** The Payment service wired to AWS and the card processor, once per execution environment. */
export const dependencies: PaymentDependencies = {
  payments: new DynamoPaymentRepository(clients.documents, config.TABLE_NAME),
  processor: new HttpCardProcessor({
    baseUrl: config.CARD_PROCESSOR_URL,
    timeoutMs: config.CARD_PROCESSOR_TIMEOUT_MS,
  }),
  now: () => new Date(),
  newPaymentId: randomUUID,
};
