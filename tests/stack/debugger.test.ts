/**
 * `npm run start:debug`: the local system with Node's inspector on 127.0.0.1. Through the inspector protocol, as
 * VS Code or Chrome DevTools does it: serverless offline runs each handler in a worker thread, which the debugger
 * reaches through the NodeWorker domain; a breakpoint on a TypeScript line of functions/getMysfit.ts (placed in the
 * bundle through the bundle's source map) is hit by GET /mysfits/{id}, and the paused frame maps back to that line.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SourceMapConsumer, type RawSourceMap } from 'source-map';
import WebSocket from 'ws';
import { freePorts, launch, type Launched } from '../../dev/launcher';
import { PROJECT_ROOT } from '../../dev/paths';
import { freePort } from '../../dev/ports';
import { EVANGELINE } from '../support/localStack';

jest.setTimeout(180_000);

const SOURCE = 'functions/getMysfit.ts';
/** `const mysfit = await getMysfit(mysfitId);` */
const LINE =
  readFileSync(join(PROJECT_ROOT, SOURCE), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes('await getMysfit(')) + 1;

/** A message of the protocol: an answer (id) or an event (method). */
interface Message {
  id?: number;
  result?: unknown;
  error?: { message: string };
  method?: string;
  params?: unknown;
}

interface Paused {
  callFrames: Array<{ url: string; location: { scriptId: string; lineNumber: number; columnNumber: number } }>;
}

/** A Chrome DevTools Protocol session on the main thread, and on worker threads through NodeWorker. */
class Inspector {
  private id = 0;
  private readonly pending = new Map<number, (message: Message) => void>();
  readonly workerEvents: Array<{ sessionId: string; method: string; params: unknown }> = [];
  /** Each worker's scripts, by session and script id. */
  private readonly scripts = new Map<string, string>();
  onWorker?: (sessionId: string, url: string) => void;
  /** Which pauses the test waits for; the others are resumed. */
  isOurs?: (paused: Paused) => boolean;

  constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as Message;
      if (message.id !== undefined) return this.pending.get(message.id)?.(message);
      if (message.method === 'NodeWorker.attachedToWorker') {
        const params = message.params as { sessionId: string; workerInfo: { url: string } };
        this.onWorker?.(params.sessionId, params.workerInfo.url);
      }
      if (message.method === 'NodeWorker.receivedMessageFromWorker') {
        const { sessionId, message: inner } = message.params as { sessionId: string; message: string };
        const parsed = JSON.parse(inner) as Message;
        if (parsed.id !== undefined) return this.pending.get(parsed.id)?.(parsed);
        if (parsed.method === 'Debugger.scriptParsed') {
          const script = parsed.params as { scriptId: string; url: string };
          this.scripts.set(`${sessionId}:${script.scriptId}`, script.url);
          return;
        }
        if (parsed.method === 'Debugger.paused') {
          // A paused frame of an ES module has no url of its own: its script's, as scriptParsed told it.
          for (const frame of (parsed.params as Paused).callFrames)
            frame.url ||= this.scripts.get(`${sessionId}:${frame.location.scriptId}`) ?? '';
        }
        if (parsed.method === 'Debugger.paused' && !this.isOurs?.(parsed.params as Paused)) {
          // A worker's stop at its start (waitForDebuggerOnStart), or anywhere else: go on, as a debugger UI does.
          void this.send('Debugger.resume', {}, sessionId);
          return;
        }
        if (parsed.method) this.workerEvents.push({ sessionId, method: parsed.method, params: parsed.params });
      }
    });
  }

  static async connect(port: number): Promise<Inspector> {
    const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{ webSocketDebuggerUrl: string }>;
    const url = targets[0]?.webSocketDebuggerUrl;
    if (!url) throw new Error('the inspector lists no target');
    expect(new URL(url).hostname).toBe('127.0.0.1');
    const socket = new WebSocket(url);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    return new Inspector(socket);
  }

  /** A command on the main thread, or on a worker's session. */
  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<unknown> {
    const id = ++this.id;
    const message = JSON.stringify({ id, method, params });
    return new Promise((resolve, reject) => {
      this.pending.set(id, (answer) => {
        this.pending.delete(id);
        if (answer.error) reject(new Error(`${method}: ${answer.error.message}`));
        else resolve(answer.result);
      });
      this.socket.send(
        sessionId ? JSON.stringify({ id: ++this.id, method: 'NodeWorker.sendMessageToWorker', params: { sessionId, message } }) : message,
      );
    });
  }

  async workerEvent(method: string, withinMs: number): Promise<{ sessionId: string; params: unknown }> {
    const deadline = Date.now() + withinMs;
    while (Date.now() < deadline) {
      const found = this.workerEvents.find((e) => e.method === method);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`no ${method} from any worker within ${withinMs} ms`);
  }

  close(): void {
    this.socket.close();
  }
}

