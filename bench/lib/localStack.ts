/** The local system as a person starts it (dev/launcher.ts), on free ports with its own data folder, timed to its first 200. */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts, launch, type Command, type Ports } from '../../dev/launcher';
import { cleanupOnInterrupt, progress } from './part';

const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;

export type RunningStack = Awaited<ReturnType<typeof startOnce>>;

/** The system was ended by a signal the bench did not send (something else on the machine stopped it). */
class StoppedFromOutside extends Error {}

/** Starts the system, again (twice at most) if something else on the machine signals it before it is up. */
export async function startLocalStack(
  dataDir: string,
  options: { ports?: Ports; command?: Command; emptyDataFolder?: boolean } = {},
): Promise<RunningStack> {
  for (let attempt = 0; ; attempt++) {
    // A start that was cut short leaves data behind: a start meant to find an empty folder gets one again.
    if (attempt > 0 && options.emptyDataFolder) {
      rmSync(dataDir, { recursive: true, force: true });
      mkdirSync(dataDir, { recursive: true });
    }
    try {
      return await startOnce(dataDir, options.ports ?? (await freePorts()), options.command ?? 'serverless offline', attempt);
    } catch (error) {
      if (!(error instanceof StoppedFromOutside) || attempt >= 2) throw error;
      progress(`${error.message.split('\n')[0]}: starting it again`);
    }
  }
}

/** `retried`: how often something else stopped the system while it started; `stop()` sends SIGTERM and times the exit. */
async function startOnce(dataDir: string, ports: Ports, command: Command, retried: number) {
  // Unlike the stack tests, VERBOSE off.
  const system = launch({ dataDir, ports, command, env: { VERBOSE: '' }, timeoutMs: START_TIMEOUT_MS });
  const stop = async () => {
    const from = performance.now();
    const code = await system.stop(STOP_TIMEOUT_MS);
    release();
    return { stopMs: performance.now() - from, code };
  };
  const release = cleanupOnInterrupt(stop);
  const url = `http://127.0.0.1:${ports.api}/local/mysfits`;
  try {
    const deadline = Date.now() + START_TIMEOUT_MS;
    // Spawn to the first 200 of GET <api>/mysfits.
    let firstOkMs: number | undefined;
    while (firstOkMs === undefined) {
      const { exitCode, signalCode } = system.child;
      if (exitCode !== null || signalCode !== null) {
        // 128 + n: the system died of a signal. The bench sends none before it stops the system.
        const Failure = signalCode !== null || (exitCode ?? 0) > 128 ? StoppedFromOutside : Error;
        throw new Failure(
          `the local system exited (${signalCode ?? `code ${exitCode}`}) before it answered:\n${system.output().slice(-4000)}`,
        );
      }
      if (Date.now() > deadline) throw new Error(`the local system did not answer 200 at ${url} within ${START_TIMEOUT_MS / 1000} s`);
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
        await response.arrayBuffer();
        if (response.status === 200) firstOkMs = performance.now() - system.startedAt;
      } catch {
        // not listening yet
      }
      if (firstOkMs === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // stack.json (and the banner) follow the system's own readiness check, moments later.
    const info = await system.ready;
    // What the system's own banner says (local/banner.ts: "is up: X s from the start of the command").
    const banner = /is up: ([\d.]+) s/.exec(system.output());
    return { info, ports, firstOkMs, bannerMs: banner ? Number(banner[1]) * 1000 : undefined, retried, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Runs `work` against a system started in a data folder of its own; stops it and deletes the folder, whatever happens. */
export async function withLocalSystem<T>(work: (stack: RunningStack) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mysfits-bench-'));
  try {
    progress('starting the local system (free ports, its own data folder)');
    const stack = await startLocalStack(dataDir, { emptyDataFolder: true });
    try {
      return await work(stack);
    } finally {
      progress('stopping the local system');
      await stack.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
