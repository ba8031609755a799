import type { IncomingMessage, ServerResponse } from 'node:http';

/** The body could not be read to its end: the client went away first. */
export class RequestAbortedError extends Error {
  override readonly name = 'RequestAbortedError';
}

/**
 * Whether the request's `content-length` announces a body over `limit` bytes, so that it can be
 * refused before a byte of it is read.
 *
 * @example
 * ```ts
 * if (declaresMoreThan(request, 10 * 1024 * 1024)) return tooLarge();
 * ```
 */
export const declaresMoreThan = (request: IncomingMessage, limit: number): boolean =>
  Number(request.headers['content-length'] ?? 0) > limit;

const hasUnreadBody = (request: IncomingMessage): boolean =>
  !request.readableEnded &&
  (request.headers['transfer-encoding'] !== undefined || declaresMoreThan(request, 0));

const ignore = () => undefined;

/**
 * Readies the answer to a request whose body has not been read to its end (refused before it
 * was read, or too large): reading stays stopped, where Node would read the rest to throw it
 * away, and the connection is ended once the answer is written. Ended, not dropped: dropping a
 * connection with unread bytes resets it, and the client could lose the answer; a client that
 * keeps it open is dropped after the server's `keepAliveTimeout`. A request without a body, or
 * read to its end, keeps its connection.
 *
 * @example
 * ```ts
 * endAfterAnswer(request, response);
 * response.writeHead(401).end();
 * ```
 */
export const endAfterAnswer = (request: IncomingMessage, response: ServerResponse): void => {
  if (!hasUnreadBody(request)) return;
  // A stream read once counts as consumed: Node then leaves the rest of it alone.
  request.on('data', ignore).off('data', ignore).pause();
  response.once('finish', () => request.socket.end());
};

/**
 * A request's body, or 'too-large' as soon as it is over `limit` bytes: at once when its
 * `content-length` says so, else when the bytes received pass the limit. Reading then stops and
 * nothing over the limit is kept; answer after {@link endAfterAnswer}.
 *
 * @throws {RequestAbortedError} when the connection closes before the body ends.
 * @example
 * ```ts
 * const body = await readBodyWithin(request, 6 * 1024 * 1024);
 * if (body === 'too-large') reply(413);
 * ```
 */
export const readBodyWithin = (
  request: IncomingMessage,
  limit: number,
): Promise<Buffer | 'too-large'> =>
  new Promise((resolve, reject) => {
    if (declaresMoreThan(request, limit)) {
      resolve('too-large');
      return;
    }
    if (request.destroyed) {
      reject(new RequestAbortedError('The connection closed before the body was read'));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stop();
        request.pause();
        resolve('too-large');
      } else {
        chunks.push(chunk);
      }
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    const onClose = () => {
      stop();
      reject(new RequestAbortedError('The connection closed before the body ended'));
    };
    const stop = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onClose);
      request.off('close', onClose);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onClose);
    request.on('close', onClose);
  });
