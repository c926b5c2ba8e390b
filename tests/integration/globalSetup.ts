/** Starts one in-memory DynamoDB Local on a free port for the integration tier; every test file makes its own tables. */
import { startDynamoDbLocal, type DynamoDbLocal } from '../../dev/dynamodbLocal';

declare global {
  var __dynamodbLocal: DynamoDbLocal | undefined;
}

export default async function globalSetup(): Promise<void> {
  const db = await startDynamoDbLocal();
  globalThis.__dynamodbLocal = db;
  // Inherited by the test workers, which start after this.
  process.env.DYNAMODB_ENDPOINT = db.endpoint;
}
