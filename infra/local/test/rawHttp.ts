import { type IncomingHttpHeaders, request } from 'node:http';
import { connect } from 'node:net';

/** A request exactly as a client may send it: no URL parsing, header names as they are. */
export interface RawRequest {
  readonly method: string;
  /** The request target as sent, e.g. `//[` or `/products?__proto__=1`. */
  readonly path: string;
  readonly headers?: readonly (readonly [string, string])[];
  readonly body?: string | Uint8Array;
}

export interface RawAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * Sends one request on its own connection, the path and the header names untouched (`fetch`
 * would parse `//x` as a host and refuse some names). A `host` header is added unless one is given.
 */
export const rawRequest = (base: string, raw: RawRequest): Promise<RawAnswer> =>
  new Promise((resolve, reject) => {
    const url = new URL(base);
    const given = raw.headers ?? [];
    const named = given.some(([name]) => name.toLowerCase() === 'host');
    const headers = [...(named ? [] : [['host', url.host] as const]), ...given].flat();
    const outgoing = request(
      {
        host: url.hostname,
        port: url.port,
        method: raw.method,
        path: raw.path,
        headers:
          raw.body === undefined
            ? headers
            : [...headers, 'content-length', String(Buffer.byteLength(raw.body))],
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(raw.body);
  });

/**
 * Writes a request's head (lines separated by `\n`) and the first `chunks` of its body on a new
 * connection, never ending the body, and resolves with everything received once the server
 * closes the connection: a server that waited for the body would never answer.
 */
export const unfinishedRequest = (
  base: string,
  head: string,
  chunks: readonly Uint8Array[] = [],
): Promise<string> =>
  new Promise((resolve) => {
    const url = new URL(base);
    const socket = connect(Number(url.port), url.hostname);
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', () => undefined); // a write after the server closed: the answer is what counts
    socket.on('end', () => socket.destroy()); // what is still unwritten will never be read
    socket.on('close', () => resolve(Buffer.concat(received).toString('utf8')));
    socket.on('connect', () => {
      socket.write(head.replaceAll('\n', '\r\n'));
      for (const chunk of chunks) socket.write(chunk);
    });
  });

/**
 * Streams a body of `total` bytes with `fetch`, 64 KB at a time as the connection takes them,
 * and counts what the stream was asked for: a server that stops reading stops the stream early.
 */
export const streamedRequest = async (
  url: string,
  init: { readonly method: string; readonly headers?: Record<string, string> },
  total: number,
): Promise<{ status: number; body: string; produced: number }> => {
  const CHUNK = 64 * 1024;
  let produced = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (produced >= total) {
        controller.close();
        return;
      }
      produced += CHUNK;
      controller.enqueue(new Uint8Array(CHUNK));
    },
  });
  const response = await fetch(url, { ...init, body, duplex: 'half' } as RequestInit);
  return { status: response.status, body: await response.text(), produced };
};

/**
 * Writes a request's head (lines separated by `\n`), then a chunked body of `total` bytes as fast
 * as the connection takes it, until the server answers or closes; resolves with the answer and
 * the bytes the connection took. A server that stops reading stops the writes early.
 */
export const streamedRawRequest = (
  base: string,
  head: string,
  total: number,
): Promise<{ answer: string; written: number }> =>
  new Promise((resolve) => {
    const url = new URL(base);
    const socket = connect(Number(url.port), url.hostname);
    const chunk = Buffer.concat([
      Buffer.from(`${(64 * 1024).toString(16)}\r\n`),
      Buffer.alloc(64 * 1024, 'a'),
      Buffer.from('\r\n'),
    ]);
    const received: Buffer[] = [];
    let written = 0;
    let answered = false;
    const pump = () => {
      while (!answered && written < total) {
        written += 64 * 1024;
        if (!socket.write(chunk)) {
          socket.once('drain', pump);
          return;
        }
      }
      if (!answered) socket.write('0\r\n\r\n');
    };
    socket.on('data', (data: Buffer) => {
      answered = true;
      received.push(data);
    });
    socket.on('error', () => undefined); // a write after the server closed: the answer is what counts
    socket.on('end', () => socket.destroy()); // what is still unwritten will never be read
    socket.on('close', () =>
      resolve({ answer: Buffer.concat(received).toString('utf8'), written }),
    );
    socket.on('connect', () => {
      socket.write(head.replaceAll('\n', '\r\n'));
      pump();
    });
  });
