/**
 * The settings tests/unit/env.ts gives every function before it loads. Unit tests mock DynamoDB, so the table names
 * are only labels, but responses and the commands sent must carry these values: tests/support/fixtures.ts re-exports them.
 * No imports: tests/unit/env.ts runs before any module under test.
 */
export const MYSFITS_TABLE = 'test-mysfits';
export const ACTIVITY_TABLE = 'test-user-activity';
export const CORS_ORIGIN = 'https://mysfits.test';
/** POST /clicks: the delivery stream it writes to, and the user pool whose ID tokens it recognises. */
export const CLICKS_STREAM = 'test-clicks';
export const COGNITO_ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TEST00001';
export const COGNITO_CLIENT_ID = 'test-website-client';
/** Where recordClicks keeps the day's salt for visitors' pseudonyms. */
export const VISITOR_SALTS_TABLE = 'test-visitor-salts';

export const UNIT_ENVIRONMENT = {
  MYSFITS_TABLE,
  ACTIVITY_TABLE,
  CORS_ORIGIN,
  CLICKS_STREAM,
  COGNITO_ISSUER,
  COGNITO_CLIENT_ID,
  VISITOR_SALTS_TABLE,
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
} as const;
