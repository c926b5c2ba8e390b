/**
 * The local stack as the stack tests use it: `npm start`'s own entry point run as a child process, on free ports,
 * with a data folder of its own; users made over HTTP through the Cognito API and the mailbox.
 */
import { spawn, type ChildProcess } from 'node:child_process';
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
import { freePort } from '../../scripts/lib/dynamodbLocal';
import type { Ports, StackInfo } from '../../local/stack';

const ROOT = join(__dirname, '..', '..');
export const EVANGELINE = '4e53920c-505a-4a90-a694-b9300791f0ae';
export const PASSWORD = 'Mysfits2026';

export async function freePorts(): Promise<Ports> {
  const [api, web, cognito, dynamodb, lambda, offline, firehose] = await Promise.all(Array.from({ length: 7 }, () => freePort()));
  return { api, web, cognito, dynamodb, lambda, offline, firehose } as Ports;
}

export interface TestStack {
  info: StackInfo;
  dataDir: string;
  ports: Ports;
  process: ChildProcess;
  output(): string;
  /** SIGTERM, as Ctrl-C would, and wait for the stack to exit. */
  stop(): Promise<number | null>;
  /** stop() and delete the data folder. */
  destroy(): Promise<void>;
}

export interface StartOptions {
  legacyListUrl?: string;
  dataDir?: string;
  ports?: Ports;
}

/** Runs `tsx local/start.ts` (what `npm start` runs) and waits for its banner. */
export async function startTestStack(options: StartOptions = {}): Promise<TestStack> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'mysfits-stack-'));
  const ports = options.ports ?? (await freePorts());
  const child = spawn(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'local', 'start.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      LOCAL_DATA_DIR: dataDir,
      API_PORT: String(ports.api),
      WEB_PORT: String(ports.web),
      COGNITO_PORT: String(ports.cognito),
      DYNAMODB_PORT: String(ports.dynamodb),
      LAMBDA_PORT: String(ports.lambda),
      OFFLINE_PORT: String(ports.offline),
      FIREHOSE_PORT: String(ports.firehose),
      LEGACY_LIST_URL: options.legacyListUrl ?? '',
      // serverless offline's output, handlers' log lines included, so tests can see which handlers ran.
      VERBOSE: '1',
    },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the stack did not start within 90 s:\n${output}`)), 90_000);
    const check = () => {
      if (output.includes('Mysfits local stack is up')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the stack exited with code ${code} before it was up:\n${output}`));
    });
  });

  const info = JSON.parse(readFileSync(join(dataDir, 'stack.json'), 'utf8')) as StackInfo;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  return {
    info,
    dataDir,
    ports,
    process: child,
    output: () => output,
    stop,
    destroy: async () => {
      await stop();
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
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
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
