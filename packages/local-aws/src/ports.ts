import { createServer } from 'node:net';

/**
 * Resolves with a port the OS considers free right now. Another process could still take it
 * before we bind, but for a developer machine and test workers that window is negligible.
 */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Fails with a readable message when `port` is already bound, so that a second `npm start` or a
 * stray DynamoDB Local does not surface later as an obscure connection error.
 *
 * @param what - shown in the message, e.g. `HTTP API (PORT)`.
 */
export async function assertPortFree(port: number, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new PortInUseError(port, what)
          : new Error(`Cannot bind port ${port} for ${what}: ${error.message}`),
      );
    });
    // No host: bind the same dual-stack wildcard address the real servers bind.
    server.listen(port, () => server.close(() => resolve()));
  });
}

/** The port a local service wants is already taken by another process. */
export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    what: string,
  ) {
    super(`Port ${port} for ${what} is already in use — stop whatever uses it or choose another port.`);
    this.name = 'PortInUseError';
  }
}
