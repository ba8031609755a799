/**
 * The examples of the Amazon EventBridge User Guide's event-pattern pages, as data.
 *
 * Sources (each `describe` names the page it follows):
 * - Creating event patterns: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 *   and https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern.html
 * - Matching on multiple field values (arrays):
 *   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html
 * - Matching null values and empty strings:
 *   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-null-values.html
 * - Comparison operators / content filtering:
 *   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 *   (formerly eb-event-patterns-content-based-filtering.html)
 * - The README of aws/event-ruler, the matching engine behind EventBridge, for the `$or` forms and
 *   the leaf-node rule of `exists`: https://github.com/aws/event-ruler#readme
 *
 * Each row pairs a documented pattern with an event; `matches` is what the documentation says or
 * clearly implies. Non-matching rows sit just outside what the pattern accepts.
 */
import { describe, expect, it } from 'vitest';
import type { EventPattern } from '../../src/eventbridge/matchPattern.js';
import { matchesPattern, parsePattern } from '../../src/eventbridge/matchPattern.js';

type MatchCase = {
  readonly name: string;
  readonly pattern: EventPattern;
  readonly event: unknown;
  readonly matches: boolean;
};

type ParseCase = { readonly name: string; readonly input: unknown };

// ---------------------------------------------------------------------------------------------
// Fixtures: the example events printed on the pages.
// ---------------------------------------------------------------------------------------------

/** "Creating event patterns": the simple AWS event from Amazon EC2. */
const ec2TerminatedEvent = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: {
    'instance-id': 'i-1234567890abcdef0',
    state: 'terminated',
  },
} as const;

/** "Exists matching": the event that has a `detail.state` field. */
const ec2PendingEvent = {
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '123456789012',
  time: '2015-11-11T21:29:54Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
  detail: {
    'instance-id': 'i-abcd1111',
    state: 'pending',
  },
} as const;

/** "Exists matching" / "Equals-ignore-case matching": the event without `detail.state`. */
const ec2WithoutStateEvent = {
  'detail-type': ['EC2 Instance State-change Notification'],
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341'],
  detail: {
    'c-count': {
      c1: 100,
    },
  },
} as const;

/** "Matching null values and empty strings": the Amazon EC2 Auto Scaling event. */
const autoScalingLaunchEvent = {
  version: '0',
  id: '3e3c153a-8339-4e30-8c35-687ebef853fe',
  'detail-type': 'EC2 Instance Launch Successful',
  source: 'aws.autoscaling',
  account: '123456789012',
  time: '2015-11-11T21:31:47Z',
  region: 'us-east-1',
  resources: [],
  detail: {
    eventVersion: '',
    responseElements: null,
  },
} as const;

/** "Example events and event patterns": the (truncated) Amazon Macie finding. */
const macieFindingEvent = {
  version: '0',
  id: '0948ba87-d3b8-c6d4-f2da-732a1example',
  'detail-type': 'Macie Finding',
  source: 'aws.macie',
  account: '123456789012',
  time: '2021-04-29T23:12:15Z',
  region: 'us-east-1',
  resources: [],
  detail: {
    schemaVersion: '1.0',
    id: '64b917aa-3843-014c-91d8-937ffexample',
    accountId: '123456789012',
    partition: 'aws',
    region: 'us-east-1',
    type: 'Policy:IAMUser/S3BucketEncryptionDisabled',
    title: 'Encryption is disabled for the S3 bucket',
    severity: {
      score: 1,
      description: 'Low',
    },
    createdAt: '2021-04-29T15:46:02Z',
    updatedAt: '2021-04-29T23:12:15Z',
    count: 2,
  },
} as const;

/** "Arrays in event patterns": the `resources` of the event the page matches. */
const arraysPageResources = [
  'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
  'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
] as const;

/** An event envelope whose `detail` (and, optionally, top-level fields) a case chooses. */
const eventWith = (
  detail: Readonly<Record<string, unknown>>,
  topLevel: Readonly<Record<string, unknown>> = {},
) => ({
  version: '0',
  id: '11111111-2222-3333-4444-555555555555',
  'detail-type': 'Documentation Example',
  source: 'docs.example',
  account: '123456789012',
  time: '2017-10-02T18:43:48Z',
  region: 'us-east-1',
  resources: [],
  detail,
  ...topLevel,
});

/** An event whose fields sit at the top level, as the comparison-operator table writes them. */
const flatEvent = (fields: Readonly<Record<string, unknown>>) => ({
  version: '0',
  id: '11111111-2222-3333-4444-555555555555',
  'detail-type': 'Documentation Example',
  source: 'docs.example',
  account: '123456789012',
  time: '2017-10-02T18:43:48Z',
  region: 'us-east-1',
  resources: [],
  detail: {},
  ...fields,
});

// ---------------------------------------------------------------------------------------------
// Patterns printed on the pages (reused by several rows).
// ---------------------------------------------------------------------------------------------

const ec2TerminationPattern: EventPattern = {
  source: ['aws.ec2'],
  'detail-type': ['EC2 Instance State-change Notification'],
  detail: { state: ['terminated'] },
};

const macieSeverityPattern: EventPattern = {
  source: ['aws.macie'],
  'detail-type': ['Macie Finding'],
  detail: {
    severity: { score: [1] },
    count: [2],
  },
};

const arraysPagePattern: EventPattern = {
  resources: [
    'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
    'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
    'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
  ],
};

const numericPattern: EventPattern = {
  detail: {
    'c-count': [{ numeric: ['>', 0, '<=', 5] }],
    'd-count': [{ numeric: ['<', 10] }],
    'x-limit': [{ numeric: ['=', 3.018e2] }],
  },
};

const multipleMatchingPattern: EventPattern = {
  time: [{ prefix: '2017-10-02' }],
  detail: {
    state: [{ 'anything-but': 'initializing' }],
    'c-count': [{ numeric: ['>', 0, '<=', 5] }],
    'd-count': [{ numeric: ['<', 10] }],
    'x-limit': [{ 'anything-but': [100, 200, 300] }],
  },
};

