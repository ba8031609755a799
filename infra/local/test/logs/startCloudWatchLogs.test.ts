import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  paginateFilterLogEvents,
} from '@aws-sdk/client-cloudwatch-logs';
import type { PolicyDocument } from '@shop/topology';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IamFront, issueLocalCredentials, startIamFront } from '../../src/iam/index.js';
import { type CloudWatchLogsServer, startCloudWatchLogs } from '../../src/logs/index.js';
import { account, credentials, region } from '../support.js';

const READER = `arn:aws:iam::${account}:role/shop/console/console-staff`;
const OUTSIDER = `arn:aws:iam::${account}:role/shop/order/order-place`;
const AUDIT = '/aws/events/shop-audit';
const AUDIT_ARN = `arn:aws:logs:${region}:${account}:log-group:${AUDIT}:*`;
const keys = issueLocalCredentials({ roles: [{ roleArn: READER }, { roleArn: OUTSIDER }] });
const policy = (...Statement: Record<string, unknown>[]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement,
});

let server: CloudWatchLogsServer;
let front: IamFront;
let logs: CloudWatchLogsClient;
const now = Date.now();

beforeAll(async () => {
  server = await startCloudWatchLogs({ port: 0, region, account, maxEventsPerGroup: 5 });
  front = await startIamFront({
    port: 0,
    upstream: server.endpoint,
    kind: 'logs',
    region,
    account,
    credentials: keys,
    policies: {
      identity: {
        [READER]: [
          policy({ Effect: 'Allow', Action: 'logs:FilterLogEvents', Resource: AUDIT_ARN }),
        ],
      },
      resource: {},
    },
  });
  logs = new CloudWatchLogsClient({ region, credentials, endpoint: server.endpoint });
});

