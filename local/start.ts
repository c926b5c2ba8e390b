/**
 * `npm start`: the whole system on 127.0.0.1 until Ctrl-C. Ports from API_PORT, WEB_PORT, COGNITO_PORT,
 * DYNAMODB_PORT, LAMBDA_PORT, FIREHOSE_PORT (and OFFLINE_PORT in legacy mode); LEGACY_LIST_URL turns legacy mode on.
 * Data persists in .local/, or in LOCAL_DATA_DIR (`npm run start:fresh` deletes .local first).
 */
import { join, relative } from 'node:path';
import { PROJECT_ROOT } from '../scripts/lib/serverlessConfig';
import { portsFromEnv, startStack, StartError, type Stack } from './stack';

async function main(): Promise<void> {
  const started = performance.now();
  const legacyListUrl = process.env.LEGACY_LIST_URL || undefined;
  const dataDir = process.env.LOCAL_DATA_DIR || join(PROJECT_ROOT, '.local');
  console.log('Starting the Mysfits local stack...');
  let stack: Stack;
  try {
    stack = await startStack({ ports: portsFromEnv(), dataDir, legacyListUrl, verbose: process.env.VERBOSE === '1' });
  } catch (error) {
    console.error(`\nThe local stack could not start: ${(error as Error).message}`);
    process.exit(1);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const { info } = stack;
  const lines = [
    `Mysfits local stack is up (started in ${seconds} s)`,
    '',
    `  Website        ${info.websiteUrl}`,
    `  API            ${info.apiUrl}    (try ${info.apiUrl}/mysfits)`,
    `  Mailbox        ${info.mailboxUrl}    (JSON: ${info.websiteUrl}/mailbox.json)`,
    `  Cognito        ${info.cognitoEndpoint}    user pool ${info.userPoolId}, client ${info.userPoolClientId}`,
    `  DynamoDB       ${info.dynamodbEndpoint}    region ${info.region}`,
    `  Clicks         ${relative(PROJECT_ROOT, join(dataDir, 'clicks-bucket'))}/    (npm run report)`,
    ...(legacyListUrl ? [`  Legacy mode    GET /mysfits -> ${legacyListUrl}/mysfits`] : []),
    '',
    `  All of it as JSON: ${relative(PROJECT_ROOT, join(dataDir, 'stack.json'))}.   Ctrl-C stops everything.`,
  ];
  const width = Math.max(...lines.map((l) => l.length)) + 2;
  console.log(`\n┌${'─'.repeat(width)}┐\n${lines.map((l) => `│ ${l.padEnd(width - 1)}│`).join('\n')}\n└${'─'.repeat(width)}┘`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the local stack...`);
    void stack.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: Error) => {
  console.error(error instanceof StartError ? error.message : error);
  process.exit(1);
});
