import { createServer } from 'node:net';

/** The port is taken: says which service wanted it and how to choose another. */
export class PortInUseError extends Error {
  constructor(
    readonly service: string,
    readonly port: number,
    readonly variable: string,
  ) {
    super(
      `Port ${port} for ${service} is already in use. Stop what runs there or set ${variable} to another port.`,
    );
    this.name = 'PortInUseError';
  }
}

/**
 * Resolves with a free port: `port` itself when it is free (0 asks the OS for any free port).
 *
 * @throws {PortInUseError} when `port` is taken.
 */
export const reservePort = (
  service: string,
  port: number,
  variable: string,
  host = '127.0.0.1',
): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(service, port, variable) : error),
    );
    probe.listen(port, host, () => {
      const address = probe.address();
      const free = typeof address === 'object' && address !== null ? address.port : port;
      probe.close(() => resolve(free));
    });
  });
