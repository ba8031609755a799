import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { awsClients, readServiceConfig, VerifiedPermissionsAuthorizer } from '@shop/shared';
import { paymentService } from '#service';
import { DynamoPaymentRepository } from '../adapters/DynamoPaymentRepository.js';
import { HttpCardProcessor } from '../adapters/HttpCardProcessor.js';
import type { PaymentDependencies } from '../app/ports.js';

const config = readServiceConfig(paymentService);

export const clients = awsClients();
/** Every entry point asks the service's policy store. */
export const authorizer = new VerifiedPermissionsAuthorizer(
  clients.verifiedPermissions,
  config.policyStoreId,
);
export const logger = new Logger({ serviceName: 'payment' });

/** The Payment service wired to AWS and the card processor, once per execution environment. */
export const dependencies: PaymentDependencies = {
  payments: new DynamoPaymentRepository(clients.documents, config.tableName),
  processor: new HttpCardProcessor({
    baseUrl: config.settings.CARD_PROCESSOR_URL,
    timeoutMs: config.settings.CARD_PROCESSOR_TIMEOUT_MS,
  }),
  now: () => new Date(),
  newPaymentId: randomUUID,
};
