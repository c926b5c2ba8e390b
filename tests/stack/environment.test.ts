/**
 * A bad environment gets one sentence that says what to do, exit code 1, no hang and no stack trace, and leaves no
 * process behind: Java missing, a port in use, a damaged data folder (repaired where it can be, else named with the
 * command that resets it), and Chromium missing for the browser tier.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePorts, launch } from '../../dev/launcher';
import { PROJECT_ROOT } from '../../dev/paths';
import { expectedInfo } from '../../local/system';
import { api, EVANGELINE, newUser, startTestStack } from '../support/localStack';
import { storedClicksWhen } from '../support/storedClicks';

jest.setTimeout(180_000);

const processesMentioning = (text: string) =>
  execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(text) && !line.startsWith('ps '));

const inGroup = (leader: number | undefined) =>
  execFileSync('ps', ['-eo', 'pgid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => leader !== undefined && line.trim().startsWith(`${leader} `));

/**
 * Processes still in the process group the system was started in (it leads its own group), once they have had
 * 5 s to go (esbuild's service process leaves when it sees its parent's pipe close).
 */
async function leftInGroup(leader: number | undefined): Promise<string[]> {
  const deadline = Date.now() + 5_000;
  while (inGroup(leader).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  return inGroup(leader);
}

const STACK_TRACE = /^\s+at .+\(.+:\d+:\d+\)$/m;

/** Starts the system expecting it to refuse: its exit code and what it printed. */
async function refusedStart(dataDir: string, env: NodeJS.ProcessEnv = {}, ports?: Awaited<ReturnType<typeof freePorts>>) {
  const system = launch({ dataDir, ports: ports ?? (await freePorts()), env, timeoutMs: 90_000 });
  await expect(system.ready).rejects.toThrow();
  const code = await system.exited;
  return { code, output: system.output(), left: await leftInGroup(system.child.pid) };
}

const dataDirs: string[] = [];
const newDataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'mysfits-env-'));
  dataDirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

test('Java missing: the one sentence that says to install it, exit code 1, nothing left running, every time', async () => {
  // Several runs: the check comes before anything is bundled, so no bundler is ever torn down mid-build.
  for (let run = 1; run <= 3; run++) {
    const dataDir = newDataDir();
    // Node is started by its full path, so a PATH with nothing on it hides java alone.
    const { code, output, left } = await refusedStart(dataDir, {
      PATH: dirname(process.execPath) === '/usr/bin' ? '/nonexistent' : dirname(process.execPath),
    });
    expect(code).toBe(1);
    expect(output.trim()).toBe(
      'Java 17 or newer is needed for DynamoDB Local, and `java` was not found: install it (Debian: apt-get install openjdk-17-jre-headless).',
    );
    expect(output).not.toMatch(STACK_TRACE);
    expect(processesMentioning(dataDir)).toEqual([]);
    expect(left).toEqual([]);
  }
});

test('a port in use: the sentence names the port and the setting to change, exit code 1', async () => {
  const dataDir = newDataDir();
  const ports = await freePorts();
  const squatter: Server = createServer();
  await new Promise<void>((resolve) => squatter.listen(ports.web, '127.0.0.1', resolve));
  try {
    const { code, output, left } = await refusedStart(dataDir, {}, ports);
    expect(code).toBe(1);
    expect(output).toContain(
      `Port ${ports.web} (WEB_PORT) is already in use on 127.0.0.1: stop what uses it, or set WEB_PORT to another port.`,
    );
    expect(output).not.toMatch(STACK_TRACE);
    expect(processesMentioning(dataDir)).toEqual([]);
    expect(left).toEqual([]);
  } finally {
    await new Promise((resolve) => squatter.close(resolve));
  }
});