const orPattern: EventPattern = {
  detail: {
    $or: [
      { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
      { 'd-count': [{ numeric: ['<', 10] }] },
      { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
    ],
  },
};

/** The pattern of the "last reference wins" note, as JSON text with its duplicated key. */
const duplicateKeyPattern: EventPattern = JSON.parse(
  '{ "detail": { "location": [ { "prefix": "us-" } ], "location": [ { "anything-but": "us-east" } ] } }',
);

// ---------------------------------------------------------------------------------------------
// Cases, one table per page.
// ---------------------------------------------------------------------------------------------

/** "Creating event patterns" (eb-event-patterns / eb-create-pattern). */
const creatingPatternsCases: readonly MatchCase[] = [
  {
    name: 'the EC2 instance-termination pattern matches the documented EC2 event',
    pattern: ec2TerminationPattern,
    event: ec2TerminatedEvent,
    matches: true,
  },
  {
    name: 'the EC2 instance-termination pattern does not match an instance in another state',
    pattern: ec2TerminationPattern,
    event: ec2PendingEvent,
    matches: false,
  },
  {
    name: 'the EC2 instance-termination pattern does not match an event from another source',
    pattern: ec2TerminationPattern,
    event: { ...ec2TerminatedEvent, source: 'aws.autoscaling' },
    matches: false,
  },
  {
    name: 'a field of the pattern missing from the event prevents a match',
    pattern: ec2TerminationPattern,
    event: { ...ec2TerminatedEvent, detail: { 'instance-id': 'i-1234567890abcdef0' } },
    matches: false,
  },
  {
    name: 'a field must appear with the same nesting structure as in the pattern',
    pattern: ec2TerminationPattern,
    event: {
      source: 'aws.ec2',
      'detail-type': 'EC2 Instance State-change Notification',
      state: 'terminated',
    },
    matches: false,
  },
  {
    name: 'fields of the event that are not in the pattern are ignored',
    pattern: { source: ['aws.ec2'] },
    event: ec2TerminatedEvent,
    matches: true,
  },
  {
    name: 'a list of values matches the first of them (source is aws.ec2)',
    pattern: { source: ['aws.ec2', 'aws.fargate'] },
    event: ec2TerminatedEvent,
    matches: true,
  },
  {
    name: 'a list of values matches the second of them (source is aws.fargate)',
    pattern: { source: ['aws.ec2', 'aws.fargate'] },
    event: { ...ec2TerminatedEvent, source: 'aws.fargate' },
    matches: true,
  },
  {
    name: 'a list of values does not match a value outside it',
    pattern: { source: ['aws.ec2', 'aws.fargate'] },
    event: { ...ec2TerminatedEvent, source: 'aws.ecs' },
    matches: false,
  },
  {
    name: 'strings match character by character, without case folding',
    pattern: { source: ['aws.ec2'] },
    event: { ...ec2TerminatedEvent, source: 'AWS.EC2' },
    matches: false,
  },
  {
    name: 'strings match without other normalization (a trailing space does not match)',
    pattern: { source: ['aws.ec2'] },
    event: { ...ec2TerminatedEvent, source: 'aws.ec2 ' },
    matches: false,
  },
  {
    name: 'a null field matches the pattern value null (Auto Scaling responseElements)',
    pattern: {
      source: ['aws.autoscaling'],
      'detail-type': ['EC2 Instance Launch Successful'],
      detail: { responseElements: [null] },
    },
    event: autoScalingLaunchEvent,
    matches: true,
  },
  {
    name: 'the Macie pattern matches a severity score of 1 and a count of 2 (nested field)',
    pattern: macieSeverityPattern,
    event: macieFindingEvent,
    matches: true,
  },
  {
    name: 'the Macie pattern does not match another severity score',
    pattern: macieSeverityPattern,
    event: {
      ...macieFindingEvent,
      detail: { ...macieFindingEvent.detail, severity: { score: 2, description: 'Low' } },
    },
    matches: false,
  },
  {
    name: 'the Macie pattern does not match another count',
    pattern: macieSeverityPattern,
    event: { ...macieFindingEvent, detail: { ...macieFindingEvent.detail, count: 3 } },
    matches: false,
  },
  {
    name: 'the Macie pattern does not match when the nested severity object is missing',
    pattern: macieSeverityPattern,
    event: { ...macieFindingEvent, detail: { count: 2, score: 1 } },
    matches: false,
  },
  {
    name: 'a number matches a number, not a string holding the same digits',
    pattern: macieSeverityPattern,
    event: { ...macieFindingEvent, detail: { ...macieFindingEvent.detail, count: '2' } },
    matches: false,
  },
  {
    name: 'the keyword true matches a boolean true',
    pattern: { detail: { enabled: [true] } },
    event: eventWith({ enabled: true }),
    matches: true,
  },
  {
    name: 'the keyword true does not match a boolean false',
    pattern: { detail: { enabled: [true] } },
    event: eventWith({ enabled: false }),
    matches: false,
  },
  {
    name: 'the keyword true does not match the string "true"',
    pattern: { detail: { enabled: [true] } },
    event: eventWith({ enabled: 'true' }),
    matches: false,
  },
  {
    name: 'the keyword false matches a boolean false',
    pattern: { detail: { enabled: [false] } },
    event: eventWith({ enabled: false }),
    matches: true,
  },
];

/** "Arrays in Amazon EventBridge event patterns" (eb-event-patterns-arrays). */
const arraysCases: readonly MatchCase[] = [
  {
    name: 'a pattern list matches an event array when the intersection is non-empty',
    pattern: arraysPagePattern,
    event: { ...ec2PendingEvent, resources: arraysPageResources },
    matches: true,
  },
  {
    name: 'a pattern list does not match an event array with no value in common',
    pattern: arraysPagePattern,
    event: { ...ec2PendingEvent, resources: [arraysPageResources[0]] },
    matches: false,
  },
  {
    name: 'a pattern list does not match an empty event array',
    pattern: arraysPagePattern,
    event: { ...ec2PendingEvent, resources: [] },
    matches: false,
  },
  {
    name: 'a single pattern value matches when any element of the event array equals it',
    pattern: { detail: { state: ['running'] } },
    event: eventWith({ state: ['initializing', 'running'] }),
    matches: true,
  },
  {
    name: 'a single pattern value does not match an event array that lacks it',
    pattern: { detail: { state: ['stopped'] } },
    event: eventWith({ state: ['initializing', 'running'] }),
    matches: false,
  },
  {
    name: 'an operator applies to each element of an event array (prefix)',
    pattern: { detail: { state: [{ prefix: 'run' }] } },
    event: eventWith({ state: ['initializing', 'running'] }),
    matches: true,
  },
  {
    name: 'anything-but matches an event array when some element is outside the excluded list',
    pattern: { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
    event: eventWith({ state: ['stopped', 'running'] }),
    matches: true,
  },
  {
    name: 'anything-but does not match an event array whose elements are all excluded',
    pattern: { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
    event: eventWith({ state: ['stopped', 'overloaded'] }),
    matches: false,
  },
  {
    name: 'equals-ignore-case matches a detail-type given as an array in the event',
    pattern: {
      'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }],
    },
    event: ec2WithoutStateEvent,
    matches: true,
  },
];

/** "Matching null values and empty strings" (eb-event-patterns-null-values). */
const nullAndEmptyCases: readonly MatchCase[] = [
  {
    name: 'an empty-string pattern value matches an empty string (eventVersion)',
    pattern: { detail: { eventVersion: [''] } },
    event: autoScalingLaunchEvent,
    matches: true,
  },
  {
    name: 'a null pattern value matches a null (responseElements)',
    pattern: { detail: { responseElements: [null] } },
    event: autoScalingLaunchEvent,
    matches: true,
  },
  {
    name: 'an empty-string pattern value does not match a null',
    pattern: { detail: { responseElements: [''] } },
    event: autoScalingLaunchEvent,
    matches: false,
  },
  {
    name: 'a null pattern value does not match an empty string',
    pattern: { detail: { eventVersion: [null] } },
    event: autoScalingLaunchEvent,
    matches: false,
  },
  {
    name: 'a null pattern value does not match a missing field',
    pattern: { detail: { errorCode: [null] } },
    event: autoScalingLaunchEvent,
    matches: false,
  },
  {
    name: 'a null pattern value does not match the string "null"',
    pattern: { detail: { responseElements: [null] } },
    event: { ...autoScalingLaunchEvent, detail: { eventVersion: '', responseElements: 'null' } },
    matches: false,
  },
  {
    name: 'an empty-string pattern value does not match a missing field',
    pattern: { detail: { errorCode: [''] } },
    event: autoScalingLaunchEvent,
    matches: false,
  },
  {
    name: 'an empty-string pattern value does not match a non-empty string (LastName is empty)',
    pattern: { LastName: [''] },
    event: flatEvent({ LastName: ' ' }),
    matches: false,
  },
  {
    name: 'a null pattern value matches a null field (UserID is null)',
    pattern: { UserID: [null] },
    event: flatEvent({ UserID: null }),
    matches: true,
  },
  {
    name: 'a null pattern value does not match a field with a value (UserID is null)',
    pattern: { UserID: [null] },
    event: flatEvent({ UserID: 'user-1' }),
    matches: false,
  },
];

/** Comparison operators: the summary table (And, Or, Equals, Empty, Not, …). */
const operatorTableCases: readonly MatchCase[] = [
  {
    name: 'And: both fields must match (New York on Monday)',
    pattern: { Location: ['New York'], Day: ['Monday'] },
    event: flatEvent({ Location: 'New York', Day: 'Monday' }),
    matches: true,
  },
  {
    name: 'And: one field not matching prevents a match (New York on Tuesday)',
    pattern: { Location: ['New York'], Day: ['Monday'] },
    event: flatEvent({ Location: 'New York', Day: 'Tuesday' }),
    matches: false,
  },
  {
    name: 'Or: a list of values matches either value (Debit)',
    pattern: { PaymentType: ['Credit', 'Debit'] },
    event: flatEvent({ PaymentType: 'Debit' }),
    matches: true,
  },
  {
    name: 'Or: a list of values does not match another value (Cash)',
    pattern: { PaymentType: ['Credit', 'Debit'] },
    event: flatEvent({ PaymentType: 'Cash' }),
    matches: false,
  },
  {
    name: 'Equals: an exact string matches the same string',
    pattern: { Name: ['Alice'] },
    event: flatEvent({ Name: 'Alice' }),
    matches: true,
  },
  {
    name: 'Equals: an exact string does not match a different case',
    pattern: { Name: ['Alice'] },
    event: flatEvent({ Name: 'alice' }),
    matches: false,
  },
  {
    name: 'Empty: an empty-string value matches an empty string',
    pattern: { LastName: [''] },
    event: flatEvent({ LastName: '' }),
    matches: true,
  },
  {
    name: 'Not: anything-but a list matches another value (Sunny)',
    pattern: { Weather: [{ 'anything-but': ['Raining'] }] },
    event: flatEvent({ Weather: 'Sunny' }),
    matches: true,
  },
  {
    name: 'Not: anything-but a list does not match the listed value (Raining)',
    pattern: { Weather: [{ 'anything-but': ['Raining'] }] },
    event: flatEvent({ Weather: 'Raining' }),
    matches: false,
  },
  {
    name: 'Or (multiple fields): $or matches on the first alternative (Location)',
    pattern: { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] },
    event: flatEvent({ Location: 'New York', Day: 'Friday' }),
    matches: true,
  },
  {
    name: 'Or (multiple fields): $or matches on the second alternative (Day)',
    pattern: { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] },
    event: flatEvent({ Location: 'Boston', Day: 'Monday' }),
    matches: true,
  },
  {
    name: 'Or (multiple fields): $or does not match when no alternative matches',
    pattern: { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] },
    event: flatEvent({ Location: 'Boston', Day: 'Friday' }),
    matches: false,
  },
];

/** Comparison operators: prefix matching, with and without equals-ignore-case. */
const prefixCases: readonly MatchCase[] = [
  {
    name: 'prefix matches a time that starts with 2017-10-02',
    pattern: { time: [{ prefix: '2017-10-02' }] },
    event: eventWith({}, { time: '2017-10-02T18:43:48Z' }),
    matches: true,
  },
  {
    name: 'prefix does not match a time on another day',
    pattern: { time: [{ prefix: '2017-10-02' }] },
    event: eventWith({}, { time: '2017-10-03T18:43:48Z' }),
    matches: false,
  },
  {
    name: 'prefix matches a Region in the US (us-)',
    pattern: { Region: [{ prefix: 'us-' }] },
    event: flatEvent({ Region: 'us-east-1' }),
    matches: true,
  },
  {
    name: 'prefix does not match a Region outside the US',
    pattern: { Region: [{ prefix: 'us-' }] },
    event: flatEvent({ Region: 'eu-west-1' }),
    matches: false,
  },
  {
    name: 'plain prefix is case-sensitive',
    pattern: { Region: [{ prefix: 'us-' }] },
    event: flatEvent({ Region: 'US-EAST-1' }),
    matches: false,
  },
  {
    name: 'prefix only works on string values (not on a number)',
    pattern: { detail: { code: [{ prefix: '1' }] } },
    event: eventWith({ code: 123 }),
    matches: false,
  },
  {
    name: 'prefix with equals-ignore-case matches EventB in its own casing',
    pattern: { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } },
    event: eventWith({ service: 'EventBridge' }),
    matches: true,
  },
  {
    name: 'prefix with equals-ignore-case matches EVENTB',
    pattern: { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } },
    event: eventWith({ service: 'EVENTBRIDGE' }),
    matches: true,
  },
  {
    name: 'prefix with equals-ignore-case matches eventb',
    pattern: { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } },
    event: eventWith({ service: 'eventbridge' }),
    matches: true,
  },
  {
    name: 'prefix with equals-ignore-case does not match a value that only contains the prefix',
    pattern: { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } },
    event: eventWith({ service: 'AmazonEventBridge' }),
    matches: false,
  },
];

