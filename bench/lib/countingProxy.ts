/** A tiny HTTP proxy on 127.0.0.1 in front of DynamoDB Local that counts requests, connections and each X-Amz-Target. */
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountingProxy {
  endpoint: string;
  /** Operations since the last reset, in order (`GetItem`, `TransactWriteItems`...). */
  operations(): string[];
  /** TCP connections opened to the proxy since the last reset. */
  connections(): number;
  reset(): void;
  close(): Promise<void>;
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true });
  let operations: string[] = [];
  let connections = 0;
  const server = createServer((req, res) => {
    // e.g. DynamoDB_20120810.TransactWriteItems
    const operation = String(req.headers['x-amz-target'] ?? `${req.method} ${req.url}`)
      .split('.')
      .pop() as string;
    operations.push(operation);
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.once('error', (error) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy: ${error.message}`);
    });
    req.pipe(forward);
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    operations: () => [...operations],
    connections: () => connections,
    reset: () => {
      operations = [];
      connections = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
