/** A DynamoDB Local of the benchmark's own: in memory on a free port, with the tables of serverless.yml, seeded. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startDynamoDbLocal } from '../../dev/dynamodbLocal';
import { seedMysfits } from '../../dev/seed';
import { createTables, localTables } from '../../dev/tables';
import { LOCAL_CREDENTIALS } from '../../shared/localCredentials';

const TABLES = { mysfitsTableName: 'bench-mysfits', activityTableName: 'bench-user-activity' };

export async function startBenchDatabase() {
  const db = await startDynamoDbLocal();
  const client = new DynamoDBClient({ endpoint: db.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  try {
    await createTables(client, await localTables(TABLES));
    await seedMysfits(client, TABLES.mysfitsTableName, 'http://127.0.0.1:8080');
  } catch (error) {
    await db.stop();
    throw error;
  } finally {
    client.destroy();
  }
  // The settings a function needs to run against this database (what serverless.yml gives it).
  const functionEnv = {
    MYSFITS_TABLE: TABLES.mysfitsTableName,
    ACTIVITY_TABLE: TABLES.activityTableName,
    CORS_ORIGIN: '*',
    DYNAMODB_ENDPOINT: db.endpoint,
    AWS_REGION: 'us-east-1',
    POWERTOOLS_SERVICE_NAME: 'mysfits',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  return { endpoint: db.endpoint, functionEnv, stop: () => db.stop() };
}