/** Comparison operators: suffix matching, with and without equals-ignore-case. */
const suffixCases: readonly MatchCase[] = [
  {
    name: 'suffix matches a FileName ending with .png',
    pattern: { FileName: [{ suffix: '.png' }] },
    event: flatEvent({ FileName: 'image.png' }),
    matches: true,
  },
  {
    name: 'suffix does not match a FileName with another extension',
    pattern: { FileName: [{ suffix: '.png' }] },
    event: flatEvent({ FileName: 'image.png.bak' }),
    matches: false,
  },
  {
    name: 'plain suffix is case-sensitive',
    pattern: { FileName: [{ suffix: '.png' }] },
    event: flatEvent({ FileName: 'image.PNG' }),
    matches: false,
  },
  {
    name: 'suffix with equals-ignore-case matches .png',
    pattern: { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } },
    event: eventWith({ FileName: 'image.png' }),
    matches: true,
  },
  {
    name: 'suffix with equals-ignore-case matches .PNG',
    pattern: { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } },
    event: eventWith({ FileName: 'image.PNG' }),
    matches: true,
  },
  {
    name: 'suffix with equals-ignore-case does not match .jpg',
    pattern: { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } },
    event: eventWith({ FileName: 'image.jpg' }),
    matches: false,
  },
  {
    name: 'suffix with equals-ignore-case matches a service ending in TBRIDGE',
    pattern: { service: [{ suffix: { 'equals-ignore-case': 'tbridge' } }] },
    event: flatEvent({ service: 'EVENTBRIDGE' }),
    matches: true,
  },
];

