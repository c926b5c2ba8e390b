/**
 * local/cognitoThread.ts: cognito-local in a worker thread. Its sign-up code is in the mailbox before the sign-up
 * answers (the thread waits for the parent to record it); stop() ends the thread and frees the port; a start that
 * fails says why.
 */
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { freePort } from '../../../dev/ports';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../shared/localCredentials';
import { startCognitoThread } from '../../../local/cognitoThread';

jest.setTimeout(30_000);

let dataDir: string;
beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'mysfits-cognito-thread-'))));
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

test("a sign-up's code is recorded before the sign-up answers; stop() frees the port", async () => {
  // Arrange
  const recorded: Array<{ address: string; kind: string; code: string }> = [];
  const port = await freePort();
  const cognito = await startCognitoThread({ port, dataDir, mailbox: { record: (m) => recorded.push(m) }, quiet: true });
  const client = new CognitoIdentityProviderClient({ endpoint: cognito.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  try {
    const { UserPool } = await client.send(new CreateUserPoolCommand({ PoolName: 'thread', AutoVerifiedAttributes: ['email'] }));
    const { UserPoolClient } = await client.send(new CreateUserPoolClientCommand({ UserPoolId: UserPool?.Id, ClientName: 'web' }));
    // Act
    await client.send(
      new SignUpCommand({
        ClientId: UserPoolClient?.ClientId,
        Username: 'someone@example.com',
        Password: 'A-long-passw0rd!',
        UserAttributes: [{ Name: 'email', Value: 'someone@example.com' }],
      }),
    );
    // Assert
    expect(recorded).toEqual([{ address: 'someone@example.com', kind: 'sign-up', code: expect.stringMatching(/^\d{6}$/) }]);
  } finally {
    client.destroy();
    await cognito.stop();
  }
  await expect(fetch(cognito.endpoint)).rejects.toThrow();
});

test('a port in use: the start fails with the reason, and no thread is left', async () => {
  // Arrange
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const port = (taken.address() as { port: number }).port;
  try {
    // Act
    const starting = startCognitoThread({ port, dataDir, mailbox: { record: () => undefined }, quiet: true });
    // Assert
    await expect(starting).rejects.toThrow(/EADDRINUSE|in use/);
  } finally {
    taken.close();
  }
});
