import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { OrderId, Sku } from '@shop/contracts';
import {
  entityKey,
  listEntities,
  SERVICE_TABLE,
  type TransactItem,
  withoutKeys,
  writeWithOutbox,
} from '@shop/shared';
import type { Product } from '#domain/product.js';
import type { Reservation, ReservationChange, StockDelta } from '#domain/reservation.js';
import type { InventoryRepository } from '../app/ports.js';

const PK = SERVICE_TABLE.partitionKey;
const PRODUCT = 'PRODUCT';
const productKey = (sku: Sku) => entityKey(PRODUCT, sku);
const reservationKey = (orderId: OrderId) => entityKey('RESERVATION', orderId);

/**
 * Products and reservations in Inventory's own table. A reservation change is one transaction:
 * the reservation (conditional on the status it was read in), every stock counter it moves
 * (conditional on never going below zero) and the outbox items of its events.
 */
export class DynamoInventoryRepository implements InventoryRepository {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getReservation(orderId: OrderId): Promise<Reservation | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: reservationKey(orderId),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : withoutKeys<Reservation>(Item);
  }

  async getProducts(skus: readonly Sku[]): Promise<readonly Product[]> {
    const unique = [...new Set(skus)];
    if (unique.length === 0) return [];
    const { Responses, UnprocessedKeys } = await this.documents.send(
      new BatchGetCommand({
        RequestItems: {
          [this.tableName]: { Keys: unique.map(productKey), ConsistentRead: true },
        },
      }),
    );
    if (Object.keys(UnprocessedKeys ?? {}).length > 0) {
      // A product left unread is not an unknown product: let the event be retried.
      throw new Error('BatchGetItem left products unread (throttled); retry');
    }
    return (Responses?.[this.tableName] ?? []).map((item) => withoutKeys<Product>(item));
  }

  async listProducts(page: {
    readonly limit: number;
    readonly nextToken?: string | undefined;
  }): Promise<{ readonly products: readonly Product[]; readonly nextToken?: string }> {
    const { items, nextToken } = await listEntities<Product>(
      this.documents,
      this.tableName,
      PRODUCT,
      page,
    );
    return { products: items, ...(nextToken !== undefined && { nextToken }) };
  }

  async save(change: ReservationChange): Promise<void> {
    await writeWithOutbox(this.documents, {
      tableName: this.tableName,
      items: [this.reservationPut(change), ...change.stock.map((delta) => this.stockUpdate(delta))],
      events: change.events,
      now: new Date(change.reservation.updatedAt),
      subject: `The reservation of order ${change.reservation.orderId} or its stock`,
    });
  }

  async setStock(sku: Sku, available: number): Promise<Product | undefined> {
    try {
      const { Attributes } = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: productKey(sku),
          UpdateExpression: 'SET #available = :available',
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK, '#available': 'available' },
          ExpressionAttributeValues: { ':available': available },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return withoutKeys<Product>(Attributes ?? {});
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  async putProduct(product: Omit<Product, 'reserved'>): Promise<Product> {
    const { Attributes } = await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: productKey(product.sku),
        UpdateExpression:
          'SET #sku = :sku, #name = :name, #unitPrice = :unitPrice, #available = :available, #reserved = if_not_exists(#reserved, :zero)',
        ExpressionAttributeNames: {
          '#sku': 'sku',
          '#name': 'name',
          '#unitPrice': 'unitPrice',
          '#available': 'available',
          '#reserved': 'reserved',
        },
        ExpressionAttributeValues: {
          ':sku': product.sku,
          ':name': product.name,
          ':unitPrice': product.unitPrice,
          ':available': product.available,
          ':zero': 0,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return withoutKeys<Product>(Attributes ?? {});
  }

  private reservationPut(change: ReservationChange): TransactItem {
    const item = { ...reservationKey(change.reservation.orderId), ...change.reservation };
    return {
      Put: {
        TableName: this.tableName,
        Item: item,
        ...(change.previousStatus === undefined
          ? {
              ConditionExpression: 'attribute_not_exists(#pk)',
              ExpressionAttributeNames: { '#pk': PK },
            }
          : {
              ConditionExpression: '#status = :previous',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':previous': change.previousStatus },
            }),
      },
    };
  }

  private stockUpdate(delta: StockDelta): TransactItem {
    const conditions = ['attribute_exists(#pk)'];
    if (delta.available < 0) conditions.push('#available >= :takeAvailable');
    if (delta.reserved < 0) conditions.push('#reserved >= :takeReserved');
    return {
      Update: {
        TableName: this.tableName,
        Key: productKey(delta.sku),
        UpdateExpression:
          'SET #available = #available + :available, #reserved = #reserved + :reserved',
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeNames: { '#pk': PK, '#available': 'available', '#reserved': 'reserved' },
        ExpressionAttributeValues: {
          ':available': delta.available,
          ':reserved': delta.reserved,
          ...(delta.available < 0 && { ':takeAvailable': -delta.available }),
          ...(delta.reserved < 0 && { ':takeReserved': -delta.reserved }),
        },
      },
    };
  }
}
