/**
 * Pipes filters take the event-pattern syntax less what the user guide's comparison-operator table
 * marks "Pipe support: No": anything-but with prefix, suffix, equals-ignore-case or wildcard, and
 * wildcard ("Comparison operators for use in event patterns in Amazon EventBridge").
 */
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import { AwsServiceError } from '../../src/http/awsErrors.js';
import { parseFilterPattern } from '../../src/pipes/parseFilterPattern.js';
import { StreamToBusRelay } from '../../src/pipes/StreamToBusRelay.js';

const outboxFilter = { eventName: ['INSERT'], dynamodb: { NewImage: { kind: { S: ['outbox'] } } } };

const supported: readonly (readonly [string, object])[] = [
  ['the outbox filter', outboxFilter],
  ['plain anything-but', { eventName: [{ 'anything-but': 'REMOVE' }] }],
  ['anything-but a list', { eventName: [{ 'anything-but': ['REMOVE', 'MODIFY'] }] }],
  ['prefix', { eventSourceARN: [{ prefix: 'arn:aws:dynamodb' }] }],
  ['prefix equals-ignore-case', { eventName: [{ prefix: { 'equals-ignore-case': 'ins' } }] }],
  ['suffix equals-ignore-case', { eventName: [{ suffix: { 'equals-ignore-case': 'ERT' } }] }],
  ['equals-ignore-case', { eventName: [{ 'equals-ignore-case': 'insert' }] }],
  ['numeric', { dynamodb: { SizeBytes: [{ numeric: ['>', 0, '<=', 400] }] } }],
  ['exists', { dynamodb: { NewImage: [{ exists: true }] } }],
  ['$or', { $or: [{ eventName: ['INSERT'] }, { eventName: ['MODIFY'] }] }],
];

const unsupported: readonly (readonly [string, object, string])[] = [
  ['wildcard', { eventSourceARN: [{ wildcard: '*:table/orders/*' }] }, 'wildcard'],
  [
    'anything-but prefix',
    { eventName: [{ 'anything-but': { prefix: 'RE' } }] },
    'anything-but prefix',
  ],
  [
    'anything-but suffix',
    { eventName: [{ 'anything-but': { suffix: 'VE' } }] },
    'anything-but suffix',
  ],
  [
    'anything-but equals-ignore-case',
    { eventName: [{ 'anything-but': { 'equals-ignore-case': 'remove' } }] },
    'anything-but equals-ignore-case',
  ],
  [
    'anything-but wildcard',
    { eventName: [{ 'anything-but': { wildcard: 'RE*' } }] },
    'anything-but wildcard',
  ],
  [
    'wildcard nested inside $or',
    { dynamodb: { $or: [{ Keys: { pk: { S: [{ wildcard: 'ORDER#*' }] } } }, { SizeBytes: [1] }] } },
    'wildcard',
  ],
];

describe('parseFilterPattern', () => {
  it.each(supported)('accepts %s', (_name, pattern) => {
    expect(parseFilterPattern(pattern)).toEqual({ ok: true, pattern });
  });

  it.each(unsupported)('rejects %s', (_name, pattern, operator) => {
    const result = parseFilterPattern(pattern);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(`${operator} is not supported in Pipes`);
  });

  it('rejects what the event-pattern syntax rejects', () => {
    expect(parseFilterPattern({ eventName: 'INSERT' }).ok).toBe(false);
  });
});

describe('StreamToBusRelay', () => {
  const clientProps = { region: 'us-east-1', endpoint: 'http://127.0.0.1:1' };
  const relayWith = (filter: object) =>
    new StreamToBusRelay({
      streams: new DynamoDBStreamsClient(clientProps),
      eventBridge: new EventBridgeClient(clientProps),
      streamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/1',
      filter,
      transform: () => ({}),
      deadLetter: async () => {},
    });

  it('refuses a filter Pipes does not support, as CreatePipe does, with a ValidationException', () => {
    const attempt = () => relayWith({ eventName: [{ 'anything-but': { prefix: 'RE' } }] });
    expect(attempt).toThrow(AwsServiceError);
    expect(attempt).toThrow(/anything-but prefix is not supported in Pipes at eventName/);
  });

  it('takes the outbox filter', () => {
    expect(() => relayWith(outboxFilter)).not.toThrow();
  });
});
