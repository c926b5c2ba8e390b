/**
 * The whole system on one machine, on 127.0.0.1, with no AWS account: DynamoDB Local (tables from serverless.yml,
 * seeded), cognito-local (the pool and client of serverless.yml), `serverless offline --stage local` with the
 * Cognito authorizer enforced, the website with its config.json, and the mailbox. `npm start` runs it; tests
 * start it on free ports with a data folder of their own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startDynamoDbLocal, type DynamoDbLocal } from '../scripts/lib/dynamodbLocal';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadServerlessConfig, PROJECT_ROOT, stageParams, stageTableNames } from '../scripts/lib/serverlessConfig';
import { invokeThroughOffline, startFirehoseStandIn } from './firehose';
import { buildWeb, WEB_DIST } from '../scripts/buildWeb';
import { createTables } from '../scripts/lib/tables';
import { seedMysfits } from '../scripts/seed';
import { startLegacyProxy } from './legacyProxy';
import { Mailbox } from './mailbox';
import { ensureUserPool, readUserPoolIds, type UserPoolIds } from './userPool';
import { startWebServer } from './webServer';

export const STAGE = 'local';
export const REGION = 'us-east-1';

export interface Ports {
  api: number;
  web: number;
  cognito: number;
  dynamodb: number;
  /** serverless-offline's Lambda invoke endpoint. */
  lambda: number;
  /** serverless-offline's own HTTP port when the legacy proxy stands in front of it. */
  offline: number;
  /** The stand-in for the clicks delivery stream. */
  firehose: number;
}

export interface StackOptions {
  ports: Ports;
  /** Where data persists: DynamoDB files, cognito-local's db, the mailbox, stack.json. */
  dataDir: string;
  legacyListUrl?: string;
  /** Child output (serverless offline, cognito-local) to the console; tests keep it quiet. */
  verbose?: boolean;
}

export interface StackInfo {
  apiUrl: string;
  websiteUrl: string;
  mailboxUrl: string;
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  cognitoEndpoint: string;
  dynamodbEndpoint: string;
}

export interface Stack {
  info: StackInfo;
  /** DynamoDB Local on its own, to take it down and bring it back under the running API. */
  dynamodb: { stop(): Promise<void>; start(): Promise<void> };
  /** Everything serverless-offline printed (for diagnosing a failed start). */
  offlineOutput(): string;
  stop(): Promise<void>;
}

export class StartError extends Error {}

const NAMES: Record<keyof Ports, string> = {
  api: 'API_PORT',
  web: 'WEB_PORT',
  cognito: 'COGNITO_PORT',
  dynamodb: 'DYNAMODB_PORT',
  lambda: 'LAMBDA_PORT',
  offline: 'OFFLINE_PORT',
  firehose: 'FIREHOSE_PORT',
};

export const DEFAULT_PORTS: Ports = { api: 3000, web: 8080, cognito: 9229, dynamodb: 8000, lambda: 3002, offline: 3003, firehose: 4573 };

/** Ports from the environment (API_PORT, WEB_PORT, COGNITO_PORT, DYNAMODB_PORT, LAMBDA_PORT, OFFLINE_PORT). */
export function portsFromEnv(env: NodeJS.ProcessEnv = process.env): Ports {
  const ports = { ...DEFAULT_PORTS };
  for (const key of Object.keys(NAMES) as Array<keyof Ports>) {
    const value = env[NAMES[key]];
    if (value === undefined || value === '') continue;
    const port = Number(value);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new StartError(`${NAMES[key]}=${value} is not a port number`);
    ports[key] = port;
  }
  return ports;
}

function assertPortFree(port: number, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new StartError(
          error.code === 'EADDRINUSE'
            ? `Port ${port} (${name}) is already in use on 127.0.0.1: stop what uses it, or set ${name} to another port.`
            : `Cannot use port ${port} (${name}): ${error.message}`,
        ),
      ),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

