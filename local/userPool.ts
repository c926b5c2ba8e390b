/**
 * The local user pool and app client, made from the service's AWS::Cognito::UserPool and UserPoolClient (with the
 * local stage's auth flows), created on first start and reused afterwards with the same ids. The ids are kept in
 * user-pool.json; if that file is lost or damaged, the pool is found again by its name in the local Cognito.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  UpdateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
  type UpdateUserPoolClientCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../shared/localCredentials';
import { userPoolClientProperties, userPoolProperties, type ResolvedService } from '../dev/service';

export interface UserPoolIds {
  userPoolId: string;
  userPoolClientId: string;
}

/**
 * `value` with each Fn::If replaced by its branch under the service's conditions, as CloudFormation chooses: the
 * conditions are Fn::Equals and Fn::Not over what the stage's parameters resolved to (resources/users.yml).
 */
export function chosenBranches(value: unknown, conditions: Record<string, unknown>): unknown {
  const holds = (expression: unknown): boolean => {
    const [fn, args] = Object.entries(expression as Record<string, unknown[]>)[0] ?? [];
    if (fn === 'Fn::Not' && Array.isArray(args)) return !holds(args[0]);
    if (fn === 'Fn::Equals' && Array.isArray(args)) return String(args[0]) === String(args[1]);
    throw new Error(`the local user pool cannot evaluate the condition ${JSON.stringify(expression)}`);
  };
  if (Array.isArray(value)) return value.map((item) => chosenBranches(item, conditions));
  if (!value || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  if (entries.length === 1 && entries[0]?.[0] === 'Fn::If') {
    const [name, whenTrue, whenFalse] = entries[0][1] as [string, unknown, unknown];
    if (!(name in conditions)) throw new Error(`the service has no condition ${name}`);
    return chosenBranches(holds(conditions[name]) ? whenTrue : whenFalse, conditions);
  }
  return Object.fromEntries(entries.map(([key, item]) => [key, chosenBranches(item, conditions)]));
}

export function userPoolInput(service: ResolvedService): CreateUserPoolCommandInput {
  // Email goes to the local mailbox here: the template's sender (SES or Cognito's, a CloudFormation condition) is AWS's.
  const { UserPoolName, ...rest } = userPoolProperties(service);
  delete rest.EmailConfiguration;
  const chosen = chosenBranches(rest, service.resources.Conditions ?? {}) as Record<string, unknown>;
  return { PoolName: String(UserPoolName), ...chosen } as CreateUserPoolCommandInput;
}

export function userPoolClientInput(service: ResolvedService, userPoolId: string): CreateUserPoolClientCommandInput {
  // The pool id is a !Ref in the template; here it is the pool just created.
  return { ...userPoolClientProperties(service), UserPoolId: userPoolId } as CreateUserPoolClientCommandInput;
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

/** The ids recorded by an earlier start; undefined when there are none or the file is damaged. */
export function readUserPoolIds(idsFile: string): UserPoolIds | undefined {
  try {
    const ids = JSON.parse(readFileSync(idsFile, 'utf8')) as Partial<UserPoolIds>;
    return typeof ids.userPoolId === 'string' && typeof ids.userPoolClientId === 'string' ? (ids as UserPoolIds) : undefined;
  } catch {
    return undefined;
  }
}

/** The pool of this name and its client of this name, if the local Cognito has them. */
async function findByName(client: CognitoIdentityProviderClient, poolName: string, clientName: string): Promise<UserPoolIds | undefined> {
  const { UserPools = [] } = await client.send(new ListUserPoolsCommand({ MaxResults: 60 }));
  for (const pool of UserPools.filter((p) => p.Name === poolName)) {
    const { UserPoolClients = [] } = await client.send(new ListUserPoolClientsCommand({ UserPoolId: pool.Id, MaxResults: 60 }));
    const found = UserPoolClients.find((c) => c.ClientName === clientName);
    if (pool.Id && found?.ClientId) return { userPoolId: pool.Id, userPoolClientId: found.ClientId };
  }
  return undefined;
}

/**
 * The pool and client recorded in `idsFile` (or found by name) if they exist in the local Cognito, else new ones.
 * A file that is there but damaged, or names a pool that is gone, is repaired, and `notice` says so in one line.
 */
export async function ensureUserPool(
  service: ResolvedService,
  endpoint: string,
  idsFile: string,
  notice: (text: string) => void = () => undefined,
): Promise<UserPoolIds> {
  const client = new CognitoIdentityProviderClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  try {
    const fileThere = existsSync(idsFile);
    const recorded = readUserPoolIds(idsFile);
    let ids = recorded && (await exists(client, recorded)) ? recorded : undefined;
    ids ??= await findByName(
      client,
      String(userPoolProperties(service).UserPoolName),
      String(userPoolClientProperties(service).ClientName),
    );
    if (fileThere && ids !== recorded) {
      const what = recorded ? `named a pool that is gone` : 'was damaged';
      const done = ids ? `found the pool ${ids.userPoolId} again by its name` : 'made a new pool';
      notice(`${idsFile} ${what}: ${done}, and wrote the file again.`);
    }
    if (!ids) {
      const { UserPool } = await client.send(new CreateUserPoolCommand(userPoolInput(service)));
      const userPoolId = UserPool?.Id as string;
      const { UserPoolClient } = await client.send(new CreateUserPoolClientCommand(userPoolClientInput(service, userPoolId)));
      ids = { userPoolId, userPoolClientId: UserPoolClient?.ClientId as string };
    } else {
      // A pool kept from an earlier start: its client takes the template's settings again (token lifetimes included),
      // so cognito-local issues tokens that last as long as AWS's.
      const settings: Record<string, unknown> = { ...userPoolClientInput(service, ids.userPoolId) };
      delete settings.GenerateSecret; // set at creation only
      await client.send(
        new UpdateUserPoolClientCommand({ ...(settings as object), ClientId: ids.userPoolClientId } as UpdateUserPoolClientCommandInput),
      );
    }
    if (recorded?.userPoolId !== ids.userPoolId || recorded.userPoolClientId !== ids.userPoolClientId) {
      writeFileSync(idsFile, `${JSON.stringify(ids, null, 2)}\n`);
    }
    return ids;
  } finally {
    client.destroy();
  }
}