afterAll(async () => {
  logs.destroy();
  await front.close();
  await server.close();
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => ({ name: 'none', message: 'the call succeeded' }),
    (error: Error) => ({ name: error.name, message: error.message }),
  );

const put = (group: string, stream: string, messages: string[], at = now) =>
  logs.send(
    new PutLogEventsCommand({
      logGroupName: group,
      logStreamName: stream,
      logEvents: messages.map((message, index) => ({ timestamp: at + index, message })),
    }),
  );

describe('the local CloudWatch Logs through the real client', () => {
  it('creates groups and streams once, and describes groups by prefix with their ARNs', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/test/describe/a' }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/test/describe/b' }));
    await logs.send(
      new CreateLogStreamCommand({ logGroupName: '/test/describe/a', logStreamName: 's' }),
    );
    expect(
      await failure(logs.send(new CreateLogGroupCommand({ logGroupName: '/test/describe/a' }))),
    ).toEqual({
      name: 'ResourceAlreadyExistsException',
      message: 'The specified log group already exists',
    });
    expect(
      await failure(
        logs.send(
          new CreateLogStreamCommand({ logGroupName: '/test/describe/a', logStreamName: 's' }),
        ),
      ),
    ).toEqual({
      name: 'ResourceAlreadyExistsException',
      message: 'The specified log stream already exists',
    });
    expect(
      (await failure(logs.send(new CreateLogGroupCommand({ logGroupName: 'bad name!' })))).name,
    ).toBe('InvalidParameterException');

    const page = await logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: '/test/describe/', limit: 1 }),
    );
    expect(page.logGroups?.map((group) => [group.logGroupName, group.arn])).toEqual([
      ['/test/describe/a', `arn:aws:logs:${region}:${account}:log-group:/test/describe/a:*`],
    ]);
    const next = await logs.send(
      new DescribeLogGroupsCommand({
        logGroupNamePrefix: '/test/describe/',
        nextToken: page.nextToken,
      }),
    );
    expect(next.logGroups?.map((group) => group.logGroupName)).toEqual(['/test/describe/b']);
    expect(next.nextToken).toBeUndefined();
  });

  it('answers ResourceNotFoundException for a group or stream that does not exist', async () => {
    expect(await failure(put('/test/none', 's', ['x']))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'The specified log group does not exist.',
    });
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/test/nostream' }));
    expect(await failure(put('/test/nostream', 's', ['x']))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'The specified log stream does not exist.',
    });
    expect(
      (await failure(logs.send(new FilterLogEventsCommand({ logGroupName: '/test/none' })))).name,
    ).toBe('ResourceNotFoundException');
  });

  it('refuses batches out of order, empty, and reports events too old or too new', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/test/put' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/test/put', logStreamName: 's' }));
    const outOfOrder = logs.send(
      new PutLogEventsCommand({
        logGroupName: '/test/put',
        logStreamName: 's',
        logEvents: [
          { timestamp: now, message: 'b' },
          { timestamp: now - 1, message: 'a' },
        ],
      }),
    );
    expect(await failure(outOfOrder)).toEqual({
      name: 'InvalidParameterException',
      message: 'Log events in a single PutLogEvents request must be in chronological order.',
    });
    expect((await failure(put('/test/put', 's', []))).name).toBe('InvalidParameterException');

    const day = 86_400_000;
    const answer = await logs.send(
      new PutLogEventsCommand({
        logGroupName: '/test/put',
        logStreamName: 's',
        logEvents: [
          { timestamp: now - 15 * day, message: 'too old' },
          { timestamp: now, message: 'kept' },
          { timestamp: now + day, message: 'too new' },
        ],
      }),
    );
    expect(answer.rejectedLogEventsInfo).toEqual({
      tooOldLogEventEndIndex: 1,
      tooNewLogEventStartIndex: 2,
    });
    const events = await logs.send(
      new GetLogEventsCommand({
        logGroupName: '/test/put',
        logStreamName: 's',
        startFromHead: true,
      }),
    );
    expect(events.events?.map((event) => event.message)).toEqual(['kept']);
  });

  it('filters with a pattern across streams in time order, by stream, by time, and in pages', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/test/filter' }));
    for (const stream of ['a', 'b']) {
      await logs.send(
        new CreateLogStreamCommand({ logGroupName: '/test/filter', logStreamName: stream }),
      );
    }
    await put('/test/filter', 'b', ['{"orderId":"o-1","step":2}'], now + 10);
    await put(
      '/test/filter',
      'a',
      ['{"orderId":"o-1","step":1}', '{"orderId":"o-2","step":1}'],
      now,
    );
    await put('/test/filter', 'a', ['{"orderId":"o-1","step":3}'], now + 20);

    const steps = async (input: Partial<ConstructorParameters<typeof FilterLogEventsCommand>[0]>) =>
      (
        await logs.send(new FilterLogEventsCommand({ logGroupName: '/test/filter', ...input }))
      ).events?.map((event) => `${event.logStreamName}:${JSON.parse(event.message ?? '').step}`);

    expect(await steps({ filterPattern: '{ $.orderId = "o-1" }' })).toEqual(['a:1', 'b:2', 'a:3']);
    expect(await steps({ filterPattern: '{ $.orderId = "o-1" }', logStreamNames: ['a'] })).toEqual([
      'a:1',
      'a:3',
    ]);
    expect(await steps({ startTime: now + 5, endTime: now + 15 })).toEqual(['b:2']);
    expect(await steps({ filterPattern: '{ $.step >= 2 }' })).toEqual(['b:2', 'a:3']);

    const pages = [];
    for await (const page of paginateFilterLogEvents(
      { client: logs },
      { logGroupName: '/test/filter', filterPattern: 'o-1', limit: 2 },
    )) {
      pages.push(page.events?.length);
    }
    expect(pages).toEqual([2, 1]);

    expect(
      await failure(
        logs.send(
          new FilterLogEventsCommand({ logGroupName: '/test/filter', filterPattern: '{ $.a = }' }),
        ),
      ),
    ).toMatchObject({ name: 'InvalidParameterException' });
    expect(
      (
        await failure(
          logs.send(
            new FilterLogEventsCommand({
              logGroupName: '/test/filter',
              logStreamNames: ['a'],
              logStreamNamePrefix: 'a',
            }),
          ),
        )
      ).name,
    ).toBe('InvalidParameterException');
  });

  it('reads a stream from its head or its tail, with tokens that stop at the end', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/test/get' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/test/get', logStreamName: 's' }));
    await put('/test/get', 's', ['1', '2', '3']);
    const head = await logs.send(
      new GetLogEventsCommand({
        logGroupName: '/test/get',
        logStreamName: 's',
        startFromHead: true,
        limit: 2,
      }),
    );
    expect(head.events?.map((event) => event.message)).toEqual(['1', '2']);
    const rest = await logs.send(
      new GetLogEventsCommand({
        logGroupName: '/test/get',
        logStreamName: 's',
        nextToken: head.nextForwardToken,
      }),
    );
    expect(rest.events?.map((event) => event.message)).toEqual(['3']);
    const end = await logs.send(
      new GetLogEventsCommand({
        logGroupName: '/test/get',
        logStreamName: 's',
        nextToken: rest.nextForwardToken,
      }),
    );
    expect(end.events).toEqual([]);
    expect(end.nextForwardToken).toBe(rest.nextForwardToken);
    const tail = await logs.send(
      new GetLogEventsCommand({ logGroupName: '/test/get', logStreamName: 's', limit: 2 }),
    );
    expect(tail.events?.map((event) => event.message)).toEqual(['2', '3']);
  });

  it('keeps the latest events of a group, dropping the oldest taken and streams left empty', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/test/cap' }));
    for (const stream of ['old', 'new']) {
      await logs.send(
        new CreateLogStreamCommand({ logGroupName: '/test/cap', logStreamName: stream }),
      );
    }
    await put('/test/cap', 'old', ['1', '2']);
    await put('/test/cap', 'new', ['3', '4', '5', '6', '7']);
    const kept = await logs.send(new FilterLogEventsCommand({ logGroupName: '/test/cap' }));
    expect(kept.events?.map((event) => event.message)).toEqual(['3', '4', '5', '6', '7']);
    expect(
      (
        await failure(
          logs.send(new GetLogEventsCommand({ logGroupName: '/test/cap', logStreamName: 'old' })),
        )
      ).name,
    ).toBe('ResourceNotFoundException');
  });
});

