/** A DynamoDB Local of the benchmark's own: in memory on a free port, with the tables of serverless.yml, seeded. */
import { LOCAL_CREDENTIALS } from '../../shared/localCredentials';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startDynamoDbLocal } from '../../dev/dynamodbLocal';
import { createTables, localTables } from '../../dev/tables';
import { seedMysfits } from '../../dev/seed';

export const BENCH_TABLES = { mysfitsTableName: 'bench-mysfits', activityTableName: 'bench-user-activity' };

export interface BenchDatabase {
  endpoint: string;
  /** The settings a function needs to run against this database (what serverless.yml gives it). */
  functionEnv: Record<string, string>;
  stop(): Promise<void>;
}

export async function startBenchDatabase(): Promise<BenchDatabase> {
  const db = await startDynamoDbLocal();
  const client = new DynamoDBClient({ endpoint: db.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  try {
    await createTables(client, await localTables(BENCH_TABLES));
    await seedMysfits(client, BENCH_TABLES.mysfitsTableName, 'http://127.0.0.1:8080');
  } catch (error) {
    await db.stop();
    throw error;
  } finally {
    client.destroy();
  }
  return {
    endpoint: db.endpoint,
    functionEnv: {
      MYSFITS_TABLE: BENCH_TABLES.mysfitsTableName,
      ACTIVITY_TABLE: BENCH_TABLES.activityTableName,
      CORS_ORIGIN: '*',
      DYNAMODB_ENDPOINT: db.endpoint,
      AWS_REGION: 'us-east-1',
      POWERTOOLS_SERVICE_NAME: 'mysfits',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    stop: () => db.stop(),
  };
}
