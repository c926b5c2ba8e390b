/**
 * Seeds the twelve mysfits (data/mysfits.json) into a mysfits table, locally or in a deployed stage. Idempotent:
 * facts are (re)written, likes and adoptions are kept.
 *
 *   npm run seed -- --table mysfits-prod-mysfits --region us-east-1
 *   npm run seed -- --table mysfits-local-mysfits --endpoint http://127.0.0.1:8000
 */
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { seedMysfits } from '../dev/seed';
import { LOCAL_CREDENTIALS } from '../shared/localCredentials';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { table: { type: 'string' }, endpoint: { type: 'string' }, region: { type: 'string' } },
  });
  if (!values.table) {
    console.error('Usage: npm run seed -- --table <mysfits table name> [--endpoint <url>] [--region <region>]');
    process.exit(2);
  }
  // DynamoDB Local accepts any credentials; a deployed stage uses the caller's usual AWS credentials.
  const local = values.endpoint !== undefined;
  const client = new DynamoDBClient({
    endpoint: values.endpoint,
    region: values.region ?? (local ? 'us-east-1' : undefined),
    ...(local && !process.env.AWS_ACCESS_KEY_ID ? { credentials: LOCAL_CREDENTIALS } : {}),
  });
  const count = await seedMysfits(client, values.table);
  console.log(`Seeded ${count} mysfits into ${values.table}${local ? ` at ${values.endpoint}` : ''}`);
}

main().catch((error: Error) => {
  console.error(`Seeding failed: ${error.name}: ${error.message}`);
  process.exit(1);
});
