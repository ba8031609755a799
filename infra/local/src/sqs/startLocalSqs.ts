import { buildApp } from 'fauxqs';
import { acceptSupplementaryCharacters } from './acceptSupplementaryCharacters.js';
import { batchTooLong } from './batchRequestSize.js';
import { queryErrorHeader } from './queryErrorCode.js';

/** The local SQS endpoint. */
export interface LocalSqs {
  /** e.g. `http://127.0.0.1:4566`. */
  readonly address: string;
  stop(): Promise<void>;
}

/**
 * Starts fauxqs on 127.0.0.1 only: its `startFauxqs` always listens on every interface (its
 * `host` option only names queue URLs), so the app is built and bound here. Queue URLs follow
 * the port a request was sent to, or `queueHost`'s. Characters are SQS's (fauxqs alone refuses
 * U+10000 to U+10FFFF), and so are error codes. Message sizes are SQS's: a message (body and
 * attributes) up to its queue's `MaximumMessageSize` (1 MiB unless set lower), a
 * `SendMessageBatch` up to 1 MiB in all.
 *
 * @example
 * ```ts
 * const sqs = await startLocalSqs({ port: 0, region: 'eu-west-1' });
 * new SQSClient({ endpoint: sqs.address });
 * ```
 */
export const startLocalSqs = async (props: {
  /** 0 picks a free port. */
  readonly port: number;
  readonly region: string;
  /**
   * The `host:port` whose port queue URLs name, when clients reach the queues elsewhere than
   * here (through an IAM front): fauxqs names a queue after the port of the host it was created
   * through (`http://sqs.<region>.localhost:<port>/...`) and finds it by that URL.
   * @default the address a request was sent to
   */
  readonly queueHost?: string;
}): Promise<LocalSqs> => {
  await acceptSupplementaryCharacters();
  const app = buildApp({ logger: false, defaultRegion: props.region });
  const { queueHost } = props;
  if (queueHost !== undefined) {
    app.addHook('onRequest', async (request) => {
      request.headers.host = queueHost;
    });
  }
  // fauxqs checks each message against its queue's MaximumMessageSize and a batch's total, but
  // answers a batch over the total without the size SQS reports: refused here, as SQS words it.
  app.addHook('preHandler', async (request, reply) => {
    if (request.headers['x-amz-target'] !== 'AmazonSQS.SendMessageBatch') return;
    const refusal = batchTooLong(request.body);
    if (refusal !== undefined)
      return reply.code(refusal.status).headers(refusal.headers).send(refusal.body);
  });
  // fauxqs prefixes every error code with `AWS.SimpleQueueService.`; SQS only some of them.
  app.addHook('onSend', async (_request, reply) => {
    const header = reply.getHeader('x-amzn-query-error');
    if (typeof header === 'string') reply.header('x-amzn-query-error', queryErrorHeader(header));
  });
  const address = await app.listen({ port: props.port, host: '127.0.0.1' });
  return { address, stop: () => app.close() };
};
