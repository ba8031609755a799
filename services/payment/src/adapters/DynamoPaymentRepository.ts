import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { OrderId, OutgoingEvent } from '@shop/contracts';
import { SERVICE_TABLE, versionedPut, withoutKeys, writeWithOutbox } from '@shop/shared';
import type { Payment } from '#domain/payment.js';
import type { PaymentRepository } from '../app/ports.js';

const key = (orderId: OrderId) => ({
  [SERVICE_TABLE.partitionKey]: `PAYMENT#${orderId}`,
  [SERVICE_TABLE.sortKey]: 'PAYMENT',
});

/**
 * Payments in Payment's own table, one item per order. Each write is one transaction with the
 * outbox items of its events, conditional on the version read: that is how exactly one handler
 * claims a charge.
 */
export class DynamoPaymentRepository implements PaymentRepository {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(orderId: OrderId): Promise<Payment | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: key(orderId), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : withoutKeys<Payment>(Item);
  }

  save(payment: Payment, events: readonly OutgoingEvent[] = []): Promise<void> {
    return writeWithOutbox(this.documents, {
      tableName: this.tableName,
      items: [versionedPut(this.tableName, key(payment.orderId), payment)],
      events,
      now: new Date(payment.updatedAt),
      subject: `Payment of order ${payment.orderId}`,
    });
  }
}
