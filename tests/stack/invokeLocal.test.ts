/**
 * `serverless invoke local -f <fn> -p events/<fn>.json`, every function with its sample event, with no local system
 * running (the plugin brings DynamoDB Local, and the clicks stream, for the invocation, on the same data folder) and
 * with one running (the invocation uses its services). Each function answers the same way in both.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts, systemEnv, type Ports } from '../../dev/launcher';
import { PROJECT_ROOT } from '../../dev/paths';
import { SAMPLE_USER } from '../../dev/sampleUser';
import { resolvedService } from '../../dev/service';
import { api, EVANGELINE, startTestStack, type TestStack } from '../support/localStack';

jest.setTimeout(240_000);

const SERVERLESS = join(PROJECT_ROOT, 'node_modules', 'serverless', 'bin', 'serverless.js');

interface Invocation {
  code: number | null;
  result: { statusCode?: number; body?: Record<string, unknown>; records?: Array<{ result: string }> };
  output: string;
}

/** Runs invoke local as a person would, and reads the result it prints last (pretty JSON, from a line "{"). */
function invokeLocal(functionKey: string, ports: Ports, dataDir: string): Promise<Invocation> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [SERVERLESS, 'invoke', 'local', '-f', functionKey, '-p', `events/${functionKey}.json`],
      { cwd: PROJECT_ROOT, env: systemEnv(ports, dataDir), timeout: 60_000, maxBuffer: 8 * 1024 * 1024 },
      (_error, stdout, stderr) => {
        const start = stdout.lastIndexOf('\n{\n');
        let result = {};
        try {
          result = JSON.parse(start >= 0 ? stdout.slice(start) : stdout);
        } catch {
          // left empty: the assertions below show the output
        }
        resolve({ code: child.exitCode, result, output: `${stdout}${stderr}` });
      },
    );
  });
}

const processesMentioning = (text: string) =>
  execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(text) && !line.startsWith('ps '));

const filesUnder = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => e.name)
    : [];

/** What each function answered with no system running, to compare with its answer beside a running one. */
const withoutSystem: Record<string, unknown> = {};

/** What an answer comes to: the HTTP status (2xx for every sample event), or the transformation's result per record. */
function outcome(functionKey: string, invocation: Invocation): unknown {
  expect({ functionKey, code: invocation.code }).toEqual({ functionKey, code: 0 });
  if (invocation.result.records) return invocation.result.records.map((r) => r.result);
  const status = invocation.result.statusCode ?? 0;
  if (status < 200 || status > 299) throw new Error(`${functionKey} answered ${status}:\n${invocation.output}`);
  return status;
}

let order: string[];
beforeAll(async () => {
  // Every function of the service; those that read what others write run after them.
  const keys = Object.keys((await resolvedService('local')).functions);
  const first = ['likeMysfit', 'unlikeMysfit', 'adoptMysfit'].filter((key) => keys.includes(key));
  order = [...first, ...keys.filter((key) => !first.includes(key))];
});

describe('with no local system running', () => {
  let dataDir: string;
  let ports: Ports;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mysfits-invoke-'));
    ports = await freePorts();
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  test('every function answers its sample event; what one writes, the next reads; nothing is left running', async () => {
    const answers: Record<string, Invocation> = {};
    for (const functionKey of order) {
      const invocation = await invokeLocal(functionKey, ports, dataDir);
      answers[functionKey] = invocation;
      withoutSystem[functionKey] = outcome(functionKey, invocation);
      expect(processesMentioning(dataDir)).toEqual([]);
    }
    // Two clicks of known mysfits, one of an unknown one (events/enrichClicks.json).
    expect(withoutSystem.enrichClicks).toEqual(['Ok', 'Ok', 'ProcessingFailed']);
    // The data outlives each invocation's DynamoDB Local: the adoption is in /me, in the folder's database.
    expect(answers.getMe?.result.body).toMatchObject({ userId: SAMPLE_USER.sub, adopted: [EVANGELINE], liked: [] });
    // The clicks went through the stream's transformation into the "bucket".
    expect(filesUnder(join(dataDir, 'clicks-bucket', 'clicks')).length).toBeGreaterThan(0);
    // What the plugin started and stopped for each invocation is said, in a line each.
    for (const invocation of Object.values(answers)) {
      expect(invocation.output).toContain(`No local system is running: started DynamoDB Local on http://127.0.0.1:${ports.dynamodb}`);
      expect(invocation.output).toContain('Stopped DynamoDB Local.');
    }
    expect(answers.recordClicks?.output).toContain('Started the clicks stream for this invocation');
    // The transformation's base64 answer, decoded for a person.
    expect(answers.enrichClicks?.output).toContain('The records decoded');
    expect(answers.enrichClicks?.output).toMatch(/ Ok {2}\{"eventTime":.*"name":"Evangeline"/);
  });
});

describe('with the local system running', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack?.destroy());

  test("every function answers its sample event, against the running system's services", async () => {
    const before = await api(stack, `/mysfits/${EVANGELINE}`);
    for (const functionKey of order) {
      const invocation = await invokeLocal(functionKey, stack.ports, stack.dataDir);
      expect({ functionKey, answer: outcome(functionKey, invocation) }).toEqual({ functionKey, answer: withoutSystem[functionKey] });
      expect(invocation.output).not.toContain('No local system is running');
      if (functionKey === 'likeMysfit') {
        // The like is in the running system's database, seen through its API.
        expect((await api(stack, `/mysfits/${EVANGELINE}`)).body.likes).toBe(Number(before.body.likes) + 1);
      }
    }
    expect((await api(stack, `/mysfits/${EVANGELINE}`)).body).toMatchObject({ likes: before.body.likes, adopted: true });
    // The clicks reach the running system's stream, which delivers them within its buffering interval.
    const deadline = Date.now() + 30_000;
    while (filesUnder(join(stack.dataDir, 'clicks-bucket', 'clicks')).length === 0) {
      if (Date.now() > deadline) throw new Error("no clicks delivered by the running system's stream");
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });
});
