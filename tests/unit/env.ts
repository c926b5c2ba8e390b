// Settings every function reads at cold start; unit tests mock DynamoDB, so the names are only labels.
process.env.MYSFITS_TABLE = 'test-mysfits';
process.env.ACTIVITY_TABLE = 'test-user-activity';
process.env.CORS_ORIGIN = 'https://mysfits.test';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.AWS_REGION = 'us-east-1';
process.env.AWS_ACCESS_KEY_ID = 'test';
process.env.AWS_SECRET_ACCESS_KEY = 'test';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
