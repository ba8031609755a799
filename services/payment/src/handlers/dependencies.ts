import { randomUUID } from 'node:crypto';
import { dynamodbClients, Logger, readServiceConfig } from '@shop/shared';
import { paymentService } from '#service';
import { DynamoPaymentRepository } from '../adapters/DynamoPaymentRepository.js';
import { HttpCardProcessor } from '../adapters/HttpCardProcessor.js';
import type { PaymentDependencies } from '../app/ports.js';

/** The service's configuration, parsed once per execution environment. */
export const config = readServiceConfig(paymentService);

export const logger = new Logger({ serviceName: 'payment' });

/** The Payment service wired to AWS and the card processor, once per execution environment. */
export const dependencies: PaymentDependencies = {
  payments: new DynamoPaymentRepository(dynamodbClients().documents, config.tableName),
  processor: new HttpCardProcessor({
    baseUrl: config.settings.CARD_PROCESSOR_URL,
    timeoutMs: config.settings.CARD_PROCESSOR_TIMEOUT_MS,
  }),
  now: () => new Date(),
  newPaymentId: randomUUID,
};
