/**
 * `npm run dynamodb`: DynamoDB Local on 127.0.0.1:$DYNAMODB_PORT (8000), data kept in .local/dynamodb, with the
 * local stage's tables created and seeded. Runs until Ctrl-C. `npm start` runs it as part of the whole stack.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startDynamoDbLocal, type DynamoDbLocal } from './lib/dynamodbLocal';
import { PROJECT_ROOT, stageTableNames } from './lib/serverlessConfig';
import { createTables } from './lib/tables';
import { seedMysfits } from './seed';

export const LOCAL_DATA_DIR = join(PROJECT_ROOT, '.local');

/** Starts the local stage's database (persistent unless `inMemory`) and makes sure its tables exist and are seeded. */
export async function startLocalDatabase(port: number, options: { inMemory?: boolean } = {}): Promise<DynamoDbLocal> {
  let dbPath: string | undefined;
  if (!options.inMemory) {
    dbPath = join(LOCAL_DATA_DIR, 'dynamodb');
    mkdirSync(dbPath, { recursive: true });
  }
  const db = await startDynamoDbLocal({ port, dbPath });
  const client = new DynamoDBClient({
    endpoint: db.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const names = stageTableNames('local');
  await createTables(client, names);
  await seedMysfits(client, names.mysfitsTableName);
  client.destroy();
  return db;
}

async function main(): Promise<void> {
  const port = Number(process.env.DYNAMODB_PORT ?? 8000);
  const db = await startLocalDatabase(port);
  const names = stageTableNames('local');
  console.log(`DynamoDB Local at ${db.endpoint} (data in .local/dynamodb), tables ${names.mysfitsTableName} and ${names.activityTableName}, seeded.`);
  console.log('Ctrl-C stops it.');
  const stop = () => void db.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(`DynamoDB Local failed to start: ${error.message}`);
    process.exit(1);
  });
}
