// The integration tier runs the handlers in-process against the DynamoDB Local that globalSetup started.
// Each test file gets tables of its own, named before any function module reads its settings.
import { randomUUID } from 'node:crypto';

if (!process.env.DYNAMODB_ENDPOINT)
  throw new Error('DYNAMODB_ENDPOINT is not set: run this tier through jest, whose globalSetup starts DynamoDB Local');
const suffix = randomUUID().slice(0, 8);
process.env.MYSFITS_TABLE = `it-${suffix}-mysfits`;
process.env.ACTIVITY_TABLE = `it-${suffix}-user-activity`;
process.env.VISITOR_SALTS_TABLE = `it-${suffix}-visitor-salts`;
process.env.CORS_ORIGIN = '*';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_REGION = 'us-east-1';
process.env.AWS_ACCESS_KEY_ID = 'local';
process.env.AWS_SECRET_ACCESS_KEY = 'local';
