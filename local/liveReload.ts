/**
 * The website's live edit loop, on the local stage only: an edit under web/src, web/public or web/pictures is rebuilt
 * (dev/website.ts) and an open page reloads itself, told through a small event stream from the local web server
 * (/_live/events, with its client at /_live/client.js, named in index.html as the local server sends it; nothing of
 * it is in web/dist or the published site). A failed build is printed in the terminal and shown on the page, and the
 * last good build stays served.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { buildWeb, keptWebBuild, type WebBuild } from '../dev/website';

export const LIVE_PATH = '/_live';
/** Edits that come together (an editor's save, a checkout) are built once. */
const SETTLE_MS = 80;

/** The page's side: reloads on a new build, shows a failed one over the page (styled through the CSSOM: the CSP has no inline style). */
const CLIENT = `// The local edit loop (npm start only): reloads on a new build, shows a failed one.
const events = new EventSource('${LIVE_PATH}/events');
let shown = null;
events.addEventListener('reload', () => location.reload());
events.addEventListener('failed', (event) => {
  shown?.remove();
  shown = document.createElement('pre');
  shown.setAttribute('role', 'alert');
  shown.id = 'live-build-error';
  shown.textContent = 'The website did not build (the last good build is served):\\n\\n' + JSON.parse(event.data).message;
  Object.assign(shown.style, { position: 'fixed', inset: '0 0 auto 0', maxHeight: '60vh', overflow: 'auto', margin: '0',
    padding: '1rem', background: '#3b0d0c', color: '#fff', font: '14px/1.4 monospace', whiteSpace: 'pre-wrap', zIndex: '9999' });
  document.body.append(shown);
});
`;

export interface LiveReloadOptions {
  /** The website's folder (src/, public/, pictures/). */
  webDir: string;
  /** Where the builds go (what the web server serves). */
  outDir: string;
  /** Says something to the person: a rebuild, a failed build. */
  log: (text: string) => void;
}

export interface LiveReload {
  /** The first build, or the last start's if it is still good (awaited before the site is served). */
  ready: Promise<WebBuild>;
  /** Answers /_live/*; false for any other request. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** index.html as the local server sends it: with the client named. */
  inject(html: string): string;
  stop(): Promise<void>;
}

export function startLiveReload(options: LiveReloadOptions): LiveReload {
  const pages = new Set<ServerResponse>();
  let failure: string | undefined;
  let building: Promise<unknown> = Promise.resolve();
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const send = (res: ServerResponse, event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const broadcast = (event: string, data: unknown) => {
    for (const res of pages) send(res, event, data);
  };

  const rebuild = async (): Promise<void> => {
    const began = performance.now();
    try {
      const build = await buildWeb({ webDir: options.webDir, outDir: options.outDir });
      failure = undefined;
      options.log(`Website rebuilt in ${Math.round(performance.now() - began)} ms: open pages reload.`);
      broadcast('reload', { keys: build.keys.length });
    } catch (error) {
      failure = (error as Error).message;
      options.log(`Website build failed (the last good build is still served):\n${failure}`);
      broadcast('failed', { message: failure });
    }
  };
  const schedule = () => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      // One build at a time; an edit during a build builds once more after it.
      if (again) return;
      again = true;
      building = building.then(async () => {
        again = false;
        if (!stopped) await rebuild();
      });
    }, SETTLE_MS);
  };

  // The last start's build, when nothing it was made from changed since: no need to build the same again.
  const kept = keptWebBuild({ webDir: options.webDir, outDir: options.outDir });
  const ready = kept ? Promise.resolve(kept) : buildWeb({ webDir: options.webDir, outDir: options.outDir });
  const watchers: FSWatcher[] = [];
  // Watching starts after the first build, so that build's own files never trigger a second.
  const watching = ready.then(
    () => {
      if (stopped) return;
      for (const folder of ['src', 'public', 'pictures']) {
        watchers.push(watch(join(options.webDir, folder), { recursive: true }, schedule));
      }
    },
    () => undefined,
  );

  return {
    ready,
    handle(req, res) {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      if (!path.startsWith(`${LIVE_PATH}/`)) return false;
      if (path === `${LIVE_PATH}/client.js`) {
        res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
        res.end(CLIENT);
      } else if (path === `${LIVE_PATH}/events`) {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
        res.write(': the website edit loop\n\n');
        if (failure) send(res, 'failed', { message: failure });
        pages.add(res);
        req.once('close', () => pages.delete(res));
      } else {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end('{"message":"Not found"}');
      }
      return true;
    },
    inject(html) {
      return html.replace('</head>', `  <script type="module" src="${LIVE_PATH}/client.js"></script>\n  </head>`);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await watching;
      for (const watcher of watchers) watcher.close();
      for (const res of pages) res.end();
      pages.clear();
      await building;
    },
  };
}
