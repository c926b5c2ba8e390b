/**
 * The local system as a person starts it (`serverless offline`, or `npm start`: dev/launcher.ts), in a child process
 * group on free ports with its own data folder, timed from spawn to the first 200 of GET /mysfits and stopped with
 * SIGTERM. Unlike the stack tests it leaves VERBOSE off.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { freePorts, launch, type Command, type Ports, type StackInfo } from '../../dev/launcher';
import { cleanupOnInterrupt } from './part';

/** The stage the local system serves. */
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
  /** What the system's own banner says ("started in X s"), in ms. */
  bannerMs?: number;
  output(): string;
  /** SIGTERM, and the time until the system has exited (it stops everything it started). */
  stop(): Promise<{ stopMs: number; code: number | null }>;
}

/** The system was ended by a signal the bench did not send (something else on the machine stopped it). */
export class StoppedFromOutside extends Error {}

/**
 * Starts the system; if something else on the machine signals it before it is up, starts it again (up to `retries`
 * times), and reports how often that happened in `retried`.
 */
export async function startLocalStackRetrying(
  dataDir: string,
  ports: Ports | undefined,
  options: { emptyDataFolder?: boolean; retries?: number; command?: Command } = {},
): Promise<RunningStack & { retried: number }> {
  for (let attempt = 0; ; attempt++) {
    try {
      // A start that was cut short leaves data behind: a start meant to find an empty folder gets one again.
      if (attempt > 0 && options.emptyDataFolder) {
        rmSync(dataDir, { recursive: true, force: true });
        mkdirSync(dataDir, { recursive: true });
      }
      return { ...(await startLocalStack(dataDir, ports, options.command)), retried: attempt };
    } catch (error) {
      if (!(error instanceof StoppedFromOutside) || attempt >= (options.retries ?? 2)) throw error;
      process.stderr.write(`  · ${error.message.split('\n')[0]}: starting it again\n`);
    }
  }
}

export async function startLocalStack(dataDir: string, ports?: Ports, command: Command = 'serverless offline'): Promise<RunningStack> {
  const chosen = ports ?? (await freePorts());
  const apiUrl = `http://127.0.0.1:${chosen.api}/${STAGE}`;
  const system = launch({ dataDir, ports: chosen, command, env: { VERBOSE: '' }, timeoutMs: START_TIMEOUT_MS });
  const stop = async () => {
    const from = performance.now();
    const code = await system.stop(STOP_TIMEOUT_MS);
    release();
    return { stopMs: performance.now() - from, code };
  };
  const release = cleanupOnInterrupt(stop);

  try {
    const deadline = Date.now() + START_TIMEOUT_MS;
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
      if (Date.now() > deadline)
        throw new Error(`the local system did not answer 200 at ${apiUrl}/mysfits within ${START_TIMEOUT_MS / 1000} s`);
      try {
        const response = await fetch(`${apiUrl}/mysfits`, { signal: AbortSignal.timeout(2_000) });
        await response.arrayBuffer();
        if (response.status === 200) firstOkMs = performance.now() - system.startedAt;
      } catch {
        // not listening yet
      }
      if (firstOkMs === undefined) await new Promise((resolve) => setTimeout(resolve, POLL_EVERY_MS));
    }
    // stack.json (and the banner) follow the system's own readiness check, moments later.
    const info = await system.ready;
    const banner = /started in ([\d.]+) s/.exec(system.output());
    return {
      info,
      ports: chosen,
      dataDir,
      firstOkMs,
      bannerMs: banner ? Number(banner[1]) * 1000 : undefined,
      output: system.output,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
