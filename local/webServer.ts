/**
 * The local website server: the built site (web/dist), its config.json, and the mailbox
 * (a page at /mailbox, JSON at /mailbox.json?address=...).
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { cacheControl } from '../web/assets.cjs';
import CONTENT_TYPES from '../web/contentTypes.cjs';
import type { LiveReload } from './liveReload';
import { mailboxPage, type Mailbox } from './mailbox';

const JSON_TYPE = 'application/json';
const HTML_TYPE = 'text/html; charset=utf-8';

export interface WebServerOptions {
  port: number;
  siteDir: string;
  mailbox: Mailbox;
  /** What the page reads as /config.json. */
  siteConfig: Record<string, unknown>;
  /** The site's Content-Security-Policy (web/contentSecurityPolicy.cjs), sent with every file of the site. */
  contentSecurityPolicy: string;
  /** The live edit loop (liveReload.ts): its event stream, and its client named in index.html. */
  live?: Pick<LiveReload, 'handle' | 'inject'>;
}

export function startWebServer(options: WebServerOptions): Promise<Server> {
  // The headers CloudFront adds to the site in AWS (serverless.yml, WebsiteResponseHeadersPolicy), HSTS aside (no TLS here).
  const siteHeaders = {
    'Content-Security-Policy': options.contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, JSON_TYPE, '{"message":"Method not allowed"}');
    if (options.live?.handle(req, res)) return;
    // config.json is a file of the site in AWS too: CloudFront sends it with the site's headers, never cached.
    if (url.pathname === '/config.json') {
      res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Cache-Control': cacheControl('config.json'), ...siteHeaders });
      return res.end(req.method === 'HEAD' ? undefined : JSON.stringify(options.siteConfig, null, 2));
    }
    if (url.pathname === '/mailbox.json') {
      return send(200, JSON_TYPE, JSON.stringify({ messages: options.mailbox.list(url.searchParams.get('address') ?? undefined) }));
    }
    if (url.pathname === '/mailbox') return send(200, HTML_TYPE, mailboxPage(options.mailbox.list()));

    const relative = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(options.siteDir, relative);
    if (!file.startsWith(options.siteDir)) return send(404, JSON_TYPE, '{"message":"Not found"}');
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) return send(404, JSON_TYPE, '{"message":"Not found"}');
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      // As CloudFront serves them (web/assets.cjs): hashed names for a year, index.html revalidated.
      'Cache-Control': cacheControl(relative.replace(/\\/g, '/').replace(/^\//, '')),
      ...siteHeaders,
    });
    if (req.method === 'HEAD') return res.end();
    if (options.live && extname(file) === '.html') return res.end(options.live.inject(readFileSync(file, 'utf8')));
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve(server));
  });
}
