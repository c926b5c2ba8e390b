/**
 * The local system as the stack tests use it: the command a person runs (`serverless offline`), on free ports,
 * with a data folder of its own; up when it has written stack.json. The client of a running system
 * (dev/localSystemClient.ts) comes with it, and tokens signed as an attacker would.
 */
import { createSign, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { freePorts, launch, type Command, type Ports, type StackInfo } from '../../dev/launcher';

export { freePorts };
export * from '../../dev/localSystemClient';

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