/** Comparison operators: equals-ignore-case matching. */
const equalsIgnoreCaseCases: readonly MatchCase[] = [
  {
    name: 'equals-ignore-case matches the documented EC2 detail-type in another case',
    pattern: {
      'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }],
    },
    event: ec2TerminatedEvent,
    matches: true,
  },
  {
    name: 'equals-ignore-case does not match a different string',
    pattern: {
      'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }],
    },
    event: { ...ec2TerminatedEvent, 'detail-type': 'EC2 Spot Instance Interruption Warning' },
    matches: false,
  },
  {
    name: 'equals-ignore-case matches Alice for alice',
    pattern: { Name: [{ 'equals-ignore-case': 'alice' }] },
    event: flatEvent({ Name: 'Alice' }),
    matches: true,
  },
  {
    name: 'equals-ignore-case matches ALICE for alice',
    pattern: { Name: [{ 'equals-ignore-case': 'alice' }] },
    event: flatEvent({ Name: 'ALICE' }),
    matches: true,
  },
  {
    name: 'equals-ignore-case is not a prefix match (Alicia)',
    pattern: { Name: [{ 'equals-ignore-case': 'alice' }] },
    event: flatEvent({ Name: 'Alicia' }),
    matches: false,
  },
];

/** Comparison operators: anything-but matching, in all its documented forms. */
const anythingButCases: readonly MatchCase[] = [
  {
    name: 'anything-but a string matches another string',
    pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } },
    event: eventWith({ state: 'pending' }),
    matches: true,
  },
  {
    name: 'anything-but a string does not match that string',
    pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } },
    event: eventWith({ state: 'initializing' }),
    matches: false,
  },
  {
    name: 'anything-but does not match an event without the field',
    pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } },
    event: eventWith({}),
    matches: false,
  },
  {
    name: 'anything-but a number matches another number',
    pattern: { detail: { 'x-limit': [{ 'anything-but': 123 }] } },
    event: eventWith({ 'x-limit': 789 }),
    matches: true,
  },
  {
    name: 'anything-but a number does not match that number',
    pattern: { detail: { 'x-limit': [{ 'anything-but': 123 }] } },
    event: eventWith({ 'x-limit': 123 }),
    matches: false,
  },
  {
    name: 'anything-but a list of strings matches a string outside the list',
    pattern: { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
    event: eventWith({ state: 'running' }),
    matches: true,
  },
  {
    name: 'anything-but a list of strings does not match the first listed string',
    pattern: { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
    event: eventWith({ state: 'stopped' }),
    matches: false,
  },
  {
    name: 'anything-but a list of strings does not match the second listed string',
    pattern: { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
    event: eventWith({ state: 'overloaded' }),
    matches: false,
  },
  {
    name: 'anything-but a list of numbers matches a number outside the list',
    pattern: { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
    event: eventWith({ 'x-limit': 150 }),
    matches: true,
  },
  {
    name: 'anything-but a list of numbers does not match a listed number',
    pattern: { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
    event: eventWith({ 'x-limit': 200 }),
    matches: false,
  },
  {
    name: 'anything-but prefix matches a state without the prefix init',
    pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
    event: eventWith({ state: 'running' }),
    matches: true,
  },
  {
    name: 'anything-but prefix does not match a state starting with init',
    pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
    event: eventWith({ state: 'initializing' }),
    matches: false,
  },
  {
    name: 'anything-but prefix matches a Region outside the US',
    pattern: { Region: [{ 'anything-but': { prefix: 'us-' } }] },
    event: flatEvent({ Region: 'eu-west-1' }),
    matches: true,
  },
  {
    name: 'anything-but prefix does not match a Region in the US',
    pattern: { Region: [{ 'anything-but': { prefix: 'us-' } }] },
    event: flatEvent({ Region: 'us-west-2' }),
    matches: false,
  },
  {
    name: 'anything-but suffix matches a FileName not ending with .txt',
    pattern: { detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } },
    event: eventWith({ FileName: 'file.txt.bak' }),
    matches: true,
  },
  {
    name: 'anything-but suffix does not match a FileName ending with .txt',
    pattern: { detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } },
    event: eventWith({ FileName: 'file.txt' }),
    matches: false,
  },
  {
    name: 'anything-but suffix .png matches a FileName with another extension',
    pattern: { FileName: [{ 'anything-but': { suffix: '.png' } }] },
    event: flatEvent({ FileName: 'photo.jpg' }),
    matches: true,
  },
  {
    name: 'anything-but suffix .png does not match a .png FileName',
    pattern: { FileName: [{ 'anything-but': { suffix: '.png' } }] },
    event: flatEvent({ FileName: 'photo.png' }),
    matches: false,
  },
  {
    name: 'anything-but equals-ignore-case matches another state',
    pattern: { detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] } },
    event: eventWith({ state: 'pending' }),
    matches: true,
  },
  {
    name: 'anything-but equals-ignore-case does not match INITIALIZING',
    pattern: { detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] } },
    event: eventWith({ state: 'INITIALIZING' }),
    matches: false,
  },
  {
    name: 'anything-but equals-ignore-case does not match the exact value either',
    pattern: { detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] } },
    event: eventWith({ state: 'initializing' }),
    matches: false,
  },
  {
    name: 'anything-but equals-ignore-case with a list matches a state outside the list',
    pattern: {
      detail: {
        state: [{ 'anything-but': { 'equals-ignore-case': ['initializing', 'stopped'] } }],
      },
    },
    event: eventWith({ state: 'running' }),
    matches: true,
  },
  {
    name: 'anything-but equals-ignore-case with a list does not match Stopped',
    pattern: {
      detail: {
        state: [{ 'anything-but': { 'equals-ignore-case': ['initializing', 'stopped'] } }],
      },
    },
    event: eventWith({ state: 'Stopped' }),
    matches: false,
  },
  {
    name: 'anything-but wildcard matches a FilePath without /lib/',
    pattern: { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } },
    event: eventWith({ FilePath: '/usr/bin/app' }),
    matches: true,
  },
  {
    name: 'anything-but wildcard does not match a FilePath that includes /lib/',
    pattern: { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } },
    event: eventWith({ FilePath: '/usr/lib/libc.so' }),
    matches: false,
  },
  {
    name: 'anything-but a list of wildcards matches a FilePath outside both',
    pattern: { detail: { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }] } },
    event: eventWith({ FilePath: '/etc/config' }),
    matches: true,
  },
  {
    name: 'anything-but a list of wildcards does not match a FilePath in the second',
    pattern: { detail: { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }] } },
    event: eventWith({ FilePath: '/usr/bin/app' }),
    matches: false,
  },
  {
    name: 'anything-but a list of wildcards does not match a FilePath in the first',
    pattern: { detail: { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }] } },
    event: eventWith({ FilePath: '/usr/lib/libc.so' }),
    matches: false,
  },
];

