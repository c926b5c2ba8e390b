/** The DynamoDB document client, created once per container and reused by every invocation. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from './config';

// Short timeouts: a database that does not answer becomes a 503 within a few seconds, not a Lambda timeout.
const client = new DynamoDBClient({
  endpoint: config.dynamodbEndpoint,
  // DynamoDB Local (run with -sharedDb) accepts any credentials; local runners give handlers none.
  ...(config.dynamodbEndpoint ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  maxAttempts: 3,
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
});

export const dynamodb = DynamoDBDocumentClient.from(client, {
  marshallOptions: { removeUndefinedValues: true },
});
