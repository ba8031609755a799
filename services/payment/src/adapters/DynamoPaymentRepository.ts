import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OrderId, OutgoingEvent } from '@shop/contracts';
import { VersionedItemStore } from '@shop/shared';
import type { Payment } from '#domain/payment.js';
import type { PaymentRepository } from '../app/ports.js';

/**
 * Payments in Payment's own table, one item per order. Each write is one transaction with the
 * outbox items of its events, conditional on the version read: that is how exactly one handler
 * claims a charge.
 */
export class DynamoPaymentRepository implements PaymentRepository {
  private readonly payments: VersionedItemStore<Payment>;

  constructor(documents: DynamoDBDocumentClient, tableName: string) {
    this.payments = new VersionedItemStore(documents, tableName, 'PAYMENT');
  }

  get(orderId: OrderId): Promise<Payment | undefined> {
    return this.payments.get(orderId);
  }

  save(payment: Payment, events: readonly OutgoingEvent[] = []): Promise<void> {
    return this.payments.save(payment.orderId, payment, events);
  }
}
