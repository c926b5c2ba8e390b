/**
 * The service as the Serverless Framework resolves it, and what the local tools read from it: the tables, the user
 * pool, the functions and their routes. The plugin of the local system gets it as `serverless.service`; tools that
 * run outside a serverless command (seed, tests, bench) get the same from `serverless print`, cached by the content
 * of the config files so that a second read costs nothing. There is no other reader of serverless.yml.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { PROJECT_ROOT } from './paths';

type Json = Record<string, unknown>;

export interface CfnResource {
  Type: string;
  Properties?: Json;
  Condition?: string;
}

export interface HttpEvent {
  path: string;
  method: string;
  authorizer?: unknown;
}

export interface FunctionDefinition {
  handler: string;
  name?: string;
  environment?: Record<string, unknown>;
  events?: Array<{ http?: HttpEvent }>;
}

/** The parts of a resolved service the local tools read. */
export interface ResolvedService {
  service: string;
  params?: Record<string, Json>;
  provider: { stage: string; region: string; environment?: Record<string, unknown> };
  custom?: Json;
  functions: Record<string, FunctionDefinition>;
  resources: { Resources: Record<string, CfnResource>; Conditions?: Record<string, unknown> };
}

const CACHE_DIR = join(PROJECT_ROOT, 'node_modules', '.cache', 'mysfits-service');
const SERVERLESS_BIN = join(PROJECT_ROOT, 'node_modules', 'serverless', 'bin', 'serverless.js');

/** serverless.yml and every file it includes with ${file(...)}, recursively: what the resolved config depends on. */
export function configFiles(root = PROJECT_ROOT): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || !existsSync(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\$\{file\(([^)]+)\)/g)) visit(resolve(dirname(file), (match[1] as string).trim()));
  };
  visit(join(root, 'serverless.yml'));
  return [...seen];
}

function cacheKey(stage: string): string {
  const hash = createHash('sha256').update(stage);
  for (const file of configFiles()) hash.update(file).update(readFileSync(file));
  return hash.digest('hex').slice(0, 16);
}

const printArgs = (stage: string) => [SERVERLESS_BIN, 'print', '--stage', stage, '--format', 'json'];
const printOptions = {
  cwd: PROJECT_ROOT,
  maxBuffer: 16 * 1024 * 1024,
  env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  encoding: 'utf8' as const,
};

function cached(stage: string): { file: string; service?: ResolvedService } {
  const file = join(CACHE_DIR, `${stage}-${cacheKey(stage)}.json`);
  return { file, service: existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ResolvedService) : undefined };
}

function remember(file: string, printed: string): ResolvedService {
  const service = JSON.parse(printed) as ResolvedService;
  mkdirSync(CACHE_DIR, { recursive: true });
  writeFileSync(`${file}.${process.pid}`, printed);
  renameSync(`${file}.${process.pid}`, file);
  return service;
}

/**
 * The service resolved by the Framework for `stage` (`serverless print --format json`). Cached per content of the
 * config files; the config reads no environment variable, so the answer depends on nothing else.
 */
export async function resolvedService(stage: string): Promise<ResolvedService> {
  const { file, service } = cached(stage);
  if (service) return service;
  const { stdout } = await promisify(execFile)(process.execPath, printArgs(stage), printOptions);
  return remember(file, stdout);
}

/** The same, for test tables that must exist when a test file loads. */
export function resolvedServiceSync(stage: string): ResolvedService {
  const { file, service } = cached(stage);
  return service ?? remember(file, execFileSync(process.execPath, printArgs(stage), printOptions));
}

/** A stage's parameters as the Framework merges them: `default`, then the stage's own block. */
export function stageParams(service: ResolvedService, stage: string): Json {
  return { ...service.params?.default, ...service.params?.[stage] };
}

function resourcesOfType(service: ResolvedService, type: string): Array<[string, CfnResource]> {
  return Object.entries(service.resources.Resources).filter(([, resource]) => resource.Type === type);
}

/**
 * CreateTable inputs for every AWS::DynamoDB::Table of the service, keyed by logical id; `names` renames tables by
 * logical id (tests make tables of their own). Settings DynamoDB Local ignores (PITR, deletion policy) are left out.
 */
export function tableDefinitions(service: ResolvedService, names: Record<string, string> = {}): Record<string, CreateTableCommandInput> {
  return Object.fromEntries(
    resourcesOfType(service, 'AWS::DynamoDB::Table').map(([id, { Properties: p = {} }]) => [
      id,
      {
        TableName: names[id] ?? String(p.TableName),
        BillingMode: p.BillingMode,
        AttributeDefinitions: p.AttributeDefinitions,
        KeySchema: p.KeySchema,
        GlobalSecondaryIndexes: p.GlobalSecondaryIndexes,
      } as CreateTableCommandInput,
    ]),
  );
}

/** The one resource of `type`, or an error that names what the service lacks. */
function onlyResource(service: ResolvedService, type: string): Json {
  const found = resourcesOfType(service, type);
  if (found.length !== 1)
    throw new Error(`the service defines ${found.length} resources of type ${type}; the local system needs exactly one`);
  return (found[0]?.[1].Properties ?? {}) as Json;
}

export const userPoolProperties = (service: ResolvedService): Json => onlyResource(service, 'AWS::Cognito::UserPool');
export const userPoolClientProperties = (service: ResolvedService): Json => onlyResource(service, 'AWS::Cognito::UserPoolClient');
export const deliveryStreamProperties = (service: ResolvedService): Json => onlyResource(service, 'AWS::KinesisFirehose::DeliveryStream');

/** The value of an environment variable the functions are given (provider-wide, or by any function). */
export function functionSetting(service: ResolvedService, name: string): string | undefined {
  const sources = [service.provider.environment, ...Object.values(service.functions).map((f) => f.environment)];
  const value = sources.find((environment) => environment?.[name] !== undefined)?.[name];
  return value === undefined ? undefined : String(value);
}

/** The table the functions read the mysfits from (MYSFITS_TABLE), which the local system seeds. */
export function mysfitsTableName(service: ResolvedService): string {
  const name = functionSetting(service, 'MYSFITS_TABLE');
  if (!name) throw new Error('no function of the service is given MYSFITS_TABLE');
  return name;
}

/** The function's name in AWS (and in serverless offline's Lambda endpoint): <service>-<stage>-<key>. */
export function deployedName(service: ResolvedService, functionKey: string): string {
  return service.functions[functionKey]?.name ?? `${service.service}-${service.provider.stage}-${functionKey}`;
}

export interface Route {
  functionKey: string;
  method: string;
  path: string;
  authorized: boolean;
}

/** Every HTTP route of the service, as `METHOD /path` with its function. */
export function routes(service: ResolvedService): Route[] {
  return Object.entries(service.functions).flatMap(([functionKey, definition]) =>
    (definition.events ?? [])
      .filter((event): event is { http: HttpEvent } => Boolean(event.http))
      .map(({ http }) => ({
        functionKey,
        method: http.method.toUpperCase(),
        path: `/${http.path.replace(/^\//, '')}`,
        authorized: Boolean(http.authorizer),
      })),
  );
}
