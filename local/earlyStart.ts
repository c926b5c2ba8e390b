/**
 * The faster start: DynamoDB Local's JVM (the slowest service to start, 1 to 2 s) is started as soon as the Framework
 * requires the local system's plugin (plugin.cjs, from the command line as typed), while the Framework still loads
 * the plugins and resolves the config (a single thread, so the other core is free), instead of after. Only for
 * `serverless offline` on the local stage: the plugin's constructor checks the guess against what the Framework
 * parsed, and stops the JVM if it was wrong. Anything unusual (its port taken, no Java) leaves it to the normal start,
 * which says what is wrong.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startDynamoDbLocal, type DynamoDbLocal } from '../dev/dynamodbLocal';
import { localDataDir } from '../dev/paths';
import { portsFromEnv } from '../dev/stackInfo';

const STAGE = 'local';
let early: { database: Promise<DynamoDbLocal | undefined>; failed: boolean } | undefined;

/** Whether `port` can be bound on 127.0.0.1 right now, answered synchronously by a node of its own (about 50 ms). */
function portFreeNow(port: number): boolean {
  const probe = `require('node:net').createServer().once('error', () => process.exit(1)).listen(${port}, '127.0.0.1', function () { this.close(() => process.exit(0)); })`;
  return spawnSync(process.execPath, ['-e', probe], { stdio: 'ignore', timeout: 5_000 }).status === 0;
}

const isLocalOffline = (commands: readonly string[], stage: unknown) =>
  ['offline', 'offline start'].includes(commands.join(' ')) && (stage ?? STAGE) === STAGE;

/** The commands and stage of `serverless <command...> [--stage <s> | -s <s>] ...`, as typed; options before the command are not read. */
export function commandLine(argv: readonly string[]): { commands: string[]; stage?: string } {
  const first = argv.findIndex((arg) => arg.startsWith('-'));
  const commands = argv.slice(0, first === -1 ? argv.length : first);
  let stage: string | undefined;
  argv.forEach((arg, index) => {
    if (arg === '--stage' || arg === '-s') stage = argv[index + 1];
    else if (arg.startsWith('--stage=')) stage = arg.slice('--stage='.length);
  });
  return { commands, stage };
}

/** Starts DynamoDB Local now if the command is `serverless offline` on the local stage (once). */
export function startDatabaseEarly(commands: readonly string[], stage: unknown): void {
  if (early || !isLocalOffline(commands, stage)) return;
  const port = portsFromEnv().dynamodb;
  // Now, not after an await: the Framework goes on loading plugins without letting the event loop run for a second
  // or two. So the port is tried synchronously (an async check would wait for that), and the JVM spawned at once.
  if (!portFreeNow(port)) return;
  const dbPath = join(localDataDir(), 'dynamodb');
  mkdirSync(dbPath, { recursive: true });
  const starting = { failed: false, database: Promise.resolve<DynamoDbLocal | undefined>(undefined) };
  starting.database = startDynamoDbLocal({ port, dbPath, endsWithThisProcess: true, warmUp: true }).catch(() => {
    starting.failed = true;
    return undefined;
  });
  early = starting;
}

/** With what the Framework parsed: a database started on a wrong guess is stopped; one not started yet starts. */
export function confirmEarlyStart(commands: readonly string[], stage: unknown): void {
  if (!isLocalOffline(commands, stage)) {
    void early?.database.then((db) => db?.stop());
    early = undefined;
    return;
  }
  startDatabaseEarly(commands, stage);
}

/**
 * The database started early (on DYNAMODB_PORT, as the local system's), still starting or up, without waiting for it
 * (the JVM keeps starting while the functions are bundled); undefined when none was started or it has failed
 * already. Once: the caller owns it.
 */
export function takeEarlyDatabase(): Promise<DynamoDbLocal | undefined> | undefined {
  const taken = early;
  early = undefined;
  return taken && !taken.failed ? taken.database : undefined;
}
