/**
 * `npm run test:deployed -- --stage local`, run as a person runs it against the local system, so the post-deploy
 * checks cannot rot between deploys: they pass, and they leave the pool's users, the mysfits, their likes and
 * adoptions and the users' activity as they found them, also when a check fails on the way.
 */
import { ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../dev/paths';
import { resolvedService, stageParams } from '../../dev/service';
import { LOCAL_CREDENTIALS } from '../../shared/localCredentials';
import { cognitoClient, startTestStack, type TestStack } from '../support/localStack';

jest.setTimeout(180_000);

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.destroy());

/** What the checks may not change: users, mysfits (with likes and adoptions) and the users' activity records. */
async function state() {
  const params = stageParams(await resolvedService('local'), 'local');
  const dynamodb = new DynamoDBClient({ endpoint: stack.info.dynamodbEndpoint, region: stack.info.region, credentials: LOCAL_CREDENTIALS });
  const cognito = cognitoClient(stack);
  try {
    const scan = async (TableName: string) =>
      ((await dynamodb.send(new ScanCommand({ TableName, ConsistentRead: true }))).Items ?? []).map((item) => unmarshall(item));
    const mysfits = await scan(String(params.mysfitsTableName));
    const activity = await scan(String(params.activityTableName));
    const users = (await cognito.send(new ListUsersCommand({ UserPoolId: stack.info.userPoolId }))).Users ?? [];
    return {
      users: users.length,
      mysfits: mysfits.length,
      likes: mysfits.reduce((sum, m) => sum + Number(m.Likes ?? 0), 0),
      adopted: mysfits.filter((m) => m.Adopted === true).length,
      activity: activity.length,
    };
  } finally {
    dynamodb.destroy();
    cognito.destroy();
  }
}

function testDeployed(dataDir: string) {
  const run = spawnSync('npm', ['run', '--silent', 'test:deployed', '--', '--stage', 'local'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, LOCAL_DATA_DIR: dataDir, FORCE_COLOR: '0' },
    encoding: 'utf8',
    timeout: 150_000,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

test('npm run test:deployed -- --stage local passes against the local system, and leaves users, likes and adoptions as they were', async () => {
  const before = await state();
  const run = testDeployed(stack.dataDir);
  expect(run.output).toMatch(/Tests:\s+(\d+) passed, \1 total/);
  expect(run.status).toBe(0);
  expect(await state()).toEqual(before);
  expect(before.users).toBe(0);
  expect(before.mysfits).toBe(12);
});

test('when checks fail (the API unreachable), it exits 1 and still cleans up the user and its mysfit', async () => {
  // The same system, but stack.json names an API address where nothing listens.
  const dataDir = mkdtempSync(join(tmpdir(), 'mysfits-deployed-'));
  try {
    writeFileSync(join(dataDir, 'stack.json'), JSON.stringify({ ...stack.info, apiUrl: 'http://127.0.0.1:1/local' }));
    const before = await state();
    const run = testDeployed(dataDir);
    expect(run.output).toMatch(/Tests:\s+\d+ failed/);
    expect(run.output).not.toContain('The clean-up left something behind');
    expect(run.status).toBe(1);
    expect(await state()).toEqual(before);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