function assertJava(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('java', ['-version'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', () =>
      reject(new StartError('Java 17 or newer is needed for DynamoDB Local, and `java` was not found. Install it (Debian: apt-get install openjdk-17-jre-headless).')),
    );
    child.once('exit', () => {
      const major = Number(/version "(\d+)/.exec(output)?.[1] ?? 0);
      if (major >= 17) resolve();
      else reject(new StartError(`Java 17 or newer is needed for DynamoDB Local; found: ${output.split('\n')[0] ?? 'unknown'}`));
    });
  });
}

async function startDatabase(port: number, dataDir: string): Promise<DynamoDbLocal> {
  const dbPath = join(dataDir, 'dynamodb');
  mkdirSync(dbPath, { recursive: true });
  return startDynamoDbLocal({ port, dbPath });
}

async function prepareTables(endpoint: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const names = stageTableNames(STAGE);
    await createTables(client, names);
    await seedMysfits(client, names.mysfitsTableName);
  } finally {
    client.destroy();
  }
}

interface Offline {
  child: ChildProcess;
  output: () => string;
}

/** `serverless offline --stage local`, trusting the given pool; tsx's require hook loads the TypeScript authorizer. */
function startOffline(options: StackOptions, httpPort: number, cognito: { issuer: string; clientId: string }): Offline {
  const serverlessBin = join(PROJECT_ROOT, 'node_modules', 'serverless', 'bin', 'serverless.js');
  const child = spawn(
    process.execPath,
    ['--require', 'tsx/cjs', serverlessBin, 'offline', 'start', '--stage', STAGE, '--region', REGION, '--host', '127.0.0.1',
      '--httpPort', String(httpPort), '--lambdaPort', String(options.ports.lambda)],
    {
      cwd: PROJECT_ROOT,
      // Its own process group, so stopping the stack ends serverless offline and every worker it started.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        DYNAMODB_PORT: String(options.ports.dynamodb),
        COGNITO_ISSUER: cognito.issuer,
        COGNITO_CLIENT_ID: cognito.clientId,
        FIREHOSE_ENDPOINT: `http://127.0.0.1:${options.ports.firehose}`,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        SLS_TELEMETRY_DISABLED: '1',
        FORCE_COLOR: '0',
      },
    },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
    if (options.verbose) process.stdout.write(chunk);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return { child, output: () => output };
}

