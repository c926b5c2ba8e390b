/** A tiny HTTP proxy on 127.0.0.1 in front of DynamoDB Local that counts requests, connections and each X-Amz-Target. */
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function startCountingProxy(target: string) {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true });
  /** Operations since the last reset, in order (`GetItem`, `TransactWriteItems`...), and TCP connections opened. */
  const counted = { operations: [] as string[], connections: 0 };
  const server = createServer((req, res) => {
    // e.g. DynamoDB_20120810.TransactWriteItems
    counted.operations.push(String(req.headers['x-amz-target'] ?? `${req.method} ${req.url}`).replace(/^.*\./, ''));
    const { hostname: host, port } = upstream;
    const forward = request({ host, port, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.once('error', (error) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy: ${error.message}`);
    });
    req.pipe(forward);
  });
  server.on('connection', () => counted.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counted,
    reset: () => void Object.assign(counted, { operations: [], connections: 0 }),
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
