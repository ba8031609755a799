import type { IncomingMessage } from 'node:http';

/**
 * A request's body, or `undefined` when it is larger than `limit` (read to the end all the same,
 * so the answer can still be written).
 *
 * @example
 * ```ts
 * const body = await readBody(request, 6 * 1024 * 1024);
 * if (body === undefined) reply(413);
 * ```
 */
export const readBody = (
  request: IncomingMessage,
  limit = Number.POSITIVE_INFINITY,
): Promise<Buffer | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    request.on('end', () => resolve(size <= limit ? Buffer.concat(chunks) : undefined));
    request.on('error', reject);
  });
