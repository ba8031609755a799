import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTableWriteWatch,
  TableWrites,
  type TableWriteWatch,
  writtenTables,
} from '../../src/dynamodb/tableWrites.js';

const target = (operation: string) => `DynamoDB_20120810.${operation}`;

describe('writtenTables', () => {
  it('names the tables each write operation writes to, by name or ARN, once each', () => {
    expect(writtenTables(target('PutItem'), '{"TableName":"orders","Item":{}}')).toEqual([
      'orders',
    ]);
    expect(
      writtenTables(
        target('UpdateItem'),
        '{"TableName":"arn:aws:dynamodb:eu-west-1:000000000000:table/orders"}',
      ),
    ).toEqual(['orders']);
    expect(writtenTables(target('DeleteItem'), '{"TableName":"orders"}')).toEqual(['orders']);
    expect(
      writtenTables(
        target('BatchWriteItem'),
        JSON.stringify({ RequestItems: { orders: [], payments: [] } }),
      ),
    ).toEqual(['orders', 'payments']);
    expect(
      writtenTables(
        target('TransactWriteItems'),
        JSON.stringify({
          TransactItems: [
            { Put: { TableName: 'orders' } },
            { Update: { TableName: 'orders' } },
            { ConditionCheck: { TableName: 'stock' } },
            { Delete: { TableName: 'payments' } },
          ],
        }),
      ),
    ).toEqual(['orders', 'payments']);
  });

  it('names none for reads, table operations and bodies it cannot read', () => {
    expect(writtenTables(target('GetItem'), '{"TableName":"orders"}')).toEqual([]);
    expect(writtenTables(target('CreateTable'), '{"TableName":"orders"}')).toEqual([]);
    expect(writtenTables(target('GetRecords'), '{}')).toEqual([]);
    expect(writtenTables(target('PutItem'), 'not json')).toEqual([]);
    expect(writtenTables(undefined, '{"TableName":"orders"}')).toEqual([]);
  });
});

describe('TableWrites', () => {
  it("tells each table's listeners of its successful writes only, until they stop listening", () => {
    const writes = new TableWrites();
    const told: string[] = [];
    const stop = writes.on('orders', () => told.push('orders'));
    writes.on('payments', () => told.push('payments'));

    writes.answered({ target: target('PutItem'), body: '{"TableName":"orders"}', status: 200 });
    writes.answered({ target: target('PutItem'), body: '{"TableName":"orders"}', status: 400 });
    writes.answered({ target: target('GetItem'), body: '{"TableName":"payments"}', status: 200 });
    stop();
    writes.written(['orders', 'payments']);

    expect(told).toEqual(['orders', 'payments']);
  });
});

describe('startTableWriteWatch', () => {
  /** Stands in for DynamoDB: refuses a write to `refused`, accepts any other, echoing the body. */
  let upstream: Server;
  let watch: TableWriteWatch;
  const writes = new TableWrites();
  const told: string[] = [];

  beforeAll(async () => {
    upstream = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        response.writeHead(body.includes('"refused"') ? 400 : 200, {
          'content-type': 'application/x-amz-json-1.0',
        });
        response.end(body);
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const { port } = upstream.address() as AddressInfo;
    watch = await startTableWriteWatch(`http://127.0.0.1:${port}`, writes);
    for (const table of ['orders', 'refused', 'read']) writes.on(table, () => told.push(table));
  });

  afterAll(async () => {
    await watch?.close();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  const send = async (operation: string, body: object) => {
    const answer = await fetch(watch.endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': target(operation) },
      body: JSON.stringify(body),
    });
    return { status: answer.status, body: await answer.text() };
  };

  it('forwards every request unchanged, and tells of the writes DynamoDB accepted', async () => {
    const accepted = await send('PutItem', { TableName: 'orders', Item: {} });
    const refused = await send('PutItem', { TableName: 'refused', Item: {} });
    const read = await send('GetItem', { TableName: 'read', Key: {} });

    expect(accepted).toEqual({ status: 200, body: '{"TableName":"orders","Item":{}}' });
    expect(refused.status).toBe(400);
    expect(read.status).toBe(200);
    expect(told).toEqual(['orders']);
  });
});
