/** Ports on 127.0.0.1: a free one for tests, and a check that names the setting to change when one is taken. */
import { createServer } from 'node:net';

/** The address of a local service on `port` (every one serves on 127.0.0.1 only). */
export const localUrl = (port: number) => `http://127.0.0.1:${port}`;

/** A TCP port that is free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Resolves when `port` can be bound on 127.0.0.1; else rejects with one sentence naming `setting`. */
export function assertPortFree(port: number, setting: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `Port ${port} (${setting}) is already in use on 127.0.0.1: stop what uses it, or set ${setting} to another port.`
            : `Cannot use port ${port} (${setting}): ${error.message}`,
        ),
      ),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}