describe('the local CloudWatch Logs behind its IAM front', () => {
  const client = (roleArn: string) => {
    const issued = keys.forRole(roleArn);
    return new CloudWatchLogsClient({
      region,
      endpoint: front.endpoint,
      maxAttempts: 1,
      credentials: {
        accessKeyId: issued?.accessKeyId ?? '',
        secretAccessKey: issued?.secretAccessKey ?? '',
      },
    });
  };

  it('lets a role read the groups its policy names, and refuses everything else', async () => {
    server.logGroups.append(AUDIT, 'e-1', [{ timestamp: now, message: '{"id":"e-1"}' }]);
    const reader = client(READER);
    const read = await reader.send(new FilterLogEventsCommand({ logGroupName: AUDIT }));
    expect(read.events?.map((event) => event.message)).toEqual(['{"id":"e-1"}']);

    const principal = keys.forRole(READER)?.principal;
    expect(
      await failure(reader.send(new FilterLogEventsCommand({ logGroupName: '/test/filter' }))),
    ).toEqual({
      name: 'AccessDeniedException',
      message: `User: ${principal} is not authorized to perform: logs:FilterLogEvents on resource: arn:aws:logs:${region}:${account}:log-group:/test/filter:* because no identity-based policy allows the logs:FilterLogEvents action`,
    });
    expect(
      (
        await failure(
          reader.send(
            new PutLogEventsCommand({
              logGroupName: AUDIT,
              logStreamName: 'e-1',
              logEvents: [{ timestamp: now, message: 'forged' }],
            }),
          ),
        )
      ).name,
    ).toBe('AccessDeniedException');
    expect(
      (await failure(client(OUTSIDER).send(new FilterLogEventsCommand({ logGroupName: AUDIT }))))
        .name,
    ).toBe('AccessDeniedException');
    reader.destroy();
  });
});
