/**
 * The local system as a Serverless Framework plugin, on serverless-offline's lifecycle, as serverless-dynamodb and
 * serverless-offline-sqs do it:
 *
 * - `serverless offline` / `serverless offline start` (stage local): before serverless offline starts, the local
 *   services start (system.ts) while serverless-esbuild bundles the functions; the functions are then pointed at
 *   them, and once the API answers, `.local/stack.json` is written and the banner printed. Ctrl-C or SIGTERM stops
 *   the local services first, then serverless offline's own shutdown runs.
 * - `serverless invoke local -f <fn>` (stage local): the function talks to the running system; when none runs,
 *   DynamoDB Local (and the clicks stream, for a function that writes to it) is started for the invocation on the
 *   same data folder and stopped after, as `sam local invoke` brings its own environment.
 *
 * Everything comes from the service as the Framework resolved it (`serverless.service`).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import type { DynamoDbLocal } from '../dev/dynamodbLocal';
import { localDataDir } from '../dev/paths';
import { assertPortFree, freePort, localUrl } from '../dev/ports';
import { deployedName, type ResolvedService } from '../dev/service';
import { invokeThroughOffline, type FirehoseStandIn } from './firehose';
import { banner, type StartTimes } from './banner';
import { decodedRecords } from './decodedRecords';
import { afterFirstBuild, reuseFreshBundles } from './bundleReuse';
import { confirmEarlyStart, takeEarlyDatabase } from './earlyStart';
import { answerUnknownRoutesAsTheGateway, type HapiServer } from './notFound';
import {
  apiGatewayServer,
  hideOfflineRouteTable,
  otherInstalledVersion,
  takeOverSignalListeners,
  WRITTEN_FOR,
  type SignalListeners,
} from './serverlessOfflineInternals';
import { installReadableLogs, type ReadableLogs } from './readableLogs';
import { readUserPoolIds } from './userPool';
import { holdRequestsUntil } from './startingGate';
import { portsFromEnv, type Ports, type StackInfo } from '../dev/stackInfo';
import {
  checkEnvironment,
  expectedInfo,
  localSiteUrl,
  STAGE,
  startClicksStream,
  startDatabase,
  startSystem,
  StartError,
  transformationFunction,
  type LocalSystem,
} from './system';

interface Serverless {
  service: ResolvedService & { custom: Record<string, Record<string, unknown> | undefined> };
  serviceDir: string;
  classes: { Error: new (message: string) => Error };
  pluginManager: { plugins: object[] };
  processedInput: { commands: string[] };
}

interface Log {
  notice(text: string): void;
  warning(text: string): void;
}

/** The settings, by environment variable, that point a function at a local service (only where it already has one). */
function localSettings(info: StackInfo): Record<string, string> {
  return {
    DYNAMODB_ENDPOINT: info.dynamodbEndpoint,
    COGNITO_ISSUER: `${info.cognitoEndpoint}/${info.userPoolId}`,
    COGNITO_CLIENT_ID: info.userPoolClientId,
    FIREHOSE_ENDPOINT: info.firehoseEndpoint,
  };
}

function pointAt(environment: Record<string, unknown> | undefined, settings: Record<string, string>): void {
  if (!environment) return;
  for (const [name, value] of Object.entries(settings)) if (name in environment) environment[name] = value;
}

/** The AWS SDK's notice about Node 20's support is not what a person needs first. */
function quietSdkNotices(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

async function answers(url: string, timeoutMs = 1_000): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return true;
  } catch {
    return false;
  }
}

export class LocalSystemPlugin {
  readonly hooks: Record<string, () => unknown>;
  /** Seconds since the process started: the Framework has loaded and resolved the config when this is made. */
  private readonly times: StartTimes = { configured: process.uptime(), servicesUp: 0, answering: 0 };
  private logs?: ReadableLogs;
  private showOfflineRouteTable?: () => void;
  private readonly dataDir = localDataDir();
  private readonly legacyListUrl = process.env.LEGACY_LIST_URL || undefined;
  private ports?: Ports;
  private starting?: Promise<LocalSystem>;
  private system?: LocalSystem;
  private stopping?: Promise<void>;
  private readied = false;
  /**
   * serverless offline's own SIGINT/SIGTERM listeners (it ends the process from them), run once the local services
   * have stopped, so that the clicks stream still reaches serverless offline to deliver what it holds.
   */
  private offlineShutdown: SignalListeners = new Map();
  /** What an invocation started for itself, stopped after it. */
  private readonly forInvocation: Array<() => Promise<void>> = [];
  /** What invoke local printed, kept for a transformation function, whose answer is shown decoded after it. */
  private invocationOutput?: string[];
  private readonly onSignal = (signal: NodeJS.Signals) => this.shutDown(signal);
  private signalledAt = 0;
  /** The functions whose bundles of the last start were still good (bundleReuse.ts). */
  private reusedBundles: string[] = [];
  /** The project's folder (serverless-esbuild later points serviceDir at its build folder). */
  private readonly root: string;

