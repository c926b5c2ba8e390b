/**
 * The local stack as `npm start` runs it (tsx local/start.ts), in a child process on free ports with its own data
 * folder, timed from spawn to the first 200 of GET /mysfits and stopped with SIGTERM. Unlike the stack tests'
 * helper it leaves VERBOSE off, so serverless offline's per-request lines are not relayed to the bench process.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Ports, StackInfo } from '../../local/stack';
import { freePorts } from '../../tests/support/localStack';
import { ROOT } from './functions';
import { cleanupOnInterrupt } from './part';

const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
/** The stage npm start serves (local/stack.ts). */
const STAGE = 'local';
const POLL_EVERY_MS = 50;
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;

export interface RunningStack {
  info: StackInfo;
  ports: Ports;
  dataDir: string;
  /** spawn to the first 200 of GET <api>/mysfits. */
  firstOkMs: number;
  /** What the stack's own banner says ("started in X s"), in ms. */
  bannerMs?: number;
  output(): string;
  /** SIGTERM, and the time until the stack has exited (it stops everything it started). */
  stop(): Promise<{ stopMs: number; code: number | null }>;
}

/** The stack was ended by a signal the bench did not send (something else on the machine stopped it). */
export class StoppedFromOutside extends Error {}

/**
 * Starts the stack; if something else on the machine signals it before it is up, starts it again (up to `retries`
 * times), and reports how often that happened in `retried`.
 */
export async function startLocalStackRetrying(
  dataDir: string,
  ports: Ports | undefined,
  options: { emptyDataFolder?: boolean; retries?: number } = {},
): Promise<RunningStack & { retried: number }> {
  for (let attempt = 0; ; attempt++) {
    try {
      // A start that was cut short leaves data behind: a start meant to find an empty folder gets one again.
      if (attempt > 0 && options.emptyDataFolder) {
        rmSync(dataDir, { recursive: true, force: true });
        mkdirSync(dataDir, { recursive: true });
      }
      return { ...(await startLocalStack(dataDir, ports)), retried: attempt };
    } catch (error) {
      if (!(error instanceof StoppedFromOutside) || attempt >= (options.retries ?? 2)) throw error;
      process.stderr.write(`  · ${error.message.split('\n')[0]}: starting it again\n`);
    }
  }
}

export async function startLocalStack(dataDir: string, ports?: Ports): Promise<RunningStack> {
  const chosen = ports ?? (await freePorts());
  const apiUrl = `http://127.0.0.1:${chosen.api}/${STAGE}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOCAL_DATA_DIR: dataDir,
    // API_PORT, WEB_PORT, COGNITO_PORT, DYNAMODB_PORT, LAMBDA_PORT, OFFLINE_PORT... one per port the stack takes.
    ...Object.fromEntries(Object.entries(chosen).map(([name, port]) => [`${name.toUpperCase()}_PORT`, String(port)])),
    LEGACY_LIST_URL: '',
  };
  delete env.VERBOSE;

  const started = process.hrtime.bigint();
  // Its own process group: if stopping it ever times out, the whole group can be killed.
  const child = spawn(process.execPath, [TSX, join(ROOT, 'local', 'start.ts')], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const killGroup = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const stop = async () => {
    const from = process.hrtime.bigint();
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(killGroup, STOP_TIMEOUT_MS);
    const code = await exited;
    clearTimeout(timer);
    release();
    return { stopMs: Number(process.hrtime.bigint() - from) / 1e6, code };
  };
  const release = cleanupOnInterrupt(stop);

  try {
    const deadline = Date.now() + START_TIMEOUT_MS;
    let firstOkMs: number | undefined;
    while (firstOkMs === undefined) {
      if (child.exitCode !== null || child.signalCode !== null) {
        const how = child.signalCode ?? `code ${child.exitCode}`;
        // 143 = 128 + SIGTERM: tsx passes on the signal its child died of. The bench sends none before it stops the stack.
        const Failure = child.signalCode !== null || (child.exitCode ?? 0) > 128 ? StoppedFromOutside : Error;
        throw new Failure(`the local stack exited (${how}) before it answered:\n${output.slice(-4000)}`);
      }
      if (Date.now() > deadline) throw new Error(`the local stack did not answer 200 at ${apiUrl}/mysfits within ${START_TIMEOUT_MS / 1000} s:\n${output.slice(-4000)}`);
      try {
        const response = await fetch(`${apiUrl}/mysfits`, { signal: AbortSignal.timeout(2_000) });
        await response.arrayBuffer();
        if (response.status === 200) firstOkMs = Number(process.hrtime.bigint() - started) / 1e6;
      } catch {
        // not listening yet
      }
      if (firstOkMs === undefined) await new Promise((resolve) => setTimeout(resolve, POLL_EVERY_MS));
    }
    // The banner (and stack.json) follow the stack's own readiness check, moments later.
    while (!output.includes('Mysfits local stack is up')) {
      if (child.exitCode !== null) throw new Error(`the local stack exited with code ${child.exitCode}:\n${output.slice(-4000)}`);
      if (Date.now() > deadline) throw new Error(`no banner from the local stack within ${START_TIMEOUT_MS / 1000} s:\n${output.slice(-4000)}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_EVERY_MS));
    }
    const banner = /started in ([\d.]+) s/.exec(output);
    const info = JSON.parse(readFileSync(join(dataDir, 'stack.json'), 'utf8')) as StackInfo;
    return { info, ports: chosen, dataDir, firstOkMs, bannerMs: banner ? Number(banner[1]) * 1000 : undefined, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
