/**
 * Starts DynamoDB Local, prints its Java process id and data directory, and waits to be killed:
 * the owner process a test kills to show that no orphan outlives it.
 */
import { startDynamoDbLocal } from '../../src/dynamodb/startDynamoDbLocal.js';

const dynamodb = await startDynamoDbLocal({ port: 0, log: () => undefined });
process.stdout.write(`${dynamodb.pid} ${dynamodb.dataDirectory}\n`);
setInterval(() => undefined, 60_000);
