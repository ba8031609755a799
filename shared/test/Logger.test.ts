import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Logger, type LoggerOptions } from '../src/Logger.js';

const context = {
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:shop-payment-events',
  memoryLimitInMB: '256',
  functionName: 'shop-payment-events',
  functionVersion: '$LATEST',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
} as Context;

/** Lines written to stdout and stderr while `write` runs, each parsed, the timestamp checked and set aside. */
const linesOf = (write: () => void) => {
  const lines: { stream: string; entry: Record<string, unknown> }[] = [];
  const capture = (stream: string) =>
    ((chunk: unknown) => {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        const { timestamp, ...entry } = JSON.parse(line) as Record<string, unknown>;
        expect(timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        lines.push({ stream, entry });
      }
      return true;
    }) as typeof process.stdout.write;
  vi.spyOn(process.stdout, 'write').mockImplementation(capture('stdout'));
  vi.spyOn(process.stderr, 'write').mockImplementation(capture('stderr'));
  try {
    write();
  } finally {
    vi.restoreAllMocks();
  }
  return lines;
};

const error = Object.assign(
  new Error('Payments table throttled', { cause: new TypeError('socket hang up') }),
  { code: 'ThrottlingException', $metadata: { attempts: 3 } },
);
const circular: Record<string, unknown> = { name: 'loop' };
circular['self'] = circular;

/** The same calls on either logger. */
const session = (logger: Logger | PowertoolsLogger) => {
  logger.info('Before the context', { orderId: 'o-1', total: 10n, none: null, empty: '' });
  logger.addContext(context);
  const child = logger.createChild();
  child.setCorrelationId('o-1');
  child.appendKeys({ event: 'PaymentSucceeded v1', eventId: 'e-1' });
  child.warn('Event failed; it will be retried', { error, circular });
  child.error('Unprocessable message sent to the DLQ', error);
  child.debug('A detail', 'as a string');
  logger.info('The parent keeps its own keys', { nested: { at: new Date(0) } });
  return { child: child.getCorrelationId(), parent: logger.getCorrelationId() };
};

describe('Logger', () => {
  beforeEach(() => {
    vi.stubEnv(
      '_X_AMZN_TRACE_ID',
      'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    );
    vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', undefined);
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', undefined);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it.each<LoggerOptions>([
    { serviceName: 'payment', logLevel: 'DEBUG' },
    { serviceName: 'payment', logLevel: 'INFO' },
    { serviceName: 'payment', logLevel: 'ERROR' },
  ])('writes the lines Powertools Logger writes, to the same streams (%o)', (options) => {
    let ours: unknown;
    let theirs: unknown;
    const expected = linesOf(() => {
      theirs = session(new PowertoolsLogger(options));
    });
    const written = linesOf(() => {
      ours = session(new Logger(options));
    });

    expect(written).toEqual(expected);
    expect(written.length).toBeGreaterThan(0);
    expect(ours).toEqual(theirs);
    expect(ours).toEqual({ child: 'o-1', parent: undefined });
  });

  it('takes its level and service from the environment, Lambda log level first', () => {
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'order');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'WARN');
    expect(linesOf(() => session(new Logger()))).toEqual(
      linesOf(() => session(new PowertoolsLogger())),
    );
    vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', 'ERROR');

    const lines = linesOf(() => session(new Logger({ logLevel: 'DEBUG' })));

    expect(lines.map(({ entry }) => [entry['level'], entry['service']])).toEqual([
      ['ERROR', 'order'],
    ]);
  });

  it('writes nothing when silent', () => {
    expect(linesOf(() => session(new Logger({ logLevel: 'SILENT' })))).toEqual([]);
  });
});
