import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Starts listening on 127.0.0.1 and resolves with the port (0 asks the OS for a free one). */
export const listen = (server: Server, port: number): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });

/** Closes servers, dropping their open connections. */
export const closeServers = async (servers: readonly Server[]): Promise<void> => {
  await Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    ),
  );
};
