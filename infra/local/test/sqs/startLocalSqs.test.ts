import { CreateQueueCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import { type LocalSqs, startLocalSqs } from '../../src/sqs/startLocalSqs.js';
import { credentials } from '../support.js';

let sqs: LocalSqs | undefined;

afterEach(async () => {
  await sqs?.stop();
  sqs = undefined;
});

const client = (endpoint: string) =>
  new SQSClient({ region: 'eu-west-1', credentials, endpoint, maxAttempts: 1 });

describe('startLocalSqs', () => {
  // fauxqs names a queue `http://sqs.<region>.localhost:<port of the request's host>/<account>/<name>`.
  it('listens on the loopback interface and names queues after the port they were created at', async () => {
    sqs = await startLocalSqs({ port: 0, region: 'eu-west-1' });

    expect(sqs.address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const { QueueUrl } = await client(sqs.address).send(new CreateQueueCommand({ QueueName: 'q' }));
    expect(QueueUrl).toBe(
      `http://sqs.eu-west-1.localhost:${new URL(sqs.address).port}/000000000000/q`,
    );
  });

  it('names queues after the port of `queueHost`, where clients reach them through a front', async () => {
    sqs = await startLocalSqs({ port: 0, region: 'eu-west-1', queueHost: '127.0.0.1:4566' });

    await client(sqs.address).send(new CreateQueueCommand({ QueueName: 'q' }));
    const { QueueUrl } = await client(sqs.address).send(new GetQueueUrlCommand({ QueueName: 'q' }));
    expect(QueueUrl).toBe('http://sqs.eu-west-1.localhost:4566/000000000000/q');
  });
});
