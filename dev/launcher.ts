/**
 * Runs the local system the way a person does (`serverless offline`, or `npm start`) in a process group of its
 * own, on the given ports and data folder, and knows it is up when `<data>/stack.json` appears (the plugin writes
 * it once every part answers). Stopping sends SIGTERM to the group, as Ctrl-C would, and waits for the exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { join } from 'node:path';
import type { Ports, StackInfo } from './stackInfo';
import { PROJECT_ROOT } from './paths';
import { freePort } from './ports';

export type { Ports, StackInfo };

const SERVERLESS_BIN = join(PROJECT_ROOT, 'node_modules', 'serverless', 'bin', 'serverless.js');

/** The commands a person runs; each starts the same thing. */
export const COMMANDS = {
  'serverless offline': [process.execPath, SERVERLESS_BIN, 'offline'],
  'serverless offline start': [process.execPath, SERVERLESS_BIN, 'offline', 'start'],
  'npm start': ['npm', 'start', '--silent'],
  /** With Node's inspector on 127.0.0.1:$DEBUG_PORT (9230). */
  'npm run start:debug': ['npm', 'run', '--silent', 'start:debug'],
} as const;

export type Command = keyof typeof COMMANDS;

export async function freePorts(): Promise<Ports> {
  const [api, web, cognito, dynamodb, lambda, offline, firehose] = await Promise.all(Array.from({ length: 7 }, () => freePort()));
  return { api, web, cognito, dynamodb, lambda, offline, firehose } as Ports;
}

/** The environment that puts the system on `ports` with its data in `dataDir`. */
export function systemEnv(ports: Ports, dataDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    LOCAL_DATA_DIR: dataDir,
    API_PORT: String(ports.api),
    WEB_PORT: String(ports.web),
    COGNITO_PORT: String(ports.cognito),
    DYNAMODB_PORT: String(ports.dynamodb),
    LAMBDA_PORT: String(ports.lambda),
    OFFLINE_PORT: String(ports.offline),
    FIREHOSE_PORT: String(ports.firehose),
    LEGACY_LIST_URL: '',
    SLS_TELEMETRY_DISABLED: '1',
    FORCE_COLOR: '0',
    ...extra,
  };
}

export interface LaunchOptions {
  dataDir: string;
  ports: Ports;
  command?: Command;
  /** More environment (LEGACY_LIST_URL, VERBOSE...). */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export interface Launched {
  child: ChildProcess;
  startedAt: number;
  output(): string;
  exited: Promise<number | null>;
  /** Resolves with stack.json once the system is up; rejects if it exits first or takes longer than the timeout. */
  ready: Promise<StackInfo>;
  /** SIGTERM to the group, then, once every process of it has gone, the exit code; SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<number | null>;
}

export function launch(options: LaunchOptions): Launched {
  const [file, ...args] = COMMANDS[options.command ?? 'serverless offline'];
  const startedAt = performance.now();
  const child = spawn(file, args, {
    cwd: PROJECT_ROOT,
    env: systemEnv(options.ports, options.dataDir, options.env),
    // A process group of its own: stopping it reaches every process it started.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 400_000) output = output.slice(-200_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  // 128 + the signal's number when a signal ended it, as a shell reports it.
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 + (osConstants.signals[signal] ?? 0) : null))),
  );
  const stackFile = join(options.dataDir, 'stack.json');

  const ready = new Promise<StackInfo>((resolve, reject) => {
    const timeoutMs = options.timeoutMs ?? 120_000;
    const deadline = Date.now() + timeoutMs;
    let done = false;
    void exited.then((code) => {
      if (!done) reject(new Error(`the local system exited with code ${code} before it was up:\n${output.slice(-6000)}`));
      done = true;
    });
    const poll = () => {
      if (done) return;
      if (existsSync(stackFile)) {
        done = true;
        return resolve(JSON.parse(readFileSync(stackFile, 'utf8')) as StackInfo);
      }
      if (Date.now() > deadline) {
        done = true;
        return reject(new Error(`the local system was not up within ${timeoutMs / 1000} s:\n${output.slice(-6000)}`));
      }
      setTimeout(poll, 50);
    };
    poll();
  });
  ready.catch(() => undefined);

  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  /** True while any process of the group is left (npm start's npm exits before the system it started has stopped). */
  const groupAlive = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 0);
      return child.pid !== undefined;
    } catch {
      return false;
    }
  };
  const stop = async (graceMs = 30_000) => {
    if (child.exitCode === null && child.signalCode === null) signalGroup('SIGTERM');
    const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
    const code = await exited;
    while (groupAlive()) await new Promise((resolve) => setTimeout(resolve, 20));
    clearTimeout(timer);
    return code;
  };
  return { child, startedAt, output: () => output, exited, ready, stop };
}
