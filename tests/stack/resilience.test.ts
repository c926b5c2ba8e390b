/** The local stack keeps its data across a restart, survives its database going away, and stops cleanly. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startDynamoDbLocal } from '../../dev/dynamodbLocal';
import { api, EVANGELINE, newUser, startTestStack, type TestStack } from '../support/localStack';

jest.setTimeout(180_000);

const processesMentioning = (text: string) =>
  execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(text) && !line.startsWith('ps '));

const listening = async (port: number) => {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1_000) });
    return true;
  } catch {
    return false;
  }
};

let stack: TestStack;
afterAll(() => stack?.destroy());

test('likes, adoptions, users and the pool survive a restart; SIGTERM stops every child', async () => {
  // Arrange: a user who likes and adopts
  stack = await startTestStack();
  const user = await newUser(stack, 'restart');
  await api(stack, `/mysfits/${EVANGELINE}/like`, { method: 'POST', token: user.idToken });
  await api(stack, `/mysfits/${EVANGELINE}/adopt`, { method: 'POST', token: user.idToken });
  const before = stack.info;

  // Act: SIGTERM (as Ctrl-C), then start again on the same data
  expect(await stack.stop()).toBe(0);
  for (const port of Object.values(stack.ports)) expect(await listening(port)).toBe(false);
  expect(processesMentioning(stack.dataDir)).toEqual([]);
  stack = await startTestStack({ dataDir: stack.dataDir, ports: stack.ports });

  // Assert: same pool and client, the token still valid, the data kept
  expect(stack.info.userPoolId).toBe(before.userPoolId);
  expect(stack.info.userPoolClientId).toBe(before.userPoolClientId);
  const me = await api(stack, '/me', { token: user.idToken });
  expect(me.body).toMatchObject({ liked: [EVANGELINE], adopted: [EVANGELINE] });
  expect((await api(stack, `/mysfits/${EVANGELINE}`)).body).toMatchObject({ likes: 1, adopted: true });
});

test('DynamoDB Local stopped under the running API: 503 JSON within 5 s; started again: served again', async () => {
  // Arrange: stop the stack's DynamoDB Local (found by its port), keep everything else running
  const port = stack.ports.dynamodb;
  execFileSync('pkill', ['-f', `DynamoDBLocal.jar -port ${port} `]);
  while (await listening(port)) await new Promise((resolve) => setTimeout(resolve, 100));

  // Act
  const started = Date.now();
  const down = await api(stack, `/mysfits/${EVANGELINE}`, { headers: { Origin: 'http://127.0.0.1:5555' } });
  const elapsed = Date.now() - started;

  // Assert
  expect(down.status).toBe(503);
  expect(down.body.message).toEqual(expect.any(String));
  expect(down.headers.get('access-control-allow-origin')).toBeTruthy();
  expect(elapsed).toBeLessThan(5_000);

  // Act: the database comes back on the same port and data; the API is not restarted
  const db = await startDynamoDbLocal({ port, dbPath: join(stack.dataDir, 'dynamodb') });
  try {
    const up = await api(stack, `/mysfits/${EVANGELINE}`);
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ likes: 1, adopted: true });
  } finally {
    await db.stop();
  }
});
