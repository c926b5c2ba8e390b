/**
 * Legacy mode, as the VPC link does in prod: in front of serverless-offline, `GET /<stage>/mysfits` goes to the
 * old service at LEGACY_LIST_URL (`/mysfits` with the query string kept); every other request goes to the API.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface LegacyProxyOptions {
  port: number;
  stage: string;
  legacyUrl: string;
  apiOrigin: string;
}

function forward(req: IncomingMessage, res: ServerResponse, target: URL, name: string): void {
  const upstream = request(target, { method: req.method, headers: { ...req.headers, host: target.host }, timeout: 10_000 }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('timeout', () => upstream.destroy(new Error('timeout')));
  upstream.on('error', () => {
    if (res.headersSent) return res.destroy();
    res.writeHead(502, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' });
    res.end(JSON.stringify({ message: `The ${name} did not answer` }));
  });
  req.pipe(upstream);
}

export function startLegacyProxy(options: LegacyProxyOptions): Promise<Server> {
  const listPath = `/${options.stage}/mysfits`;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const toLegacy = req.method === 'GET' && url.pathname.replace(/\/$/, '') === listPath;
    const target = toLegacy
      ? new URL(`/mysfits${url.search}`, options.legacyUrl)
      : new URL(`${url.pathname}${url.search}`, options.apiOrigin);
    forward(req, res, target, toLegacy ? 'legacy service' : 'API');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve(server));
  });
}