let dataDir: string;
let system: Launched;
let inspector: Inspector | undefined;
let debugPort: number;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'mysfits-debug-'));
  debugPort = await freePort();
  system = launch({ dataDir, ports: await freePorts(), command: 'npm run start:debug', env: { DEBUG_PORT: String(debugPort) } });
  await system.ready;
});

afterAll(async () => {
  inspector?.close();
  await system?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test(`a breakpoint on ${SOURCE}:${LINE} is hit by GET /mysfits/{id}, and the paused frame is that file and line`, async () => {
  // Arrange: the line's place in the bundle serverless offline runs, from the bundle's own source map
  const info = JSON.parse(readFileSync(join(dataDir, 'stack.json'), 'utf8')) as { apiUrl: string };
  const bundle = join(PROJECT_ROOT, '.esbuild', '.build', 'functions', 'getMysfit.js');
  const raw = JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as RawSourceMap;
  const map = new SourceMapConsumer(raw);
  const source = raw.sources.find((s) => s.endsWith(SOURCE));
  expect(source).toBeDefined();
  const generated = map.generatedPositionFor({
    source: source as string,
    line: LINE,
    column: 0,
    bias: SourceMapConsumer.LEAST_UPPER_BOUND,
  });
  expect(generated.line).not.toBeNull();
  inspector = await Inspector.connect(debugPort);
  const debuggerOf = inspector;
  const workers: string[] = [];
  // Each worker thread (one a function, started on its first request) stops at its start until it has the breakpoint.
  debuggerOf.onWorker = (sessionId, url) => {
    workers.push(url);
    void (async () => {
      await debuggerOf.send('Debugger.enable', {}, sessionId);
      await debuggerOf.send(
        'Debugger.setBreakpointByUrl',
        { urlRegex: 'functions/getMysfit\\.js$', lineNumber: (generated.line as number) - 1, columnNumber: generated.column },
        sessionId,
      );
      await debuggerOf.send('Runtime.runIfWaitingForDebugger', {}, sessionId);
    })();
  };
  debuggerOf.isOurs = (paused) => paused.callFrames[0]?.url.endsWith('/functions/getMysfit.js') ?? false;
  await debuggerOf.send('NodeWorker.enable', { waitForDebuggerOnStart: true });

  // Act
  const answer = fetch(`${info.apiUrl}/mysfits/${EVANGELINE}`);
  const paused = await debuggerOf.workerEvent('Debugger.paused', 60_000);
  const frame = (paused.params as Paused).callFrames[0];
  const original = map.originalPositionFor({ line: (frame?.location.lineNumber ?? -1) + 1, column: frame?.location.columnNumber ?? -1 });
  await debuggerOf.send('Debugger.resume', {}, paused.sessionId);
  const response = await answer;

  // Assert
  expect(workers.length).toBeGreaterThan(0);
  expect(fileURLToPath(frame?.url ?? 'file:///none')).toBe(bundle);
  expect(relative(PROJECT_ROOT, join(dirname(bundle), original.source ?? ''))).toBe(SOURCE);
  expect(original.line).toBe(LINE);
  expect(response.status).toBe(200);
});

test('the inspector answers on 127.0.0.1 only', async () => {
  // Arrange / Act
  const inspectorUrl = (await (await fetch(`http://127.0.0.1:${debugPort}/json/version`)).json()) as { Browser?: string };
  // Assert
  expect(inspectorUrl.Browser).toMatch(/^node\.js\//i);
  expect(system.output()).toMatch(new RegExp(`Debugger listening on ws://127\\.0\\.0\\.1:${debugPort}/`));
});