/** Comparison operators: numeric matching. */
const numericCases: readonly MatchCase[] = [
  {
    name: 'numeric matches when every documented condition holds',
    pattern: numericPattern,
    event: eventWith({ 'c-count': 3, 'd-count': 9, 'x-limit': 301.8 }),
    matches: true,
  },
  {
    name: 'numeric > 0 excludes 0 from the range',
    pattern: numericPattern,
    event: eventWith({ 'c-count': 0, 'd-count': 9, 'x-limit': 301.8 }),
    matches: false,
  },
  {
    name: 'numeric <= 5 includes 5 in the range',
    pattern: numericPattern,
    event: eventWith({ 'c-count': 5, 'd-count': 9, 'x-limit': 301.8 }),
    matches: true,
  },
  {
    name: 'numeric <= 5 excludes 5.5 from the range',
    pattern: numericPattern,
    event: eventWith({ 'c-count': 5.5, 'd-count': 9, 'x-limit': 301.8 }),
    matches: false,
  },
  {
    name: 'numeric < 10 excludes 10',
    pattern: numericPattern,
    event: eventWith({ 'c-count': 3, 'd-count': 10, 'x-limit': 301.8 }),
    matches: false,
  },
  {
    name: 'numeric < 10 includes 9.99',
    pattern: numericPattern,
    event: eventWith({ 'c-count': 3, 'd-count': 9.99, 'x-limit': 301.8 }),
    matches: true,
  },
  {
    name: 'numeric = 3.018e2 does not match 301.9',
    pattern: numericPattern,
    event: eventWith({ 'c-count': 3, 'd-count': 9, 'x-limit': 301.9 }),
    matches: false,
  },
  {
    name: 'numeric matching only works on JSON numbers (not on numeric strings)',
    pattern: numericPattern,
    event: eventWith({ 'c-count': '3', 'd-count': 9, 'x-limit': 301.8 }),
    matches: false,
  },
  {
    name: 'numeric matching does not match a missing field',
    pattern: numericPattern,
    event: eventWith({ 'c-count': 3, 'x-limit': 301.8 }),
    matches: false,
  },
  {
    name: 'numeric = 100 matches a Price of 100',
    pattern: { Price: [{ numeric: ['=', 100] }] },
    event: flatEvent({ Price: 100 }),
    matches: true,
  },
  {
    name: 'numeric = 100 does not match a Price of 100.5',
    pattern: { Price: [{ numeric: ['=', 100] }] },
    event: flatEvent({ Price: 100.5 }),
    matches: false,
  },
  {
    name: 'numeric range > 10, <= 20 excludes its lower bound 10',
    pattern: { Price: [{ numeric: ['>', 10, '<=', 20] }] },
    event: flatEvent({ Price: 10 }),
    matches: false,
  },
  {
    name: 'numeric range > 10, <= 20 includes 10.5',
    pattern: { Price: [{ numeric: ['>', 10, '<=', 20] }] },
    event: flatEvent({ Price: 10.5 }),
    matches: true,
  },
  {
    name: 'numeric range > 10, <= 20 includes its upper bound 20',
    pattern: { Price: [{ numeric: ['>', 10, '<=', 20] }] },
    event: flatEvent({ Price: 20 }),
    matches: true,
  },
  {
    name: 'numeric range > 10, <= 20 excludes 20.5',
    pattern: { Price: [{ numeric: ['>', 10, '<=', 20] }] },
    event: flatEvent({ Price: 20.5 }),
    matches: false,
  },
  {
    name: 'numeric >= includes its bound',
    pattern: { Price: [{ numeric: ['>=', 10] }] },
    event: flatEvent({ Price: 10 }),
    matches: true,
  },
  {
    name: 'numeric >= excludes a value just below its bound',
    pattern: { Price: [{ numeric: ['>=', 10] }] },
    event: flatEvent({ Price: 9.5 }),
    matches: false,
  },
  {
    name: 'numeric range >= 0, < 1 includes 0 and excludes 1',
    pattern: { Price: [{ numeric: ['>=', 0, '<', 1] }] },
    event: flatEvent({ Price: 0 }),
    matches: true,
  },
  {
    name: 'numeric range >= 0, < 1 excludes its upper bound 1',
    pattern: { Price: [{ numeric: ['>=', 0, '<', 1] }] },
    event: flatEvent({ Price: 1 }),
    matches: false,
  },
  {
    name: 'numeric compares negative numbers',
    pattern: { Price: [{ numeric: ['<', 0] }] },
    event: flatEvent({ Price: -1.5 }),
    matches: true,
  },
];

