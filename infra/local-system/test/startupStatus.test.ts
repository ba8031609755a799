import { describe, expect, it } from 'vitest';
import { startupStatus } from '../src/cli/startupStatus.js';

const recorder = (isTTY: boolean) => {
  const written: string[] = [];
  const logged: string[] = [];
  const status = startupStatus({ isTTY, write: (text) => written.push(text) }, (line) =>
    logged.push(line),
  );
  return { status, written, logged };
};

const steps = [
  'starting the shop ...',
  'starting DynamoDB Local ...',
  'DynamoDB Local ready in 2310 ms',
  'Cognito user pool at http://127.0.0.1:4070',
  'starting the services ...',
  'services ready in 5120 ms',
  'outbox relays ready in 40 ms',
];

describe('startupStatus', () => {
  it('rewrites one line on a terminal and erases it when done', () => {
    const { status, written, logged } = recorder(true);
    for (const step of steps) status.progress(step);
    status.done();
    expect(logged).toEqual([]);
    expect(written).toHaveLength(steps.length + 1);
    expect(written.every((text) => text.startsWith('\r\u001b[2K') && !text.includes('\n'))).toBe(
      true,
    );
    expect(written.at(-1)).toBe('\r\u001b[2K');
  });

  it('prints a line above the status line without leaving the status half-drawn', () => {
    const { status, written } = recorder(true);
    status.progress('starting the shop ...');
    status.print('[iam] denied');
    expect(written.slice(1)).toEqual(['\r\u001b[2K', '[iam] denied\n']);
    status.done();
    expect(written).toHaveLength(3);
  });

  it('logs every step but the parts starting, after the first line, elsewhere', () => {
    const { status, written, logged } = recorder(false);
    for (const step of steps) status.progress(step);
    status.done();
    expect(written).toEqual([]);
    expect(logged).toEqual([
      'starting the shop ...',
      'DynamoDB Local ready in 2310 ms',
      'Cognito user pool at http://127.0.0.1:4070',
      'services ready in 5120 ms',
      'outbox relays ready in 40 ms',
    ]);
  });

  it('names the slowest parts, slowest first', () => {
    const { status } = recorder(false);
    for (const step of steps) status.progress(step);
    expect(status.slowest(2)).toBe('services 5.1 s, DynamoDB Local 2.3 s');
    expect(status.slowest(5)).toBe('services 5.1 s, DynamoDB Local 2.3 s, outbox relays 0.0 s');
  });
});
