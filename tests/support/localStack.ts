/**
 * The local system as the stack tests use it: the command a person runs (`serverless offline`), on free ports,
 * with a data folder of its own; up when it has written stack.json. Users are made over HTTP through the Cognito
 * API and the mailbox.
 */
import { createSign, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { ChildProcess } from 'node:child_process';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js';
import { freePorts, launch, type Command, type Ports, type StackInfo } from '../../dev/launcher';
import { LOCAL_CREDENTIALS } from '../../shared/localCredentials';

export { freePorts };
export const EVANGELINE = '4e53920c-505a-4a90-a694-b9300791f0ae';
export const PASSWORD = 'Mysfits2026';

export interface TestStack {
  info: StackInfo;
  dataDir: string;
  ports: Ports;
  process: ChildProcess;
  output(): string;
  /** SIGTERM, as Ctrl-C would, and wait for the system to exit. */
  stop(): Promise<number | null>;
  /** stop() and delete the data folder. */
  destroy(): Promise<void>;
}

export interface StartOptions {
  legacyListUrl?: string;
  dataDir?: string;
  ports?: Ports;
  command?: Command;
}

/** Runs `serverless offline` (what `npm start` runs) and waits until it has written stack.json. */
export async function startTestStack(options: StartOptions = {}): Promise<TestStack> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'mysfits-stack-'));
  const ports = options.ports ?? (await freePorts());
  // VERBOSE: serverless offline's output, handlers' log lines included, so tests can see which handlers ran.
  const system = launch({ dataDir, ports, command: options.command, env: { LEGACY_LIST_URL: options.legacyListUrl ?? '', VERBOSE: '1' } });
  let info: StackInfo;
  try {
    info = await system.ready;
  } catch (error) {
    await system.stop(5_000);
    throw error;
  }
  return {
    info,
    dataDir,
    ports,
    process: system.child,
    output: system.output,
    stop: () => system.stop(),
    destroy: async () => {
      await system.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

export async function api(stack: { info: StackInfo }, path: string, init: { method?: string; token?: string; headers?: Record<string, string> } = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token !== undefined) headers.Authorization = init.token;
  const response = await fetch(`${stack.info.apiUrl}${path}`, { method: init.method ?? 'GET', headers });
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`${init.method ?? 'GET'} ${path} answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  return { status: response.status, headers: response.headers, body };
}

export function cognitoClient(stack: { info: StackInfo }): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint: stack.info.cognitoEndpoint,
    region: stack.info.region,
    credentials: LOCAL_CREDENTIALS,
  });
}

export interface MailboxMessage {
  address: string;
  kind: string;
  code: string;
  time: string;
}

export async function mailbox(stack: { info: StackInfo }, address: string): Promise<MailboxMessage[]> {
  const response = await fetch(`${stack.info.websiteUrl}/mailbox.json?address=${encodeURIComponent(address)}`);
  return ((await response.json()) as { messages: MailboxMessage[] }).messages;
}

export interface User {
  email: string;
  idToken: string;
  accessToken: string;
  refreshToken: string;
  sub: string;
}

/** Signs a new user up, reads the code from the mailbox, confirms, and logs in with USER_PASSWORD_AUTH. */
export async function newUser(stack: { info: StackInfo }, name: string): Promise<User> {
  const client = cognitoClient(stack);
  const email = `${name}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
  const ClientId = stack.info.userPoolClientId;
  await client.send(new SignUpCommand({ ClientId, Username: email, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] }));
  const [message] = await mailbox(stack, email);
  if (!message) throw new Error(`no code in the mailbox for ${email}`);
  await client.send(new ConfirmSignUpCommand({ ClientId, Username: email, ConfirmationCode: message.code }));
  const { AuthenticationResult: result } = await client.send(
    new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } }),
  );
  client.destroy();
  const idToken = result?.IdToken as string;
  return { email, idToken, accessToken: result?.AccessToken as string, refreshToken: result?.RefreshToken as string, sub: decode(idToken).sub as string };
}

export function decode(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8')) as Record<string, unknown>;
}

export const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The key cognito-local signs with (it ships in the package, which is why its tokens are local only). */
export function cognitoLocalPrivateKey(): string {
  const file = require.resolve('cognito-local/lib/keys/cognitoLocal.private.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { pem: string }).pem;
}

export const otherPrivateKey = (): string =>
  generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/** An RS256 JWT with the given claims, signed by `pem`, with kid CognitoLocal unless told otherwise. */
export function signToken(claims: Record<string, unknown>, pem: string, header: Record<string, unknown> = {}): string {
  const head = b64({ alg: 'RS256', typ: 'JWT', kid: 'CognitoLocal', ...header });
  const body = b64(claims);
  const signature = createSign('RSA-SHA256').update(`${head}.${body}`).sign(pem).toString('base64url');
  return `${head}.${body}.${signature}`;
}

/** What the website does to sign in: amazon-cognito-identity-js's CognitoUser.authenticateUser, with USER_SRP_AUTH. */
export function signInWithSrp(stack: { info: StackInfo }, email: string, password: string): Promise<{ user: CognitoUser; session: CognitoUserSession }> {
  const pool = new CognitoUserPool({ UserPoolId: stack.info.userPoolId, ClientId: stack.info.userPoolClientId, endpoint: stack.info.cognitoEndpoint });
  const user = new CognitoUser({ Username: email, Pool: pool });
  user.setAuthenticationFlowType('USER_SRP_AUTH');
  return new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: email, Password: password }), {
      onSuccess: (session) => resolve({ user, session }),
      onFailure: reject,
    }),
  );
}