  constructor(
    private readonly serverless: Serverless,
    private readonly options: Record<string, unknown>,
    private readonly utils: { log: Log },
  ) {
    quietSdkNotices();
    confirmEarlyStart(serverless.processedInput.commands, options.stage);
    this.root = serverless.serviceDir;
    this.hooks = {
      initialize: () => this.initialize(),
      'before:offline:start': () => this.begin(),
      'before:offline:start:init': () => this.begin(),
      // Listed before serverless-offline in serverless.yml, so these run before it reads the functions' settings.
      'offline:start': () => this.ready(),
      'offline:start:init': () => this.ready(),
      'before:offline:start:end': () => this.stop(),
      'after:invoke:local:loadEnvVars': () => this.beforeInvoke(),
      'after:invoke:local:invoke': () => this.afterInvoke(),
    };
    process.once('exit', () => this.system?.killNow());
  }

  private get isLocalStage(): boolean {
    return this.serverless.service.provider.stage === STAGE;
  }

  /**
   * The error the Framework prints as one sentence (exit code 1). Bundler contexts and serverless offline's own
   * handles may still hold the process open after that, so it is ended shortly after the message is out.
   */
  private fail(error: unknown): Error {
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 1_000).unref();
    return new this.serverless.classes.Error(error instanceof Error ? error.message : String(error));
  }

  private initialize(): void {
    const commands = this.serverless.processedInput.commands.join(' ');
    if ((commands === 'offline' || commands === 'offline start') && this.isLocalStage) {
      this.reusedBundles = reuseFreshBundles(this.serverless.service, this.root);
    }
    if (commands === 'invoke local' && this.isLocalStage) {
      // serverless-esbuild builds into .esbuild/ for serverless offline too: an invocation beside a running system
      // builds in a folder of its own, so it never rewrites the files the running functions load.
      const esbuild = (this.serverless.service.custom.esbuild ??= {});
      esbuild.outputWorkFolder ??= join('.esbuild', 'invoke-local');
    }
  }

  /**
   * A bad environment (Java missing, a port in use, another stage) ends here, before anything is bundled or started:
   * the one sentence on stderr and exit code 1, without the Framework's preamble, every time.
   */
  private refuse(error: unknown): never {
    process.stderr.write(`\n${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }

  /**
   * Checks the environment, then starts the local services; serverless-esbuild bundles meanwhile (its hook comes
   * after this one, so nothing is bundled for a machine that cannot run the system). ready() waits for them.
   */
  private async begin(): Promise<void> {
    if (this.starting || this.ports) return;
    if (!this.isLocalStage) {
      this.refuse(
        `serverless offline runs the local system on the ${STAGE} stage only (this is stage ${this.serverless.service.provider.stage}).`,
      );
    }
    let ports: Ports;
    let early: Promise<DynamoDbLocal | undefined> | undefined;
    try {
      ports = this.configureOffline(portsFromEnv());
      this.ports = ports;
      // DynamoDB Local, if it started early (earlyStart.ts): not waited for, its JVM starts while the functions bundle.
      early = takeEarlyDatabase();
      await checkEnvironment(ports, this.legacyListUrl, early);
    } catch (error) {
      this.refuse(error);
    }
    // The terminal: the banner lists the routes; the functions' log lines are made readable (readableLogs.ts).
    this.showOfflineRouteTable = hideOfflineRouteTable();
    if (process.env.LOCAL_LOGS !== 'json') this.logs = installReadableLogs(`${deployedName(this.serverless.service, '')}`);
    const otherVersion = otherInstalledVersion();
    if (otherVersion) {
      this.utils.log.warning(
        `serverless-offline ${otherVersion} is installed; the local system was written for ${WRITTEN_FOR}: if something local misbehaves, see local/serverlessOfflineInternals.ts.`,
      );
    }
    rmSync(join(this.dataDir, 'stack.json'), { force: true });
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
    this.starting = startSystem({
      service: this.serverless.service,
      ports,
      dataDir: this.dataDir,
      legacyListUrl: this.legacyListUrl,
      early,
      verbose: process.env.VERBOSE === '1',
      transform: (functionKey) => invokeThroughOffline(ports.lambda, deployedName(this.serverless.service, functionKey)),
      notice: (text) => this.utils.log.warning(text),
    });
    // Awaited in ready(); a failure meanwhile must not surface as an unhandled rejection.
    this.starting.catch(() => undefined);
  }

  /** serverless offline's ports: --httpPort/--lambdaPort win, then API_PORT/LAMBDA_PORT; in legacy mode it moves aside. */
  private configureOffline(ports: Ports): Ports {
    const settings = (this.serverless.service.custom['serverless-offline'] ??= {});
    const chosen = {
      ...ports,
      api: Number(this.options.httpPort ?? (process.env.API_PORT ? ports.api : (settings.httpPort ?? ports.api))),
      lambda: Number(this.options.lambdaPort ?? (process.env.LAMBDA_PORT ? ports.lambda : (settings.lambdaPort ?? ports.lambda))),
    };
    settings.host = '127.0.0.1';
    settings.lambdaPort = chosen.lambda;
    settings.httpPort = this.legacyListUrl ? chosen.offline : chosen.api;
    this.options.lambdaPort = chosen.lambda;
    this.options.httpPort = settings.httpPort;
    if (this.options.host && this.options.host !== '127.0.0.1') {
      this.utils.log.warning(`The local system serves on 127.0.0.1 only (--host ${String(this.options.host)} ignored).`);
    }
    this.options.host = '127.0.0.1';
    return chosen;
  }

  /**
   * Points the functions and the authorizer at the local services, and lets serverless offline start. When their
   * settings are known ahead (a user pool kept from an earlier start: expectedInfo), it starts beside them, each
   * request held until they are up (startingGate.ts), which saves its own start-up; otherwise once they are up.
   */
  private async ready(): Promise<void> {
    if (this.readied || !this.starting) return;
    this.readied = true;
    afterFirstBuild(this.serverless.service, this.root, this.reusedBundles);
    const expected = expectedInfo(this.ports as Ports, this.dataDir);
    if (expected) this.pointAt(expected);
    holdRequestsUntil(this.starting);
    const up = this.starting.then(
      (system) => this.started(system),
      (error: unknown) => this.failedToStart(error),
    );
    void this.answerUnknownRoutesOnceCreated();
    // Without the settings ahead, serverless offline starts once the services are up.
    if (!expected) await up;
  }

  /** The functions' settings (where they have one) and the authorizer's, at the local services. */
  private pointAt(info: StackInfo): void {
    const settings = localSettings(info);
    pointAt(this.serverless.service.provider.environment, settings);
    for (const definition of Object.values(this.serverless.service.functions)) pointAt(definition.environment, settings);
    // The authorizer (cognitoAuthorizer.ts) runs in this process and reads these.
    process.env.COGNITO_ISSUER = settings.COGNITO_ISSUER;
    process.env.COGNITO_CLIENT_ID = settings.COGNITO_CLIENT_ID;
  }

  /**
   * The services are up. If the user pool had to be made again (its data lost), the settings change here, before any
   * request is let through: serverless offline reads a function's settings at its first invocation
   * (serverlessOfflineInternals.ts).
   */
  private started(system: LocalSystem): void {
    this.system = system;
    this.times.servicesUp = process.uptime();
    this.pointAt(system.info);
    void this.announceWhenServing(system);
  }

  /**
   * The services did not start (a damaged data folder, say): the one sentence on stderr, without the Framework's
   * preamble, and exit code 1 once what did start has stopped (serverless offline too, if it is starting beside them).
   */
  private failedToStart(error: unknown): Promise<never> {
    process.stderr.write(`\n${error instanceof Error ? error.message : String(error)}\n`);
    void this.stop().finally(() => process.exit(1));
    return new Promise<never>(() => undefined);
  }

  /** serverless offline creates the API's server after this plugin's hook: it is taken as soon as it is there. */
  private async answerUnknownRoutesOnceCreated(): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (!this.stopping && Date.now() < deadline) {
      const server = apiGatewayServer<HapiServer>(this.serverless.pluginManager.plugins);
      if (server) return answerUnknownRoutesAsTheGateway(server);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    if (!this.stopping) {
      this.utils.log.warning(
        "serverless-offline did not hand over its API server: unknown routes get its own 404, not the gateway's (see local/serverlessOfflineInternals.ts).",
      );
    }
  }

  /** Once the API answers: stack.json (the machine-readable "ready"), the banner, and the shutdown order. */
  private async announceWhenServing(system: LocalSystem): Promise<void> {
    const ports = this.ports as Ports;
    // In legacy mode the list comes from the old service: ask serverless offline itself.
    const probe = this.legacyListUrl ? `${localUrl(ports.offline)}/${STAGE}/mysfits` : `${system.info.apiUrl}/mysfits`;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !this.stopping) {
      try {
        if ((await fetch(probe, { signal: AbortSignal.timeout(2_000) })).status === 200) break;
      } catch {
        // not up yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (this.stopping) return;
    if (Date.now() >= deadline) {
      process.stderr.write(`The API did not answer at ${probe} within 60 s: stopping.\n`);
      await this.stop();
      process.exit(1);
    }
    this.offlineShutdown = takeOverSignalListeners(this.onSignal);
    const file = join(this.dataDir, 'stack.json');
    writeFileSync(`${file}.tmp`, `${JSON.stringify(system.info, null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
    this.times.answering = process.uptime();
    this.showOfflineRouteTable?.();
    process.stdout.write(
      banner({
        info: system.info,
        service: this.serverless.service,
        lambdaPort: ports.lambda,
        dataDir: this.dataDir,
        root: this.root,
        times: this.times,
        legacyListUrl: this.legacyListUrl,
      }),
    );
    this.logs?.ready();
  }

  private shutDown(signal: NodeJS.Signals): void {
    if (this.stopping) {
      // Under `npm start` one Ctrl-C arrives twice (from the terminal, and passed on by npm): only a second one
      // pressed later means "stop at once".
      if (Date.now() - this.signalledAt < 1_000) return;
      this.system?.killNow();
      process.exit(1);
    }
    this.signalledAt = Date.now();
    process.stdout.write(`\n${signal}: stopping the local system...\n`);
    void this.stop().finally(() => {
      const theirs = this.offlineShutdown.get(signal) ?? [];
      if (theirs.length === 0) process.exit(0);
      for (const listener of theirs) listener(signal);
    });
  }

  private stop(): Promise<void> {
    this.stopping ??= (async () => {
      rmSync(join(this.dataDir, 'stack.json'), { force: true });
      const system = this.system ?? (await this.starting?.catch(() => undefined));
      await system?.stop();
    })();
    return this.stopping;
  }

  /** The running system's settings, if it runs; else DynamoDB Local (and the clicks stream) for this invocation. */
  private async beforeInvoke(): Promise<void> {
    if (!this.isLocalStage) return;
    const service = this.serverless.service;
    const functionKey = String(this.options.function);
    const definition = service.functions[functionKey];
    const running = await this.runningSystem();
    let settings: Record<string, string>;
    if (running) {
      settings = localSettings(running);
    } else {
      try {
        settings = await this.startForInvocation(functionKey);
      } catch (error) {
        await this.afterInvoke();
        throw this.fail(error);
      }
    }
    // invoke local has put the function's configured settings in process.env; these point them at the local services.
    const configured = { ...service.provider.environment, ...definition?.environment };
    for (const [name, value] of Object.entries(settings)) if (name in configured) process.env[name] = value;
    if (functionKey === transformationFunction(service)) this.keepInvocationOutput();
  }

  /** Tees stdout from now on, so afterInvoke can show the transformation's answer decoded. */
  private keepInvocationOutput(): void {
    const kept: string[] = (this.invocationOutput = []);
    const write = process.stdout.write.bind(process.stdout) as (...args: unknown[]) => boolean;
    process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
      kept.push(String(chunk));
      return write(chunk, ...rest);
    }) as typeof process.stdout.write;
  }

  private async runningSystem(): Promise<StackInfo | undefined> {
    const file = join(this.dataDir, 'stack.json');
    if (!existsSync(file)) return undefined;
    try {
      const info = JSON.parse(readFileSync(file, 'utf8')) as StackInfo;
      return (await answers(info.dynamodbEndpoint)) ? info : undefined;
    } catch {
      return undefined;
    }
  }

  private async startForInvocation(functionKey: string): Promise<Record<string, string>> {
    const service = this.serverless.service;
    const ports = portsFromEnv();
    await assertPortFree(ports.dynamodb, 'DYNAMODB_PORT').catch((error: Error) => {
      throw new StartError(
        `${error.message} (No local system is running: serverless invoke local starts DynamoDB Local there for the invocation.)`,
      );
    });
    mkdirSync(this.dataDir, { recursive: true });
    const db: DynamoDbLocal = await startDatabase(service, ports.dynamodb, this.dataDir, localSiteUrl(ports.web));
    this.utils.log.notice(
      `No local system is running: started DynamoDB Local on ${db.endpoint} (data in ${this.dataDir}) for this invocation.`,
    );
    this.forInvocation.push(async () => {
      await db.stop();
      this.utils.log.notice('Stopped DynamoDB Local.');
    });
    // What the invocation started never keeps the process alive (a handler that fails to load ends it all the
    // same), and goes with it: at exit, or on Ctrl-C.
    for (const handle of [db.process, db.process.stdout, db.process.stderr]) (handle as { unref?: () => void } | null)?.unref?.();
    process.once('exit', () => db.process.kill('SIGKILL'));
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(1));
    const ids = readUserPoolIds(join(this.dataDir, 'user-pool.json'));
    const info: StackInfo = {
      apiUrl: '',
      websiteUrl: '',
      mailboxUrl: '',
      region: service.provider.region,
      // Without the system there is no Cognito to check a token with: a signed-in click counts as a visitor's.
      userPoolId: ids?.userPoolId ?? 'no-local-pool-yet',
      userPoolClientId: ids?.userPoolClientId ?? 'no-local-pool-yet',
      cognitoEndpoint: localUrl(ports.cognito),
      dynamodbEndpoint: db.endpoint,
      firehoseEndpoint: '',
    };
    const definition = service.functions[functionKey];
    const writesClicks = Boolean({ ...service.provider.environment, ...definition?.environment }.FIREHOSE_ENDPOINT !== undefined);
    if (writesClicks) {
      const settings = localSettings(info);
      const transform = transformInProcess(service, this.root, transformationFunction(service), settings);
      const stream: FirehoseStandIn = await startClicksStream(service, await freePort(), this.dataDir, transform, false);
      this.utils.log.notice(
        `Started the clicks stream for this invocation: what it takes goes to ${join(this.dataDir, 'clicks-bucket')} when it ends.`,
      );
      this.forInvocation.push(() => stream.stop());
      info.firehoseEndpoint = stream.endpoint;
    }
    return localSettings(info);
  }

  private async afterInvoke(): Promise<void> {
    const decoded = this.invocationOutput && decodedRecords(this.invocationOutput.join(''));
    if (decoded) process.stderr.write(`\n${decoded}\n`);
    // Those helpers hold nothing open (see startForInvocation): this does, until they have stopped.
    const holdOpen = setInterval(() => undefined, 1_000);
    try {
      for (const stopOne of this.forInvocation.splice(0).reverse()) await stopOne().catch(() => undefined);
    } finally {
      clearInterval(holdOpen);
    }
  }
}

