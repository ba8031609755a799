import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DeleteItemCommandInput,
  DynamoDBClient,
  type GetItemCommandInput,
  type PutItemCommandInput,
  ResourceNotFoundException,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import {
  type ChangeMessageVisibilityBatchCommandInput,
  type ChangeMessageVisibilityCommandInput,
  type DeleteMessageBatchCommandInput,
  type GetQueueAttributesCommandInput,
  type Message,
  type MessageAttributeValue,
  type ReceiveMessageCommandInput,
  type SendMessageBatchCommandInput,
  type SendMessageCommandInput,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { HandlerExecutionContext, MetadataBearer, MiddlewareStack } from '@smithy/types';

const clientConfig = {
  region: 'eu-west-1',
  credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
};

/**
 * Makes a real SDK client answer its commands in memory: `send`, the command objects and the
 * errors are the SDK's own; only the network is replaced, at the front of the middleware stack.
 */
const answerInMemory = <I extends object, O extends MetadataBearer>(
  stack: MiddlewareStack<I, O>,
  answer: (command: string | undefined, input: I) => Promise<O>,
): void => {
  stack.add(
    (_next, context: HandlerExecutionContext) => async (args) => ({
      output: await answer(context.commandName, args.input),
      response: undefined,
    }),
    { step: 'initialize', priority: 'high', name: 'answerInMemory' },
  );
};

const unsupported = (what: string): Error =>
  new Error(`The in-memory fake does not support ${what}`);

type Item = Record<string, AttributeValue>;
type Names = Readonly<Record<string, string>>;
type Values = Readonly<Record<string, AttributeValue>>;

const TOKEN = /\s*(<>|<=|>=|[()=<>,]|[#:]?[A-Za-z0-9_]+)/y;

const tokens = (expression: string): string[] => {
  const found: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expression.trimEnd().length) {
    const match = TOKEN.exec(expression);
    if (match?.[1] === undefined) throw unsupported(`the expression ${expression}`);
    found.push(match[1]);
  }
  return found;
};

const scalar = (value: AttributeValue | undefined): number | string | undefined =>
  value?.N !== undefined ? Number(value.N) : value?.S;

const compare = (
  left: AttributeValue | undefined,
  operator: string,
  right: AttributeValue | undefined,
) => {
  const [a, b] = [scalar(left), scalar(right)];
  if (a === undefined || b === undefined || typeof a !== typeof b) return false;
  switch (operator) {
    case '=':
      return a === b;
    case '<>':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    default:
      throw unsupported(`the comparator ${operator}`);
  }
};

/**
 * Evaluates a DynamoDB condition expression on an item as DynamoDB does, for the grammar the
 * callers use: comparisons of numbers or strings, `attribute_exists`, `attribute_not_exists`,
 * `AND`, `OR`, `NOT` and parentheses. Anything else throws rather than guessing.
 */
export const satisfies = (
  expression: string,
  item: Item | undefined,
  names: Names = {},
  values: Values = {},
): boolean => {
  const list = tokens(expression);
  let at = 0;
  const take = (expected?: string): string => {
    const token = list[at++];
    if (token === undefined || (expected !== undefined && token !== expected)) {
      throw unsupported(`the expression ${expression}`);
    }
    return token;
  };
  const attribute = (token: string): string => {
    const name = token.startsWith('#') ? names[token] : undefined;
    if (name === undefined) throw unsupported(`the attribute ${token} in ${expression}`);
    return name;
  };
  const operand = (token: string): AttributeValue | undefined => {
    if (token.startsWith(':')) {
      const value = values[token];
      if (value === undefined) throw unsupported(`the value ${token} in ${expression}`);
      return value;
    }
    const name = attribute(token);
    return item?.[name];
  };
  const condition = (): boolean => {
    const token = take();
    if (token === '(') {
      const inner = or();
      take(')');
      return inner;
    }
    if (token === 'NOT') return !condition();
    if (token === 'attribute_exists' || token === 'attribute_not_exists') {
      take('(');
      const name = attribute(take());
      take(')');
      const exists = item?.[name] !== undefined;
      return token === 'attribute_exists' ? exists : !exists;
    }
    const left = operand(token);
    const operator = take();
    return compare(left, operator, operand(take()));
  };
  const and = (): boolean => {
    let result = condition();
    while (list[at] === 'AND') {
      take();
      const next = condition();
      result = result && next;
    }
    return result;
  };
  const or = (): boolean => {
    let result = and();
    while (list[at] === 'OR') {
      take();
      const next = and();
      result = result || next;
    }
    return result;
  };
  const result = or();
  if (at !== list.length) throw unsupported(`the expression ${expression}`);
  return result;
};

const assignments = (expression: string, names: Names, values: Values): Item => {
  const [, list] = /^\s*SET\s+(.+)$/.exec(expression) ?? [];
  if (list === undefined) throw unsupported(`the update ${expression}`);
  return Object.fromEntries(
    list.split(',').map((assignment) => {
      const [, name, value] = /^\s*(#\w+)\s*=\s*(:\w+)\s*$/.exec(assignment) ?? [];
      const attribute = name === undefined ? undefined : names[name];
      const attributeValue = value === undefined ? undefined : values[value];
      if (attribute === undefined || attributeValue === undefined) {
        throw unsupported(`the update ${expression}`);
      }
      return [attribute, attributeValue];
    }),
  );
};

/**
 * One DynamoDB table in memory, behind a real DynamoDBClient: GetItem, PutItem, UpdateItem and
 * DeleteItem on a simple primary key, with condition expressions (ConditionalCheckFailedException,
 * with the old item when `ReturnValuesOnConditionCheckFailure` is `ALL_OLD`). Like DynamoDB, it
 * keeps items past their time to live until they are deleted.
 */
export class InMemoryTable {
  readonly items = new Map<string, Item>();
  readonly client = new DynamoDBClient(clientConfig);

  constructor(
    readonly tableName: string,
    private readonly keyAttribute: string,
  ) {
    answerInMemory(this.client.middlewareStack, async (command, input) => {
      switch (command) {
        case 'GetItemCommand':
          return this.get(input as GetItemCommandInput);
        case 'PutItemCommand':
          return this.put(input as PutItemCommandInput);
        case 'UpdateItemCommand':
          return this.update(input as UpdateItemCommandInput);
        case 'DeleteItemCommand':
          return this.delete(input as DeleteItemCommandInput);
        default:
          throw unsupported(command ?? 'an unnamed command');
      }
    });
  }

  /** The item with this key value, as stored. */
  item(key: string): Item | undefined {
    return this.items.get(JSON.stringify({ S: key }));
  }

  private keyOf(input: { TableName?: string | undefined }, item: Item | undefined): string {
    if (input.TableName !== this.tableName) {
      throw new ResourceNotFoundException({
        message: 'Requested resource not found',
        $metadata: {},
      });
    }
    const key = item?.[this.keyAttribute];
    if (key === undefined) throw unsupported('an item without its key');
    return JSON.stringify(key);
  }

  private check(input: PutItemCommandInput | UpdateItemCommandInput, key: string): void {
    const old = this.items.get(key);
    if (input.ConditionExpression === undefined) return;
    const names = input.ExpressionAttributeNames;
    const values = input.ExpressionAttributeValues;
    if (!satisfies(input.ConditionExpression, old, names, values)) {
      throw new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: {},
        ...(input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' &&
          old && { Item: structuredClone(old) }),
      });
    }
  }

  private async get(input: GetItemCommandInput) {
    const item = this.items.get(this.keyOf(input, input.Key));
    return { $metadata: {}, ...(item && { Item: structuredClone(item) }) };
  }

  private async put(input: PutItemCommandInput) {
    const key = this.keyOf(input, input.Item);
    this.check(input, key);
    this.items.set(key, structuredClone(input.Item ?? {}));
    return { $metadata: {} };
  }

  private async update(input: UpdateItemCommandInput) {
    const key = this.keyOf(input, input.Key);
    this.check(input, key);
    const set = assignments(
      input.UpdateExpression ?? '',
      input.ExpressionAttributeNames ?? {},
      input.ExpressionAttributeValues ?? {},
    );
    this.items.set(key, structuredClone({ ...this.items.get(key), ...input.Key, ...set }));
    return { $metadata: {} };
  }

  private async delete(input: DeleteItemCommandInput) {
    this.items.delete(this.keyOf(input, input.Key));
    return { $metadata: {} };
  }
}

/**
 * SQS behind a real SQSClient that records the messages sent and the visibility changes asked
 * for. A command can be made to fail, as a throttled or denied call does.
 */
export class RecordingQueues {
  readonly sent: SendMessageCommandInput[] = [];
  readonly visibilityChanges: ChangeMessageVisibilityCommandInput[] = [];
  readonly client = new SQSClient(clientConfig);
  private readonly failures = new Map<string, Error>();

  constructor() {
    answerInMemory(this.client.middlewareStack, async (command, input) => {
      const failure = command === undefined ? undefined : this.failures.get(command);
      if (failure !== undefined) throw failure;
      switch (command) {
        case 'SendMessageCommand':
          this.sent.push(input as SendMessageCommandInput);
          return { $metadata: {}, MessageId: `sent-${this.sent.length}` };
        case 'ChangeMessageVisibilityCommand':
          this.visibilityChanges.push(input as ChangeMessageVisibilityCommandInput);
          return { $metadata: {} };
        default:
          throw unsupported(command ?? 'an unnamed command');
      }
    });
  }

  /** Every later call of `command` (e.g. `SendMessageCommand`) fails with `error`. */
  failWith(command: string, error: Error): void {
    this.failures.set(command, error);
  }
}

interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly attributes: Record<string, MessageAttributeValue> | undefined;
  readonly sentTimestamp: number;
  receiveCount: number;
  visibleFrom: number;
  receiptHandle: string;
}

