import { buildApp } from 'fauxqs';

/** The local SQS endpoint. */
export interface LocalSqs {
  /** e.g. `http://127.0.0.1:4566`. */
  readonly address: string;
  stop(): Promise<void>;
}

/**
 * Starts fauxqs on 127.0.0.1 only: its `startFauxqs` always listens on every interface (its
 * `host` option only names queue URLs), so the app is built and bound here. Queue URLs follow
 * the port a request was sent to, or `queueHost`'s.
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
  const app = buildApp({ logger: false, defaultRegion: props.region });
  const { queueHost } = props;
  if (queueHost !== undefined) {
    app.addHook('onRequest', async (request) => {
      request.headers.host = queueHost;
    });
  }
  const address = await app.listen({ port: props.port, host: '127.0.0.1' });
  return { address, stop: () => app.close() };
};