/**
 * With no system running, `invoke local` of a function that writes clicks delivers them at the end through the
 * stream's transformation function run here, from its source, with its own settings for the length of the call.
 */
function transformInProcess(service: ResolvedService, root: string, functionKey: string, settings: Record<string, string>) {
  return async (event: FirehoseTransformationEvent): Promise<FirehoseTransformationResult> => {
    const definition = service.functions[functionKey];
    if (!definition) throw new Error(`no function ${functionKey}`);
    const environment = { ...service.provider.environment, ...definition.environment };
    for (const name of Object.keys(settings)) if (name in environment) environment[name] = settings[name];
    const saved = { ...process.env };
    Object.assign(process.env, Object.fromEntries(Object.entries(environment).map(([name, value]) => [name, String(value)])));
    try {
      const separator = definition.handler.lastIndexOf('.');
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded through tsx's hook, with the settings above
      const module = require(join(root, definition.handler.slice(0, separator))) as Record<
        string,
        (event: unknown, context: unknown) => Promise<unknown>
      >;
      const handler = module[definition.handler.slice(separator + 1)];
      if (!handler) throw new Error(`${definition.handler} exports no handler`);
      return (await handler(event, { functionName: functionKey, awsRequestId: 'invoke-local' })) as FirehoseTransformationResult;
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
    }
  };
}
