/**
 * Seeds the twelve mysfits (data/mysfits.json) into a mysfits table, locally or in a deployed stage. Idempotent:
 * facts are (re)written, likes and adoptions are kept. The pictures' addresses point at the stage's website (--site:
 * its WebsiteUrl output in AWS, which the deploy prints; the local web server locally, which `npm start` seeds itself).
 *
 *   npm run seed -- --table mysfits-prod-mysfits --region us-east-1 --site https://d111111abcdef8.cloudfront.net
 *   npm run seed -- --table mysfits-local-mysfits --endpoint http://127.0.0.1:8000 --site http://127.0.0.1:8080
 */
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SEED_MYSFITS, seedMysfits } from '../dev/seed';
import { LOCAL_CREDENTIALS } from '../shared/localCredentials';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { table: { type: 'string' }, endpoint: { type: 'string' }, region: { type: 'string' }, site: { type: 'string' } },
  });
  if (!values.table || !values.site) {
    console.error('Usage: npm run seed -- --table <mysfits table name> --site <website URL> [--endpoint <url>] [--region <region>]');
    process.exit(2);
  }
  if (!/^https?:\/\/[^/]+\/?$/.test(values.site)) {
    console.error(`--site must be the website's address, as https://d111111abcdef8.cloudfront.net (not ${values.site}).`);
    process.exit(2);
  }
  // DynamoDB Local accepts any credentials; a deployed stage uses the caller's usual AWS credentials.
  const local = values.endpoint !== undefined;
  const client = new DynamoDBClient({
    endpoint: values.endpoint,
    region: values.region ?? (local ? 'us-east-1' : undefined),
    ...(local && !process.env.AWS_ACCESS_KEY_ID ? { credentials: LOCAL_CREDENTIALS } : {}),
  });
  const count = await seedMysfits(client, values.table, values.site);
  const where = `${values.table}${local ? ` at ${values.endpoint}` : ''}`;
  console.log(
    `Seeded ${where}: ${count} of ${SEED_MYSFITS.length} mysfits written (the others were up to date), pictures on ${values.site}`,
  );
}

main().catch((error: Error) => {
  console.error(`Seeding failed: ${error.name}: ${error.message}`);
  process.exit(1);
});