/**
 * SQS queues in memory, behind a real SQSClient: SendMessage, SendMessageBatch, ReceiveMessage
 * (with its visibility timeout, `SentTimestamp` and `ApproximateReceiveCount`), DeleteMessageBatch
 * and GetQueueAttributes (`ApproximateNumberOfMessages`), by queue URL. No redrive policy, no
 * long polling: a receive answers at once with what is visible.
 */
export class InMemoryQueues {
  readonly client = new SQSClient(clientConfig);
  private readonly queues = new Map<string, QueuedMessage[]>();
  private sent = 0;
  private received = 0;
  private readonly failures = new Map<string, Error>();

  constructor() {
    answerInMemory(this.client.middlewareStack, async (command, input) => {
      const failure = command === undefined ? undefined : this.failures.get(command);
      if (failure !== undefined) throw failure;
      switch (command) {
        case 'SendMessageCommand': {
          const { QueueUrl, MessageBody, MessageAttributes } = input as SendMessageCommandInput;
          return { $metadata: {}, MessageId: this.send(QueueUrl, MessageBody, MessageAttributes) };
        }
        case 'SendMessageBatchCommand': {
          const { QueueUrl, Entries = [] } = input as SendMessageBatchCommandInput;
          return {
            $metadata: {},
            Successful: Entries.map((entry) => ({
              Id: entry.Id,
              MessageId: this.send(QueueUrl, entry.MessageBody, entry.MessageAttributes),
              MD5OfMessageBody: '',
            })),
            Failed: [],
          };
        }
        case 'ReceiveMessageCommand':
          return { $metadata: {}, Messages: this.receive(input as ReceiveMessageCommandInput) };
        case 'DeleteMessageBatchCommand': {
          const { QueueUrl, Entries = [] } = input as DeleteMessageBatchCommandInput;
          const handles = new Set(Entries.map((entry) => entry.ReceiptHandle));
          const queue = this.queue(QueueUrl);
          this.queues.set(
            String(QueueUrl),
            queue.filter((message) => !handles.has(message.receiptHandle)),
          );
          return { $metadata: {}, Successful: Entries.map((e) => ({ Id: e.Id })), Failed: [] };
        }
        case 'ChangeMessageVisibilityBatchCommand': {
          const { QueueUrl, Entries = [] } = input as ChangeMessageVisibilityBatchCommandInput;
          const now = Date.now();
          for (const entry of Entries) {
            const message = this.queue(QueueUrl).find(
              (m) => m.receiptHandle === entry.ReceiptHandle,
            );
            if (message !== undefined)
              message.visibleFrom = now + (entry.VisibilityTimeout ?? 0) * 1000;
          }
          return { $metadata: {}, Successful: Entries.map((e) => ({ Id: e.Id })), Failed: [] };
        }
        case 'GetQueueAttributesCommand': {
          const { QueueUrl } = input as GetQueueAttributesCommandInput;
          const now = Date.now();
          const visible = this.queue(QueueUrl).filter((message) => message.visibleFrom <= now);
          return {
            $metadata: {},
            Attributes: { ApproximateNumberOfMessages: String(visible.length) },
          };
        }
        default:
          throw unsupported(command ?? 'an unnamed command');
      }
    });
  }