async function waitForApi(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new StartError(`serverless offline exited with code ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new StartError(`The API did not answer at ${url} within ${timeoutMs / 1000} s:\n${output()}`);
}

function killGroup(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return resolve();
    const timer = setTimeout(() => {
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

const closeServer = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/** The pool's password policy as serverless.yml defines it, for the website's checks before submit. */
function passwordPolicy(): unknown {
  const pool = loadServerlessConfig(STAGE).resources.Resources.CognitoUserPool?.Properties as { Policies?: { PasswordPolicy?: unknown } };
  return pool.Policies?.PasswordPolicy;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const { ports, dataDir } = options;
  const legacy = options.legacyListUrl;
  const wanted = (Object.keys(NAMES) as Array<keyof Ports>).filter((key) => key !== 'offline' || legacy);
  await Promise.all([...wanted.map((key) => assertPortFree(ports[key], NAMES[key])), assertJava()]);
  mkdirSync(dataDir, { recursive: true });

  const stoppers: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const stopOne of stoppers.reverse()) await stopOne().catch(() => undefined);
    stoppers.length = 0;
  };

  try {
    // serverless offline takes longest to start (it bundles every function), so when the pool's ids are known
    // from an earlier start it starts first, while DynamoDB Local and cognito-local start side by side.
    const poolFile = join(dataDir, 'user-pool.json');
    const cognitoEndpoint = `http://127.0.0.1:${ports.cognito}`;
    const offlinePort = legacy ? ports.offline : ports.api;
    let offline: Offline | undefined;
    const runOffline = (ids: UserPoolIds) => {
      offline = startOffline(options, offlinePort, { issuer: `${cognitoEndpoint}/${ids.userPoolId}`, clientId: ids.userPoolClientId });
      const child = offline.child;
      stoppers.push(() => killGroup(child));
    };
    const known = readUserPoolIds(poolFile);
    if (known) runOffline(known);

    const website = buildWeb();
    // Loaded only now: cognito-local (and the AWS SDK v2 it brings) takes a second to load.
    const { startCognitoLocal } = await import('./cognito');
    const mailbox = new Mailbox(join(dataDir, 'mailbox.json'));
    const [database, cognito] = await Promise.all([
      startDatabase(ports.dynamodb, dataDir),
      startCognitoLocal({ port: ports.cognito, dataDir: join(dataDir, 'cognito'), mailbox, quiet: !options.verbose }),
    ]);
    let db: DynamoDbLocal = database;
    stoppers.push(() => db.stop());
    stoppers.push(() => cognito.stop());
    const [, ids] = await Promise.all([prepareTables(db.endpoint), ensureUserPool(cognito.endpoint, poolFile)]);
    // First start, or the recorded pool was gone: serverless offline starts (again) with the pool it must trust.
    if (!known || known.userPoolId !== ids.userPoolId || known.userPoolClientId !== ids.userPoolClientId) {
      if (offline) await killGroup(offline.child);
      runOffline(ids);
    }
    const api = offline as Offline;

    // The clicks delivery stream: records land in <data>/clicks-bucket/ as they would in the S3 bucket.
    const { service, functions } = loadServerlessConfig(STAGE);
    const firehose = await startFirehoseStandIn({
      port: ports.firehose,
      streamName: String(functions.recordClicks?.environment?.CLICKS_STREAM),
      outputDir: join(dataDir, 'clicks-bucket'),
      transform: invokeThroughOffline(ports.lambda, `${service}-${STAGE}-enrichClicks`),
      flushIntervalMs: Number(stageParams(STAGE).clicksBufferSeconds) * 1000,
      region: REGION,
    });
    stoppers.push(() => firehose.stop());

    const apiUrl = `http://127.0.0.1:${ports.api}/${STAGE}`;
    if (legacy) {
      const proxy = await startLegacyProxy({ port: ports.api, stage: STAGE, legacyUrl: legacy, apiOrigin: `http://127.0.0.1:${offlinePort}` });
      stoppers.push(() => closeServer(proxy));
    }

    const info: StackInfo = {
      apiUrl,
      websiteUrl: `http://127.0.0.1:${ports.web}`,
      mailboxUrl: `http://127.0.0.1:${ports.web}/mailbox`,
      region: REGION,
      userPoolId: ids.userPoolId,
      userPoolClientId: ids.userPoolClientId,
      cognitoEndpoint: cognito.endpoint,
      dynamodbEndpoint: db.endpoint,
    };
    await website;
    const web = await startWebServer({
      port: ports.web,
      siteDir: WEB_DIST,
      mailbox,
      siteConfig: {
        apiUrl: info.apiUrl,
        region: info.region,
        userPoolId: info.userPoolId,
        userPoolClientId: info.userPoolClientId,
        cognitoEndpoint: info.cognitoEndpoint,
        authFlow: 'USER_PASSWORD_AUTH',
        passwordPolicy: passwordPolicy(),
      },
    });
    stoppers.push(() => closeServer(web));

    // In legacy mode the list comes from the old service; ask the API for one mysfit instead.
    const probe = legacy ? `http://127.0.0.1:${offlinePort}/${STAGE}/mysfits` : `${apiUrl}/mysfits`;
    await waitForApi(probe, api.child, api.output, 60_000);
    writeFileSync(join(dataDir, 'stack.json'), `${JSON.stringify(info, null, 2)}\n`);

    return {
      info,
      dynamodb: {
        stop: () => db.stop(),
        start: async () => {
          db = await startDatabase(ports.dynamodb, dataDir);
        },
      },
      offlineOutput: () => api.output(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
