import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forwardRequest } from '../http/forwardRequest.js';
import { readBody } from '../http/readBody.js';

/** The operations that write items, and where each names its tables. */
const WRITES: Readonly<Record<string, (body: WriteBody) => readonly (string | undefined)[]>> = {
  PutItem: (body) => [body.TableName],
  UpdateItem: (body) => [body.TableName],
  DeleteItem: (body) => [body.TableName],
  BatchWriteItem: (body) => Object.keys(body.RequestItems ?? {}),
  TransactWriteItems: (body) =>
    (body.TransactItems ?? []).flatMap((item) =>
      [item.Put, item.Update, item.Delete].map((write) => write?.TableName),
    ),
};

interface WriteBody {
  readonly TableName?: string;
  readonly RequestItems?: Readonly<Record<string, unknown>>;
  readonly TransactItems?: readonly {
    readonly Put?: { readonly TableName?: string };
    readonly Update?: { readonly TableName?: string };
    readonly Delete?: { readonly TableName?: string };
  }[];
}

/** A table named by its name or its ARN (`arn:aws:dynamodb:…:table/orders`), as its name. */
const tableName = (nameOrArn: string): string => nameOrArn.split(':table/').at(-1) ?? nameOrArn;

/**
 * The tables a DynamoDB request writes items to, from its `X-Amz-Target` and JSON body (parsed
 * here, unless given parsed as `input`): none for a read, a table operation or a body that cannot
 * be read.
 *
 * @example
 * ```ts
 * writtenTables('DynamoDB_20120810.PutItem', '{"TableName":"orders","Item":{}}'); // ['orders']
 * writtenTables('DynamoDB_20120810.GetItem', '{"TableName":"orders"}'); // []
 * ```
 */
export const writtenTables = (
  target: string | undefined,
  body: string | Uint8Array,
  input?: unknown,
): readonly string[] => {
  const tablesOf = WRITES[String(target).split('.').at(-1) ?? ''];
  if (tablesOf === undefined) return [];
  try {
    const parsed =
      input ?? JSON.parse(typeof body === 'string' ? body : Buffer.from(body).toString('utf8'));
    const names = tablesOf(parsed as WriteBody).filter(
      (name): name is string => typeof name === 'string',
    );
    return [...new Set(names.map(tableName))];
  } catch {
    return [];
  }
};

/** Who hears of writes to one table. */
type Listener = () => void;

/**
 * Where the writes DynamoDB accepted are told, by table: what sees the requests (the IAM front, or
 * a `TableWriteWatch` where nothing is enforced) tells, and each table's outbox relay listens, so
 * that it reads its stream at once instead of at its next poll.
 *
 * @example
 * ```ts
 * const writes = new TableWrites();
 * writes.on('orders', () => relay.wake());
 * writes.written(['orders']);
 * ```
 */
export class TableWrites {
  private readonly listeners = new Map<string, Set<Listener>>();

  /** Listens for writes to `table`; answers a function that stops listening. */
  on(table: string, listener: Listener): () => void {
    const listeners = this.listeners.get(table) ?? new Set();
    listeners.add(listener);
    this.listeners.set(table, listeners);
    return () => listeners.delete(listener);
  }

  /** Tells the listeners of each table that a write to it succeeded. */
  written(tables: readonly string[]): void {
    for (const table of tables) for (const listener of this.listeners.get(table) ?? []) listener();
  }

  /**
   * Tells of the tables one answered DynamoDB request wrote to, if it succeeded: from its body
   * as already parsed (`input`) when given, else from its bytes.
   *
   * @example
   * ```ts
   * writes.answered({ target: 'DynamoDB_20120810.PutItem', body, status: 200 });
   * ```
   */
  answered(request: {
    readonly target: string | undefined;
    readonly body: string | Uint8Array;
    readonly input?: unknown;
    readonly status: number;
  }): void {
    if (request.status === 200) {
      this.written(writtenTables(request.target, request.body, request.input));
    }
  }
}

/** A reverse proxy before DynamoDB Local that tells of the writes it forwards. */
export interface TableWriteWatch {
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * Starts a proxy on 127.0.0.1 that forwards every request to DynamoDB `upstream` unchanged and,
 * once a write succeeded, tells `writes` of its tables before it passes the answer on: where no
 * IAM front sees the requests.
 *
 * @example
 * ```ts
 * const watch = await startTableWriteWatch(dynamodb.endpoint, writes);
 * new DynamoDBClient({ endpoint: watch.endpoint });
 * ```
 */
export const startTableWriteWatch = async (
  upstream: string,
  writes: TableWrites,
): Promise<TableWriteWatch> => {
  const target = new URL(upstream);
  const server = createServer((request, response) => {
    readBody(request).then(
      (body = Buffer.alloc(0)) => {
        forwardRequest(target, request, response, body, (_at, status) =>
          writes.answered({ target: request.headers['x-amz-target']?.toString(), body, status }),
        );
      },
      () => response.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
