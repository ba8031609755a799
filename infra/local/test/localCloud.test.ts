import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, ListEventBusesCommand } from '@aws-sdk/client-eventbridge';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, startLocalCloud } from '../src/localCloud.js';

describe('startLocalCloud', () => {
  it('serves every SDK client through the AWS_ENDPOINT_URL_<SERVICE> variables, then stops everything', async () => {
    const progress: string[] = [];
    const cloud = await startLocalCloud({
      region: 'eu-west-1',
      account: '000000000000',
      busName: 'shop',
      ports: { dynamodb: 0, sqs: 0, eventbridge: 0 },
      progress: (line) => progress.push(line),
    });
    const env = cloud.environment;
    const common = { region: 'eu-west-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 };
    const dynamodb = new DynamoDBClient({
      ...common,
      endpoint: String(env['AWS_ENDPOINT_URL_DYNAMODB']),
    });

    try {
      expect(await dynamodb.send(new ListTablesCommand({}))).toMatchObject({ TableNames: [] });
      const sqs = new SQSClient({ ...common, endpoint: String(env['AWS_ENDPOINT_URL_SQS']) });
      expect((await sqs.send(new ListQueuesCommand({}))).$metadata.httpStatusCode).toBe(200);
      const events = new EventBridgeClient({
        ...common,
        endpoint: String(env['AWS_ENDPOINT_URL_EVENTBRIDGE']),
      });
      const { EventBuses = [] } = await events.send(new ListEventBusesCommand({}));
      expect(EventBuses.map((bus) => bus.Name)).toEqual(['default', 'shop']);
      const logs = new CloudWatchLogsClient({
        ...common,
        endpoint: String(env['AWS_ENDPOINT_URL_CLOUDWATCH_LOGS']),
      });
      expect(await logs.send(new DescribeLogGroupsCommand({}))).toMatchObject({ logGroups: [] });
      expect(progress.filter((line) => line.endsWith('ms'))).toHaveLength(4);
    } finally {
      await cloud.stop();
    }

    await expect(dynamodb.send(new ListTablesCommand({}))).rejects.toThrow();
  }, 180_000);
});
