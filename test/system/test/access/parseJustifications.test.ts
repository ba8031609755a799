import { describe, expect, it } from 'vitest';
import { parseJustifications } from '../../src/access/parseJustifications.js';

describe('parseJustifications', () => {
  it('reads role, action, optional resource and a reason that runs to the end of the block', () => {
    const source = [
      "import { x } from 'y';",
      '// An ordinary comment.',
      '// unused-grant *-outbox-pipe dynamodb:ListStreams: a Pipe lists its',
      '// source table streams when it starts.',
      '// unused-grant order-api sqs:SendMessage *:order-events: redrives only.',
      '',
      '  // sometimes-used-grant payment-events dynamodb:DeleteItem: releases a claim: on failure',
      'const x = 1; // unused-grant is not a justification at the end of a line',
    ].join('\n');

    expect(parseJustifications(source, 'infra/x.ts')).toEqual({
      justifications: [
        {
          marker: 'unused-grant',
          role: '*-outbox-pipe',
          action: 'dynamodb:ListStreams',
          resource: undefined,
          reason: 'a Pipe lists its source table streams when it starts.',
          at: 'infra/x.ts:3',
        },
        {
          marker: 'unused-grant',
          role: 'order-api',
          action: 'sqs:SendMessage',
          resource: '*:order-events',
          reason: 'redrives only.',
          at: 'infra/x.ts:5',
        },
        {
          marker: 'sometimes-used-grant',
          role: 'payment-events',
          action: 'dynamodb:DeleteItem',
          resource: undefined,
          reason: 'releases a claim: on failure',
          at: 'infra/x.ts:7',
        },
      ],
      malformed: [],
    });
  });

  it('reports an unused-grant comment that does not follow the syntax, instead of skipping it', () => {
    const source = [
      '// unused-grant order-api dynamodb:GetItem because it must',
      '// unused-grant order-api: no action',
      '// sometimes-used-grant order-api dynamodb:GetItem:',
    ].join('\n');

    expect(parseJustifications(source, 'services/order/service.ts')).toEqual({
      justifications: [],
      malformed: [
        "services/order/service.ts:1: 'unused-grant order-api dynamodb:GetItem because it must' is not '// unused-grant <role> <action> [<resource>]: <reason>'",
        "services/order/service.ts:2: 'unused-grant order-api: no action' is not '// unused-grant <role> <action> [<resource>]: <reason>'",
        "services/order/service.ts:3: 'sometimes-used-grant order-api dynamodb:GetItem:' is not '// sometimes-used-grant <role> <action> [<resource>]: <reason>'",
      ],
    });
  });
});
