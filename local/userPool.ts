/**
 * The local user pool and app client, made from serverless.yml's CognitoUserPool and CognitoUserPoolClient (with
 * the local stage's auth flows), created on first start and reused afterwards with the same ids.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { loadServerlessConfig } from '../scripts/lib/serverlessConfig';

export interface UserPoolIds {
  userPoolId: string;
  userPoolClientId: string;
}

type Props = Record<string, unknown>;

function poolResources(): { pool: Props; client: Props } {
  const { resources } = loadServerlessConfig('local');
  const pool = resources.Resources.CognitoUserPool?.Properties;
  const client = resources.Resources.CognitoUserPoolClient?.Properties;
  if (!pool || !client) throw new Error('serverless.yml defines no CognitoUserPool and CognitoUserPoolClient');
  return { pool, client };
}

export function userPoolInput(): CreateUserPoolCommandInput {
  const { pool } = poolResources();
  const { UserPoolName, ...rest } = pool;
  return { PoolName: String(UserPoolName), ...rest } as CreateUserPoolCommandInput;
}

export function userPoolClientInput(userPoolId: string): CreateUserPoolClientCommandInput {
  const { client } = poolResources();
  // The pool id is a !Ref in the template; here it is the pool just created.
  return { ...client, UserPoolId: userPoolId } as CreateUserPoolClientCommandInput;
}

async function exists(client: CognitoIdentityProviderClient, ids: UserPoolIds): Promise<boolean> {
  try {
    await client.send(new DescribeUserPoolCommand({ UserPoolId: ids.userPoolId }));
    await client.send(new DescribeUserPoolClientCommand({ UserPoolId: ids.userPoolId, ClientId: ids.userPoolClientId }));
    return true;
  } catch {
    return false;
  }
}

/** The ids recorded by an earlier start, if any. */
export function readUserPoolIds(idsFile: string): UserPoolIds | undefined {
  return existsSync(idsFile) ? (JSON.parse(readFileSync(idsFile, 'utf8')) as UserPoolIds) : undefined;
}

/** The pool and client recorded in `idsFile` if they still exist in cognito-local, else new ones. */
export async function ensureUserPool(endpoint: string, idsFile: string): Promise<UserPoolIds> {
  const client = new CognitoIdentityProviderClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const ids = readUserPoolIds(idsFile);
    if (ids && (await exists(client, ids))) return ids;
    const { UserPool } = await client.send(new CreateUserPoolCommand(userPoolInput()));
    const userPoolId = UserPool?.Id as string;
    const { UserPoolClient } = await client.send(new CreateUserPoolClientCommand(userPoolClientInput(userPoolId)));
    const created = { userPoolId, userPoolClientId: UserPoolClient?.ClientId as string };
    writeFileSync(idsFile, JSON.stringify(created, null, 2));
    return created;
  } finally {
    client.destroy();
  }
}
