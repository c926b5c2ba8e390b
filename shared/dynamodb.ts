/** The DynamoDB document client, created once per container and reused by every invocation. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS } from './localCredentials';
import { captureClient } from './tracing';

// Short timeouts (DynamoDB answers in milliseconds): a database that does not answer becomes a 503 within about
// 3.5 s per call (2 attempts of at most 1.5 s, plus backoff), well inside the 10 s Lambda timeout even for the two
// calls of a like, instead of a Lambda timeout and a 502.
/** Set only when talking to DynamoDB Local; in AWS the SDK finds the regional endpoint itself. */
export const endpoint = process.env.DYNAMODB_ENDPOINT || undefined;

// Every call an X-Ray subsegment (shared/tracing.ts); the document client below shares this client's middleware.
const client = captureClient(
  new DynamoDBClient({
    endpoint,
    // DynamoDB Local (run with -sharedDb) accepts any credentials; local runners give handlers none.
    ...(endpoint ? { credentials: LOCAL_CREDENTIALS } : {}),
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 1_500 },
  }),
  'DynamoDB',
);

export const dynamodb = DynamoDBDocumentClient.from(client, {
  marshallOptions: { removeUndefinedValues: true },
});
