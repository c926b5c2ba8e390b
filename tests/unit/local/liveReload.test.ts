/**
 * The website's live edit loop (local/liveReload.ts) behind the local web server, on a temporary copy of web/ (never
 * the tracked files): an edit is rebuilt and served within 2 s and an open page is told to reload; a build error is
 * told to the page and the terminal while the last good build stays served; the published build has none of it.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../dev/paths';
import { freePort } from '../../../dev/ports';
import { WEB_DIR } from '../../../dev/website';
import { startLiveReload, type LiveReload } from '../../../local/liveReload';
import { Mailbox } from '../../../local/mailbox';
import { startWebServer } from '../../../local/webServer';

jest.setTimeout(60_000);

let root: string;
let web: string;
let live: LiveReload;
let server: Server;
let site: string;
const said: string[] = [];

/** The events an open page receives, as they come. */
class Page {
  readonly events: Array<{ event: string; data: string }> = [];
  /** Events before it were already waited for. */
  private cursor = 0;
  private readonly abort = new AbortController();
  private constructor() {}

  static async open(): Promise<Page> {
    const page = new Page();
    const res = await fetch(`${site}/_live/events`, { signal: page.abort.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            if (event) page.events.push({ event, data: /^data: (.*)$/m.exec(block)?.[1] ?? '' });
          }
        }
      } catch {
        // closed
      }
    })();
    return page;
  }

  async next(event: string, withinMs: number): Promise<{ data: string; ms: number }> {
    const began = Date.now();
    while (Date.now() - began < withinMs) {
      const at = this.events.findIndex((e, i) => i >= this.cursor && e.event === event);
      if (at >= 0) {
        this.cursor = at + 1;
        return { data: this.events[at]?.data ?? '', ms: Date.now() - began };
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no ${event} event within ${withinMs} ms (got ${JSON.stringify(this.events.slice(this.cursor))})`);
  }

  close(): void {
    this.abort.abort();
  }
}

/** The script index.html names now, and its text. */
async function servedScript(): Promise<{ index: string; script: string }> {
  const index = await (await fetch(`${site}/`)).text();
  const src = /<script type="module" src="(\/assets\/app\.[^"]+\.js)">/.exec(index)?.[1];
  expect(src).toBeDefined();
  const res = await fetch(`${site}${src}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  return { index, script: await res.text() };
}

beforeAll(async () => {
  // The copy sits where web/ does: the site's code also imports the API's contract (../shared), linked beside it.
  root = mkdtempSync(join(tmpdir(), 'mysfits-live-'));
  web = join(root, 'web');
  for (const folder of ['src', 'public', 'pictures']) cpSync(join(WEB_DIR, folder), join(web, folder), { recursive: true });
  symlinkSync(join(PROJECT_ROOT, 'shared'), join(root, 'shared'));
  live = startLiveReload({ webDir: web, outDir: join(web, 'dist'), log: (text) => said.push(text) });
  await live.ready;
  server = await startWebServer({
    port: await freePort(),
    siteDir: join(web, 'dist'),
    mailbox: new Mailbox(join(root, 'mailbox.json')),
    siteConfig: {},
    contentSecurityPolicy: "default-src 'none'",
    live,
  });
  const address = server.address();
  site = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await live?.stop();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  if (root) rmSync(root, { recursive: true, force: true });
});

test('the local index.html names the live client, the built one does not, and the client is served', async () => {
  // Arrange / Act
  const { index } = await servedScript();
  const client = await fetch(`${site}/_live/client.js`);
  // Assert
  expect(index).toContain('<script type="module" src="/_live/client.js"></script>');
  expect(readFileSync(join(web, 'dist', 'index.html'), 'utf8')).not.toContain('_live');
  expect(client.status).toBe(200);
  expect(await client.text()).toContain("new EventSource('/_live/events')");
});

test('an edit under src/ is rebuilt and served within 2 s, and an open page is told to reload', async () => {
  // Arrange
  const page = await Page.open();
  const file = join(web, 'src', 'main.ts');
  // Act
  writeFileSync(file, `${readFileSync(file, 'utf8')}\nconsole.info('live edit ${Date.now()}');\n`);
  const { ms } = await page.next('reload', 2_000);
  const { script } = await servedScript();
  // Assert
  expect(ms).toBeLessThan(2_000);
  expect(script).toContain('live edit');
  page.close();
});

test('an edit under public/ (the style) is rebuilt too', async () => {
  // Arrange
  const page = await Page.open();
  // Act
  writeFileSync(
    join(web, 'public', 'styles.css'),
    `${readFileSync(join(web, 'public', 'styles.css'), 'utf8')}\n.live-edit { color: red; }\n`,
  );
  await page.next('reload', 2_000);
  const index = await (await fetch(`${site}/`)).text();
  const href = /<link rel="stylesheet" href="([^"]+)"/.exec(index)?.[1];
  // Assert
  expect(await (await fetch(`${site}${href}`)).text()).toContain('.live-edit');
  page.close();
});

test('a build error reaches the page and the terminal, the last good build stays served; the fix reloads', async () => {
  // Arrange
  const page = await Page.open();
  const before = await servedScript();
  const file = join(web, 'src', 'main.ts');
  const good = readFileSync(file, 'utf8');
  // Act
  writeFileSync(file, `${good}\nconst broken = ;\n`);
  const failed = await page.next('failed', 2_000);
  const during = await servedScript();
  // A page opened while the build is broken is told at once.
  const late = await Page.open();
  const toldLate = await late.next('failed', 1_000).catch(() => undefined);
  writeFileSync(file, good);
  await page.next('reload', 2_000);
  // Assert
  expect(JSON.parse(failed.data).message).toMatch(/main\.ts:\d+:\d+: ERROR/);
  expect(said.some((line) => line.startsWith('Website build failed') && line.includes('main.ts'))).toBe(true);
  expect(during.script).toBe(before.script);
  expect(toldLate?.data).toBe(failed.data);
  page.close();
  late.close();
});
