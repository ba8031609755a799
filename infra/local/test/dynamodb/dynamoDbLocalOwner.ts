/**
 * Starts DynamoDB Local (on the port given as its argument, else a free one), prints its Java
 * process id and data directory, and runs until killed: the owner process a test kills to show
 * that no orphan outlives it, and the one a run's shared DynamoDB Local lives in. SIGTERM stops
 * it and removes its data directory first.
 */
import { startDynamoDbLocal } from '../../src/dynamodb/startDynamoDbLocal.js';

const starting = startDynamoDbLocal({ port: Number(process.argv[2] ?? 0), log: () => undefined });
process.once('SIGTERM', () => {
  starting.then((dynamodb) => dynamodb.stop()).finally(() => process.exit(0));
});
const dynamodb = await starting;
process.stdout.write(`${dynamodb.pid} ${dynamodb.dataDirectory}\n`);
setInterval(() => undefined, 60_000);