test('a truncated user-pool.json and mailbox.json are repaired: the same pool is found again, the mailbox starts anew', async () => {
  // Arrange: a system that made its pool and mailed a code, then stopped; then both files cut short, as by a crash
  const dataDir = newDataDir();
  const first = await startTestStack({ dataDir });
  const before = first.info;
  await first.stop();
  writeFileSync(join(dataDir, 'mailbox.json'), '[{"address":"ada@exa');
  truncateSync(join(dataDir, 'user-pool.json'), 10);

  // Act
  const again = await startTestStack({ dataDir, ports: first.ports });
  try {
    // Assert: the same pool and client (tokens of before stay valid), a word about the mailbox, a copy kept
    expect([again.info.userPoolId, again.info.userPoolClientId]).toEqual([before.userPoolId, before.userPoolClientId]);
    expect(JSON.parse(readFileSync(join(dataDir, 'user-pool.json'), 'utf8'))).toEqual({
      userPoolId: before.userPoolId,
      userPoolClientId: before.userPoolClientId,
    });
    expect(again.output()).toContain(`The mailbox file was damaged: moved it to ${join(dataDir, 'mailbox.json.damaged')}`);
    expect(again.output()).toContain(
      `${join(dataDir, 'user-pool.json')} was damaged: found the pool ${before.userPoolId} again by its name, and wrote the file again.`,
    );
    expect(readFileSync(join(dataDir, 'mailbox.json.damaged'), 'utf8')).toBe('[{"address":"ada@exa');
    const mailbox = await fetch(`${again.info.websiteUrl}/mailbox.json`);
    expect(await mailbox.json()).toEqual({ messages: [] });
  } finally {
    await again.stop();
  }
});

test("the local Cognito's data lost, user-pool.json kept: a new pool, whose tokens the API takes from the first request", async () => {
  // Arrange: a system that made its pool and stopped; then its Cognito data gone, the ids file still naming that pool.
  // serverless offline then starts beside the services on the ids of the file, which the start finds wrong.
  const dataDir = newDataDir();
  const first = await startTestStack({ dataDir });
  await first.stop();
  rmSync(join(dataDir, 'cognito'), { recursive: true, force: true });

  // Act
  const again = await startTestStack({ dataDir, ports: first.ports });
  try {
    const user = await newUser(again, 'after-loss');
    const me = await api(again, '/me', { token: user.idToken });
    const clicks = await fetch(`${again.info.apiUrl}/clicks`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: user.idToken },
      body: JSON.stringify({ clicks: [{ action: 'view', mysfitId: EVANGELINE, at: new Date().toISOString() }] }),
    });

    // Assert: a new pool, said so; the settings the plugin knows ahead are what the system tells once up; the
    // authorizer (/me) and the clicks function (the click credited to the user) check tokens against the new pool.
    expect(again.info.userPoolId).not.toBe(first.info.userPoolId);
    expect(again.output()).toContain(
      `${join(dataDir, 'user-pool.json')} named a pool that is gone: made a new pool, and wrote the file again.`,
    );
    expect(expectedInfo(again.ports, dataDir)).toEqual(again.info);
    expect(me.status).toBe(200);
    expect(clicks.status).toBe(202);
    const stored = await storedClicksWhen(dataDir, (all) => all.some((click) => click.mysfitId === EVANGELINE));
    expect(stored.filter((click) => click.mysfitId === EVANGELINE).map((click) => [click.userId, click.signedIn])).toEqual([
      [user.sub, true],
    ]);
  } finally {
    await again.stop();
  }
});

test('a damaged DynamoDB file: the sentence names the folder and the command that resets it, exit code 1', async () => {
  const dataDir = newDataDir();
  const first = await startTestStack({ dataDir });
  await first.stop();
  truncateSync(join(dataDir, 'dynamodb', 'shared-local-instance.db'), 5_000);

  const { code, output, left } = await refusedStart(dataDir, {}, first.ports);

  expect(code).toBe(1);
  expect(output).toContain(`DynamoDB Local cannot use its data in ${join(dataDir, 'dynamodb')}`);
  expect(output).toContain(`\`rm -rf ${dataDir}\` (or \`npm run start:fresh\` for .local/) resets the local data`);
  expect(output).not.toMatch(STACK_TRACE);
  expect(processesMentioning(dataDir)).toEqual([]);
  expect(left).toEqual([]);
});

test('Chromium missing: the browser tier fails in seconds with the sentence, and starts no system', async () => {
  const jest = join(PROJECT_ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      [jest, '--selectProjects', 'e2e', '--runInBand', '--testNamePattern', 'phone width'],
      { cwd: PROJECT_ROOT, env: { ...process.env, CHROMIUM_PATH: '/nowhere/chromium', CI: 'true' }, timeout: 120_000 },
      (_error, stdout, stderr) => resolve({ code: child.exitCode, output: `${stdout}${stderr}` }),
    );
  });
  expect(code).toBe(1);
  expect(output).toContain('Chromium was not found at /nowhere/chromium (CHROMIUM_PATH): set it to a Chromium, or unset it.');
  // The tier's system would keep its DynamoDB files in a mysfits-stack-* folder: none was started.
  expect(processesMentioning('mysfits-stack-')).toEqual([]);
});
