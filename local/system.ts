/**
 * The services of the local system, on 127.0.0.1, with no AWS account: DynamoDB Local (the service's tables,
 * seeded), cognito-local in-process (the service's pool and client), the website with its config.json and the
 * mailbox, the stand-in for the clicks stream, and in legacy mode the proxy in front of the API. Everything is read
 * from the service as the Framework resolved it. The plugin (plugin.ts) starts these around serverless offline.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { startDynamoDbLocal, type DynamoDbLocal } from '../dev/dynamodbLocal';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../shared/localCredentials';
import { assertPortFree, localUrl } from '../dev/ports';
import { PORT_SETTINGS, type Ports, type StackInfo } from '../dev/stackInfo';
import { deliveryStreamProperties, mysfitsTableName, userPoolProperties, type ResolvedService } from '../dev/service';
import { createTables, renamedTables } from '../dev/tables';
import { WEB_DIR, WEB_DIST } from '../dev/website';
import { startCognitoThread } from './cognitoThread';
import { startLiveReload } from './liveReload';
import { seedMysfits } from '../dev/seed';
import { startFirehoseStandIn, type FirehoseStandIn } from './firehose';
import { startLegacyProxy } from './legacyProxy';
import { Mailbox } from './mailbox';
import { ensureUserPool, readUserPoolIds, type UserPoolIds } from './userPool';
import { startWebServer } from './webServer';
import contentSecurityPolicy from '../web/contentSecurityPolicy.cjs';
import { siteConfig } from '../web/siteConfig.cjs';

export const STAGE = 'local';
export type { Ports, StackInfo };

/** A failure the person can act on: one sentence, no stack trace. */
export class StartError extends Error {}

export function assertJava(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('java', ['-version'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', () =>
      reject(
        new StartError(
          'Java 17 or newer is needed for DynamoDB Local, and `java` was not found: install it (Debian: apt-get install openjdk-17-jre-headless).',
        ),
      ),
    );
    child.once('exit', () => {
      const major = Number(/version "(\d+)/.exec(output)?.[1] ?? 0);
      if (major >= 17) resolve();
      else
        reject(
          new StartError(
            `Java 17 or newer is needed for DynamoDB Local, and this one is older (${output.split('\n')[0] ?? 'unknown'}): install Java 17 or newer.`,
          ),
        );
    });
  });
}

export const resetHint = (dataDir: string) => `\`rm -rf ${dataDir}\` (or \`npm run start:fresh\` for .local/) resets the local data`;

/** The local website's address on its port: the mysfits' pictures are seeded to point at it. */
export const localSiteUrl = (webPort: number) => localUrl(webPort);

/**
 * DynamoDB Local on the data folder's database file, with the service's tables, seeded (pictures on `siteUrl`).
 * `started`: the one started early (earlyStart.ts); if it failed after all, Java is checked (a clear sentence for a
 * Java too old) and the database started here.
 */
