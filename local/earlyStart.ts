/**
 * The faster start: DynamoDB Local's JVM (the slowest service to start, about 2 s alone) is started as soon as the
 * local system's plugin is loaded, while the Framework still loads the other plugins and resolves the config (a
 * single thread, so the other core is free), instead of after. Only for `serverless offline` on the local stage;
 * anything unusual (its port taken, no Java) leaves it to the normal start, which says what is wrong.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startDynamoDbLocal, type DynamoDbLocal } from '../dev/dynamodbLocal';
import { localDataDir } from '../dev/paths';
import { assertPortFree } from '../dev/ports';
import { portsFromEnv } from '../dev/stackInfo';

const STAGE = 'local';
let early: Promise<DynamoDbLocal | undefined> | undefined;

export function startDatabaseEarly(commands: readonly string[], options: Record<string, unknown>): void {
  if (early || !['offline', 'offline start'].includes(commands.join(' ')) || (options.stage ?? STAGE) !== STAGE) return;
  early = (async () => {
    const port = portsFromEnv().dynamodb;
    await assertPortFree(port, 'DYNAMODB_PORT');
    const dbPath = join(localDataDir(), 'dynamodb');
    mkdirSync(dbPath, { recursive: true });
    const db = await startDynamoDbLocal({ port, dbPath });
    process.once('exit', () => db.process.kill('SIGKILL'));
    return db;
  })().catch(() => undefined);
}

/** The database started early on `port`, if any (once: the caller owns it from then on). */
export async function takeEarlyDatabase(port: number): Promise<DynamoDbLocal | undefined> {
  const started = await early;
  early = undefined;
  if (started && started.port !== port) {
    await started.stop();
    return undefined;
  }
  return started;
}