/** Comparison operators: IP address matching. */
const cidrCases: readonly MatchCase[] = [
  {
    name: 'cidr 10.0.0.0/24 matches 10.0.0.0',
    pattern: { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
    event: eventWith({ sourceIPAddress: '10.0.0.0' }),
    matches: true,
  },
  {
    name: 'cidr 10.0.0.0/24 matches 10.0.0.255',
    pattern: { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
    event: eventWith({ sourceIPAddress: '10.0.0.255' }),
    matches: true,
  },
  {
    name: 'cidr 10.0.0.0/24 does not match 10.0.1.0, just outside the block',
    pattern: { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
    event: eventWith({ sourceIPAddress: '10.0.1.0' }),
    matches: false,
  },
  {
    name: 'cidr 10.0.0.0/24 does not match 9.255.255.255, just below the block',
    pattern: { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
    event: eventWith({ sourceIPAddress: '9.255.255.255' }),
    matches: false,
  },
  {
    name: 'cidr does not match a string that is not an IP address (10.0.0.256)',
    pattern: { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
    event: eventWith({ sourceIPAddress: '10.0.0.256' }),
    matches: false,
  },
  {
    name: 'cidr IPv6 2001:db8:1234:1a00::/64 matches the start of the block in full form',
    pattern: { detail: { sourceIPAddress: [{ cidr: '2001:db8:1234:1a00::/64' }] } },
    event: eventWith({ sourceIPAddress: '2001:0db8:1234:1a00:0000:0000:0000:0000' }),
    matches: true,
  },
  {
    name: 'cidr IPv6 2001:db8:1234:1a00::/64 matches the end of the block in short form',
    pattern: { detail: { sourceIPAddress: [{ cidr: '2001:db8:1234:1a00::/64' }] } },
    event: eventWith({ sourceIPAddress: '2001:db8:1234:1a00:ffff:ffff:ffff:ffff' }),
    matches: true,
  },
  {
    name: 'cidr IPv6 2001:db8:1234:1a00::/64 does not match the next /64',
    pattern: { detail: { sourceIPAddress: [{ cidr: '2001:db8:1234:1a00::/64' }] } },
    event: eventWith({ sourceIPAddress: '2001:db8:1234:1a01::1' }),
    matches: false,
  },
  {
    name: 'cidr IPv6 does not match an IPv4 address',
    pattern: { detail: { sourceIPAddress: [{ cidr: '2001:db8:1234:1a00::/64' }] } },
    event: eventWith({ sourceIPAddress: '10.0.0.1' }),
    matches: false,
  },
];

/** Comparison operators: exists matching (with the leaf-node rule). */
const existsCases: readonly MatchCase[] = [
  {
    name: 'exists true matches the documented event that has detail.state',
    pattern: { detail: { state: [{ exists: true }] } },
    event: ec2PendingEvent,
    matches: true,
  },
  {
    name: 'exists true does not match the documented event without detail.state',
    pattern: { detail: { state: [{ exists: true }] } },
    event: ec2WithoutStateEvent,
    matches: false,
  },
  {
    name: 'exists false matches the documented event without detail.state',
    pattern: { detail: { state: [{ exists: false }] } },
    event: ec2WithoutStateEvent,
    matches: true,
  },
  {
    name: 'exists false does not match the documented event that has detail.state',
    pattern: { detail: { state: [{ exists: false }] } },
    event: ec2PendingEvent,
    matches: false,
  },
  {
    name: 'exists true matches a field whose value is an array of values',
    pattern: { detail: { state: [{ exists: true }] } },
    event: eventWith({ state: ['initializing', 'running'] }),
    matches: true,
  },
  {
    name: 'exists false does not match a field whose value is an array of values',
    pattern: { detail: { state: [{ exists: false }] } },
    event: eventWith({ state: ['initializing', 'running'] }),
    matches: false,
  },
  {
    name: 'exists true matches a field whose value is null (the field is present)',
    pattern: { detail: { responseElements: [{ exists: true }] } },
    event: autoScalingLaunchEvent,
    matches: true,
  },
  {
    name: 'exists true does not work on an intermediate node (c-count is an object)',
    pattern: { detail: { 'c-count': [{ exists: true }] } },
    event: ec2WithoutStateEvent,
    matches: false,
  },
  {
    name: 'exists false matches when the field is only an intermediate node',
    pattern: { detail: { 'c-count': [{ exists: false }] } },
    event: ec2WithoutStateEvent,
    matches: true,
  },
  {
    name: 'exists true reaches a leaf below an intermediate node (c-count.c1)',
    pattern: { detail: { 'c-count': { c1: [{ exists: true }] } } },
    event: ec2WithoutStateEvent,
    matches: true,
  },
  {
    name: 'ProductName exists: true matches when ProductName is present',
    pattern: { ProductName: [{ exists: true }] },
    event: flatEvent({ ProductName: 'Widget' }),
    matches: true,
  },
  {
    name: 'ProductName exists: false matches when ProductName is absent',
    pattern: { ProductName: [{ exists: false }] },
    event: flatEvent({}),
    matches: true,
  },
  {
    name: 'ProductName exists: false does not match when ProductName is present',
    pattern: { ProductName: [{ exists: false }] },
    event: flatEvent({ ProductName: 'Widget' }),
    matches: false,
  },
];

/** Comparison operators: wildcard matching. */
const wildcardCases: readonly MatchCase[] = [
  {
    name: 'wildcard dir/*.png matches a .png file in the folder dir',
    pattern: { FileName: [{ wildcard: 'dir/*.png' }] },
    event: flatEvent({ FileName: 'dir/image.png' }),
    matches: true,
  },
  {
    name: 'wildcard * matches zero characters',
    pattern: { FileName: [{ wildcard: 'dir/*.png' }] },
    event: flatEvent({ FileName: 'dir/.png' }),
    matches: true,
  },
  {
    name: 'wildcard dir/*.png does not match a .png file in another folder',
    pattern: { FileName: [{ wildcard: 'dir/*.png' }] },
    event: flatEvent({ FileName: 'other/image.png' }),
    matches: false,
  },
  {
    name: 'wildcard dir/*.png does not match another extension in dir',
    pattern: { FileName: [{ wildcard: 'dir/*.png' }] },
    event: flatEvent({ FileName: 'dir/image.jpg' }),
    matches: false,
  },
  {
    name: 'wildcard with several * matches an event bus ARN in us-east-1',
    pattern: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
    event: flatEvent({ EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/myEventBus' }),
    matches: true,
  },
  {
    name: 'wildcard with several * does not match an event bus ARN in another Region',
    pattern: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
    event: flatEvent({ EventBusArn: 'arn:aws:events:us-west-2:123456789012:event-bus/myEventBus' }),
    matches: false,
  },
  {
    name: 'wildcard /Users/*/doc.txt matches doc.txt in any folder of any user',
    pattern: { FileName: [{ wildcard: '/Users/*/doc.txt' }] },
    event: flatEvent({ FileName: '/Users/ls_user/dir/dir/dir/dir/dir/doc.txt' }),
    matches: true,
  },
  {
    name: 'wildcard /Users/*/doc.txt does not match another file name',
    pattern: { FileName: [{ wildcard: '/Users/*/doc.txt' }] },
    event: flatEvent({ FileName: '/Users/ls_user/dir/notmydoc.txt.bak' }),
    matches: false,
  },
  {
    name: 'wildcard with a repeated sequence after * matches the documented path',
    pattern: { FileName: [{ wildcard: '/Users/*/dir/dir/dir/dir/dir/doc.txt' }] },
    event: flatEvent({ FileName: '/Users/ls_user/dir/dir/dir/dir/dir/doc.txt' }),
    matches: true,
  },
  {
    name: 'wildcard with a repeated sequence after * does not match a path that breaks it',
    pattern: { FileName: [{ wildcard: '/Users/*/dir/dir/dir/dir/dir/doc.txt' }] },
    event: flatEvent({ FileName: '/Users/ls_user/dir/dir/dir/dir/otherdir/doc.txt' }),
    matches: false,
  },
  {
    name: 'wildcard \\* matches a literal asterisk',
    pattern: { FileName: [{ wildcard: 'report\\*.txt' }] },
    event: flatEvent({ FileName: 'report*.txt' }),
    matches: true,
  },
  {
    name: 'wildcard \\* does not act as a wildcard',
    pattern: { FileName: [{ wildcard: 'report\\*.txt' }] },
    event: flatEvent({ FileName: 'report-2017.txt' }),
    matches: false,
  },
  {
    name: 'wildcard \\\\ matches a literal backslash, and a following * stays a wildcard',
    pattern: { FileName: [{ wildcard: 'C:\\\\Users\\\\*' }] },
    event: flatEvent({ FileName: 'C:\\Users\\alice' }),
    matches: true,
  },
  {
    name: 'wildcard \\\\ does not match another separator',
    pattern: { FileName: [{ wildcard: 'C:\\\\Users\\\\*' }] },
    event: flatEvent({ FileName: 'C:/Users/alice' }),
    matches: false,
  },
  {
    name: 'wildcard only works on string values (not on a number)',
    pattern: { detail: { code: [{ wildcard: '1*' }] } },
    event: eventWith({ code: 123 }),
    matches: false,
  },
];

/** Comparison operators: the complex example with multiple matching, and the duplicate-key note. */
const multipleMatchingCases: readonly MatchCase[] = [
  {
    name: 'the multiple-matching example matches when every field matches',
    pattern: multipleMatchingPattern,
    event: eventWith({ state: 'running', 'c-count': 3, 'd-count': 9, 'x-limit': 150 }),
    matches: true,
  },
  {
    name: 'the multiple-matching example does not match an excluded x-limit (300)',
    pattern: multipleMatchingPattern,
    event: eventWith({ state: 'running', 'c-count': 3, 'd-count': 9, 'x-limit': 300 }),
    matches: false,
  },
  {
    name: 'the multiple-matching example does not match the excluded state initializing',
    pattern: multipleMatchingPattern,
    event: eventWith({ state: 'initializing', 'c-count': 3, 'd-count': 9, 'x-limit': 150 }),
    matches: false,
  },
  {
    name: 'the multiple-matching example does not match a time on another day',
    pattern: multipleMatchingPattern,
    event: eventWith(
      { state: 'running', 'c-count': 3, 'd-count': 9, 'x-limit': 150 },
      { time: '2017-10-03T00:00:00Z' },
    ),
    matches: false,
  },
  {
    name: 'the multiple-matching example does not match a c-count out of range',
    pattern: multipleMatchingPattern,
    event: eventWith({ state: 'running', 'c-count': 6, 'd-count': 9, 'x-limit': 150 }),
    matches: false,
  },
  {
    name: 'with a duplicated key only the last one counts: eu-central-1 is anything but us-east',
    pattern: duplicateKeyPattern,
    event: eventWith({ location: 'eu-central-1' }),
    matches: true,
  },
  {
    name: 'with a duplicated key only the last one counts: us-east is excluded',
    pattern: duplicateKeyPattern,
    event: eventWith({ location: 'us-east' }),
    matches: false,
  },
];

/** Comparison operators: the complex example with $or matching, and the event-ruler $or forms. */
const orCases: readonly MatchCase[] = [
  {
    name: '$or matches through its c-count alternative alone',
    pattern: orPattern,
    event: eventWith({ 'c-count': 3 }),
    matches: true,
  },
  {
    name: '$or matches through its d-count alternative alone',
    pattern: orPattern,
    event: eventWith({ 'c-count': 0, 'd-count': 5 }),
    matches: true,
  },
  {
    name: '$or matches through its x-limit alternative alone',
    pattern: orPattern,
    event: eventWith({ 'x-limit': 301.8 }),
    matches: true,
  },
  {
    name: '$or does not match when no alternative matches',
    pattern: orPattern,
    event: eventWith({ 'c-count': 0, 'd-count': 10, 'x-limit': 901.8 }),
    matches: false,
  },
  {
    name: '$or does not match when none of its fields are present',
    pattern: orPattern,
    event: eventWith({ state: 'running' }),
    matches: false,
  },
  {
    name: 'top-level $or is ANDed with the other fields (source and metricName)',
    pattern: {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency'] },
        { namespace: ['AWS/EC2', 'AWS/ES'] },
      ],
    },
    event: flatEvent({ source: 'aws.cloudwatch', metricName: 'ReadLatency', namespace: 'AWS/RDS' }),
    matches: true,
  },
  {
    name: 'top-level $or does not match when the field beside it does not match',
    pattern: {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency'] },
        { namespace: ['AWS/EC2', 'AWS/ES'] },
      ],
    },
    event: flatEvent({ source: 'aws.ec2', metricName: 'CPUUtilization' }),
    matches: false,
  },
  {
    name: 'an $or alternative with several fields needs all of them (metricType and namespace)',
    pattern: {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency'] },
        { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'] },
        { scope: ['Service'] },
      ],
    },
    event: flatEvent({ source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/RDS' }),
    matches: false,
  },
  {
    name: '$or nested inside an $or alternative matches through its inner alternative',
    pattern: {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency'] },
        {
          metricType: ['MetricType'],
          namespace: ['AWS/EC2', 'AWS/ES'],
          $or: [{ metricId: [1234] }, { spaceId: [1000] }],
        },
        { scope: ['Service'] },
      ],
    },
    event: flatEvent({
      source: 'aws.cloudwatch',
      metricType: 'MetricType',
      namespace: 'AWS/ES',
      spaceId: 1000,
    }),
    matches: true,
  },
  {
    name: '$or nested inside an $or alternative does not match when its inner alternatives fail',
    pattern: {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency'] },
        {
          metricType: ['MetricType'],
          namespace: ['AWS/EC2', 'AWS/ES'],
          $or: [{ metricId: [1234] }, { spaceId: [1000] }],
        },
        { scope: ['Service'] },
      ],
    },
    event: flatEvent({
      source: 'aws.cloudwatch',
      metricType: 'MetricType',
      namespace: 'AWS/ES',
      spaceId: 2000,
    }),
    matches: false,
  },
  {
    name: 'parallel $or at two levels must both match (top level and inside detail)',
    pattern: {
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency'] },
        { namespace: ['AWS/EC2', 'AWS/ES'] },
      ],
      detail: {
        $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }],
      },
    },
    event: flatEvent({
      namespace: 'AWS/EC2',
      detail: { 'detail-type': 'CloudWatch Alarm State Change' },
    }),
    matches: true,
  },
  {
    name: 'parallel $or at two levels does not match when the inner one fails',
    pattern: {
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency'] },
        { namespace: ['AWS/EC2', 'AWS/ES'] },
      ],
      detail: {
        $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }],
      },
    },
    event: flatEvent({ namespace: 'AWS/EC2', detail: { source: 'aws.ec2' } }),
    matches: false,
  },
];