  /** Puts a message in a queue as if it had been sent at `sentAt` (a DLQ's, long dead). */
  put(
    queueUrl: string,
    body: string,
    options: {
      readonly attributes?: Record<string, MessageAttributeValue>;
      readonly sentAt?: Date;
    } = {},
  ): string {
    return this.send(queueUrl, body, options.attributes, options.sentAt);
  }

  /** The bodies in a queue, in flight or not, oldest first. */
  bodies(queueUrl: string): string[] {
    return this.queue(queueUrl).map((message) => message.body);
  }

  /** Every later call of `command` (e.g. `SendMessageBatchCommand`) fails with `error`. */
  failWith(command: string, error: Error): void {
    this.failures.set(command, error);
  }

  private queue(queueUrl: string | undefined): QueuedMessage[] {
    const url = String(queueUrl);
    const queue = this.queues.get(url) ?? [];
    this.queues.set(url, queue);
    return queue;
  }

  private send(
    queueUrl: string | undefined,
    body: string | undefined,
    attributes: Record<string, MessageAttributeValue> | undefined,
    sentAt = new Date(),
  ): string {
    const messageId = `message-${++this.sent}`;
    this.queue(queueUrl).push({
      messageId,
      body: body ?? '',
      attributes,
      sentTimestamp: sentAt.getTime(),
      receiveCount: 0,
      visibleFrom: 0,
      receiptHandle: '',
    });
    return messageId;
  }

  private receive(input: ReceiveMessageCommandInput): Message[] {
    const now = Date.now();
    return this.queue(input.QueueUrl)
      .filter((message) => message.visibleFrom <= now)
      .slice(0, input.MaxNumberOfMessages ?? 1)
      .map((message) => {
        message.receiveCount += 1;
        message.visibleFrom = now + (input.VisibilityTimeout ?? 30) * 1000;
        message.receiptHandle = `receipt-${++this.received}`;
        return {
          MessageId: message.messageId,
          ReceiptHandle: message.receiptHandle,
          Body: message.body,
          Attributes: {
            SentTimestamp: String(message.sentTimestamp),
            ApproximateReceiveCount: String(message.receiveCount),
          },
          ...(message.attributes && { MessageAttributes: message.attributes }),
        };
      });
  }
}