export async function startDatabase(
  service: ResolvedService,
  port: number,
  dataDir: string,
  siteUrl: string,
  started?: Promise<DynamoDbLocal | undefined>,
): Promise<DynamoDbLocal> {
  const dbPath = join(dataDir, 'dynamodb');
  mkdirSync(dbPath, { recursive: true });
  let db: DynamoDbLocal;
  const early = await started;
  if (started && !early) await assertJava();
  try {
    db = early ?? (await startDynamoDbLocal({ port, dbPath }));
  } catch (error) {
    throw new StartError(`DynamoDB Local did not start on port ${port}: ${(error as Error).message.split('\n')[0]}`);
  }
  const client = new DynamoDBClient({ endpoint: db.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  try {
    await createTables(client, renamedTables(service));
    await seedMysfits(client, mysfitsTableName(service), siteUrl);
    return db;
  } catch (error) {
    await db.stop();
    throw new StartError(
      `DynamoDB Local cannot use its data in ${dbPath} (${(error as Error).message.split('\n')[0]}): the file is damaged; ${resetHint(dataDir)}.`,
    );
  } finally {
    client.destroy();
  }
}

/** The function the clicks stream runs on each buffer, from its processing configuration (a GetAtt of <Key>LambdaFunction). */
export function transformationFunction(service: ResolvedService): string {
  const destination = deliveryStreamProperties(service).ExtendedS3DestinationConfiguration as {
    ProcessingConfiguration?: { Processors?: Array<{ Parameters?: Array<{ ParameterName: string; ParameterValue: unknown }> }> };
  };
  const arn = destination.ProcessingConfiguration?.Processors?.flatMap((p) => p.Parameters ?? []).find(
    (p) => p.ParameterName === 'LambdaArn',
  );
  const logicalId = (arn?.ParameterValue as { 'Fn::GetAtt'?: string[] } | undefined)?.['Fn::GetAtt']?.[0];
  const key = Object.keys(service.functions).find((name) => `${name.charAt(0).toUpperCase()}${name.slice(1)}LambdaFunction` === logicalId);
  if (!key) throw new StartError('The clicks delivery stream names no transformation function of this service.');
  return key;
}

export interface StreamSettings {
  streamName: string;
  flushIntervalMs: number;
}

export function streamSettings(service: ResolvedService): StreamSettings {
  const stream = deliveryStreamProperties(service);
  const hints = (stream.ExtendedS3DestinationConfiguration as { BufferingHints?: { IntervalInSeconds?: number } }).BufferingHints;
  return { streamName: String(stream.DeliveryStreamName), flushIntervalMs: Number(hints?.IntervalInSeconds ?? 60) * 1000 };
}

export function startClicksStream(
  service: ResolvedService,
  port: number,
  dataDir: string,
  transform: (event: FirehoseTransformationEvent) => Promise<FirehoseTransformationResult>,
  keepsProcessAlive = true,
): Promise<FirehoseStandIn> {
  return startFirehoseStandIn({
    ...streamSettings(service),
    port,
    outputDir: join(dataDir, 'clicks-bucket'),
    transform,
    region: LOCAL_REGION,
    keepsProcessAlive,
  });
}

export interface SystemOptions {
  service: ResolvedService;
  ports: Ports;
  dataDir: string;
  legacyListUrl?: string;
  /** DynamoDB Local, when it started early (earlyStart.ts), up or still starting: used, not started again. */
  early?: Promise<DynamoDbLocal | undefined>;
  /** cognito-local's own log lines to the console. */
  verbose?: boolean;
  /** Runs the stream's transformation function (through serverless offline's Lambda endpoint). */
  transform: (functionKey: string) => (event: FirehoseTransformationEvent) => Promise<FirehoseTransformationResult>;
  /** Says something to the person (a repaired data file, say). */
  notice: (text: string) => void;
}

export interface LocalSystem {
  info: StackInfo;
  /** Stops every service, in reverse order of start. */
  stop(): Promise<void>;
  /** At process exit, when nothing can be awaited: ends the child processes at once. */
  killNow(): void;
}

const closeServer = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/**
 * What the local system needs of the machine: Java for DynamoDB Local, and its ports free. A DynamoDB Local started
 * early (earlyStart.ts, up or still starting) has its port and has found Java: no second JVM just to ask its version
 * (startDatabase asks if it fails after all). On a failure that database is stopped.
 */
export async function checkEnvironment(
  ports: Ports,
  legacyListUrl: string | undefined,
  early?: Promise<DynamoDbLocal | undefined>,
): Promise<void> {
  const wanted = (Object.keys(PORT_SETTINGS) as Array<keyof Ports>).filter(
    (key) => (key !== 'offline' || legacyListUrl) && !(key === 'dynamodb' && early),
  );
  const checks = [...wanted.map((key) => assertPortFree(ports[key], PORT_SETTINGS[key])), ...(early ? [] : [assertJava()])];
  await Promise.all(checks).catch(async (error: Error) => {
    await (await early)?.stop();
    throw error instanceof StartError ? error : new StartError(error.message);
  });
}

/** What the system tells of itself (stack.json), once the user pool's ids are known: all else follows from the ports. */
function stackInfo(ports: Ports, ids: UserPoolIds): StackInfo {
  return {
    apiUrl: `${localUrl(ports.api)}/${STAGE}`,
    websiteUrl: localSiteUrl(ports.web),
    mailboxUrl: `${localSiteUrl(ports.web)}/mailbox`,
    region: LOCAL_REGION,
    userPoolId: ids.userPoolId,
    userPoolClientId: ids.userPoolClientId,
    cognitoEndpoint: localUrl(ports.cognito),
    dynamodbEndpoint: localUrl(ports.dynamodb),
    firehoseEndpoint: localUrl(ports.firehose),
  };
}

/**
 * What the system will tell of itself when it is up, known before it starts if an earlier start left the user pool's
 * ids (user-pool.json); undefined otherwise. startSystem may still find them changed (the local Cognito's data lost).
 */
export function expectedInfo(ports: Ports, dataDir: string): StackInfo | undefined {
  const ids = readUserPoolIds(join(dataDir, 'user-pool.json'));
  return ids && stackInfo(ports, ids);
}

/** Starts every service (the environment checked first: checkEnvironment); on any failure, stops what did start. */
export async function startSystem(options: SystemOptions): Promise<LocalSystem> {
  const { service, ports, dataDir, legacyListUrl, early } = options;
  mkdirSync(dataDir, { recursive: true });
  const stoppers: Array<() => Promise<void>> = [];
  let database: DynamoDbLocal | undefined;
  const stop = async () => {
    for (const stopOne of stoppers.splice(0).reverse()) await stopOne().catch(() => undefined);
  };
  const databaseStarting = startDatabase(service, ports.dynamodb, dataDir, localSiteUrl(ports.web), early);
  databaseStarting.catch(() => undefined); // awaited below
  try {
    // The website's first build, and from then on the live edit loop (rebuilt on every edit under web/).
    const live = startLiveReload({ webDir: WEB_DIR, outDir: WEB_DIST, log: (text) => console.log(text) });
    stoppers.push(() => live.stop());
    live.ready.catch(() => undefined); // awaited below
    const mailbox = new Mailbox(join(dataDir, 'mailbox.json'));
    if (mailbox.damagedCopy)
      options.notice(`The mailbox file was damaged: moved it to ${mailbox.damagedCopy} and started an empty mailbox.`);
    // Side by side; when one fails, the other is still waited for, so that stop() finds it.
    const [dbResult, cognitoResult] = await Promise.allSettled([
      databaseStarting,
      // In a thread of its own (cognitoThread.ts), so that this one goes on with the database meanwhile.
      startCognitoThread({ port: ports.cognito, dataDir: join(dataDir, 'cognito'), mailbox, quiet: !options.verbose }),
    ]);
    if (dbResult.status === 'fulfilled') {
      database = dbResult.value;
      stoppers.push(() => dbResult.value.stop());
    }
    if (cognitoResult.status === 'fulfilled') stoppers.push(() => cognitoResult.value.stop());
    if (dbResult.status === 'rejected') throw dbResult.reason;
    if (cognitoResult.status === 'rejected') throw cognitoResult.reason;
    const cognito = cognitoResult.value;
    const ids = await ensureUserPool(service, cognito.endpoint, join(dataDir, 'user-pool.json'), options.notice).catch((error: Error) => {
      throw new StartError(
        `The local Cognito cannot use its data in ${join(dataDir, 'cognito')} (${error.message}); ${resetHint(dataDir)}.`,
      );
    });

    const stream = await startClicksStream(service, ports.firehose, dataDir, options.transform(transformationFunction(service)));
    stoppers.push(() => stream.stop());

    if (legacyListUrl) {
      const proxy = await startLegacyProxy({
        port: ports.api,
        stage: STAGE,
        legacyUrl: legacyListUrl,
        apiOrigin: localUrl(ports.offline),
      });
      stoppers.push(() => closeServer(proxy));
    }

    const info = stackInfo(ports, ids);
    await live.ready.catch((error: Error) => {
      throw new StartError(`The website did not build: ${error.message}`);
    });
    const policies = userPoolProperties(service).Policies as { PasswordPolicy?: unknown } | undefined;
    const web = await startWebServer({
      port: ports.web,
      siteDir: WEB_DIST,
      mailbox,
      contentSecurityPolicy: contentSecurityPolicy.forOrigins({
        api: contentSecurityPolicy.originOf(info.apiUrl),
        cognito: info.cognitoEndpoint,
      }),
      siteConfig: siteConfig({ ...info, passwordPolicy: policies?.PasswordPolicy }),
      live,
    });
    stoppers.push(() => closeServer(web));
    return {
      info,
      stop,
      killNow: () => {
        const child = database?.process;
        if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      },
    };
  } catch (error) {
    if (!database) await databaseStarting.then((db) => db.stop()).catch(() => undefined);
    await stop();
    throw error;
  }
}