const pages: readonly (readonly [string, readonly MatchCase[]])[] = [
  ['Creating event patterns (eb-event-patterns, eb-create-pattern)', creatingPatternsCases],
  ['Arrays in event patterns (eb-event-patterns-arrays)', arraysCases],
  ['Matching null values and empty strings (eb-event-patterns-null-values)', nullAndEmptyCases],
  ['Comparison operators: summary table', operatorTableCases],
  ['Comparison operators: prefix and prefix equals-ignore-case', prefixCases],
  ['Comparison operators: suffix and suffix equals-ignore-case', suffixCases],
  ['Comparison operators: equals-ignore-case', equalsIgnoreCaseCases],
  ['Comparison operators: anything-but', anythingButCases],
  ['Comparison operators: numeric', numericCases],
  ['Comparison operators: IP address matching (cidr)', cidrCases],
  ['Comparison operators: exists', existsCases],
  ['Comparison operators: wildcard', wildcardCases],
  ['Comparison operators: complex example with multiple matching', multipleMatchingCases],
  ['Comparison operators: $or matching', orCases],
];

for (const [page, cases] of pages) {
  describe(page, () => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, { pattern, event, matches }) => {
      expect(matchesPattern(pattern, event)).toBe(matches);
    });
  });
}

describe('parsePattern', () => {
  const documentedPatterns = [
    ...new Map(
      pages.flatMap(([, cases]) =>
        cases.map((c) => [JSON.stringify(c.pattern), c.pattern] as const),
      ),
    ).values(),
  ];

  it.each(documentedPatterns.map((pattern) => [JSON.stringify(pattern), pattern] as const))(
    'accepts the documented pattern %s',
    (_label, pattern) => {
      expect(parsePattern(pattern)).toEqual({ ok: true, pattern });
    },
  );

  const valid: readonly ParseCase[] = [
    { name: 'the EC2 instance-termination pattern', input: ec2TerminationPattern },
    { name: 'the complex example with multiple matching', input: multipleMatchingPattern },
    { name: 'the complex example with $or matching', input: orPattern },
    {
      name: 'a wildcard with an escaped asterisk next to a wildcard',
      input: { f: [{ wildcard: 'a\\**' }] },
    },
    {
      name: 'a wildcard with several non-consecutive wildcards',
      input: { f: [{ wildcard: '*a*b*' }] },
    },
    { name: 'exists false', input: { detail: { state: [{ exists: false }] } } },
  ];

  it.each(valid.map((c) => [c.name, c.input] as const))('accepts %s', (_name, input) => {
    const result = parsePattern(input);
    expect(result.ok).toBe(true);
  });

  const invalid: readonly ParseCase[] = [
    { name: 'a leaf value that is a string, not an array', input: { source: 'aws.ec2' } },
    { name: 'a nested leaf value that is a number, not an array', input: { detail: { count: 2 } } },
    { name: 'an unknown operator', input: { detail: { state: [{ foo: 1 }] } } },
    {
      name: 'an operator written in another case (NUMERIC)',
      input: { detail: { count: [{ NUMERIC: ['=', 5] }] } },
    },
    {
      name: 'numeric with a value that is not a number',
      input: { detail: { count: [{ numeric: ['>', 'zero'] }] } },
    },
    {
      name: 'numeric with an operator and no value',
      input: { detail: { count: [{ numeric: ['>', 0, '<'] }] } },
    },
    { name: 'numeric that is not a list', input: { detail: { count: [{ numeric: 10 }] } } },
    {
      name: 'an $or with a single alternative',
      input: { detail: { $or: [{ 'c-count': [{ numeric: ['>', 0] }] }] } },
    },
    { name: 'exists with a string', input: { detail: { state: [{ exists: 'yes' }] } } },
    { name: 'exists with a number', input: { detail: { state: [{ exists: 1 }] } } },
    {
      name: 'a wildcard with consecutive wildcard characters',
      input: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:**:event-bus/*' }] },
    },
    {
      name: 'a wildcard with an escaped backslash followed by consecutive wildcards',
      input: { FileName: [{ wildcard: 'C:\\\\**' }] },
    },
    {
      name: 'a wildcard whose backslash escapes a character other than * or \\',
      input: { FileName: [{ wildcard: 'dir\\d*' }] },
    },
    {
      name: 'an anything-but list mixing strings and numbers',
      input: { detail: { state: [{ 'anything-but': ['stopped', 100] }] } },
    },
    {
      name: 'a cidr that is not an IP block',
      input: { detail: { sourceIPAddress: [{ cidr: 'bad-filter' }] } },
    },
  ];

  it.each(invalid.map((c) => [c.name, c.input] as const))('rejects %s', (_name, input) => {
    const result = parsePattern(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/\S/);
  });
});
