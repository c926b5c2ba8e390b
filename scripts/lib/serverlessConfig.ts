/**
 * Reads serverless.yml as data, so local tools take tables, the user pool and routes from the one config instead
 * of a copy. CloudFormation's short tags (!Ref, !GetAtt, !Sub...) load as their long forms, and the variables the
 * config uses are resolved for a stage: ${self:service}, ${sls:stage}, ${param:name} and ${env:NAME, 'default'}.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';

const CFN_TAGS = ['Ref', 'Condition', 'GetAtt', 'Sub', 'Join', 'Select', 'Split', 'If', 'Equals', 'Not', 'And', 'Or',
  'FindInMap', 'Base64', 'Cidr', 'GetAZs', 'ImportValue'];

const CFN_SCHEMA = yaml.DEFAULT_SCHEMA.extend(
  CFN_TAGS.flatMap((tag) =>
    (['scalar', 'sequence', 'mapping'] as const).map(
      (kind) =>
        new yaml.Type(`!${tag}`, {
          kind,
          construct: (data: unknown) =>
            tag === 'Ref' ? { Ref: data } : { [`Fn::${tag}`]: tag === 'GetAtt' && typeof data === 'string' ? data.split('.') : data },
        }),
    ),
  ),
);

export const PROJECT_ROOT = join(__dirname, '..', '..');

export interface ServerlessConfig {
  service: string;
  params: Record<string, Record<string, unknown>>;
  custom: Record<string, unknown>;
  functions: Record<
    string,
    { handler: string; environment?: Record<string, unknown>; events?: Array<{ http?: { path: string; method: string; authorizer?: unknown } }> }
  >;
  resources: { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
}

function readConfig(): ServerlessConfig {
  return yaml.load(readFileSync(join(PROJECT_ROOT, 'serverless.yml'), 'utf8'), { schema: CFN_SCHEMA }) as ServerlessConfig;
}

const VARIABLE = /\$\{(self:service|sls:stage|param:(\w+)|env:(\w+)(?:,\s*'([^']*)')?)\}/g;

function resolver(service: string, stage: string, params: Record<string, unknown>) {
  const valueOf = (whole: string, param?: string, env?: string, fallback?: string): unknown => {
    if (whole === 'self:service') return service;
    if (whole === 'sls:stage') return stage;
    if (param !== undefined) {
      if (!(param in params)) throw new Error(`serverless.yml: no stage parameter ${param} for stage ${stage}`);
      return params[param];
    }
    const fromEnv = env === undefined ? undefined : process.env[env];
    if (fromEnv !== undefined) return fromEnv;
    if (fallback !== undefined) return fallback;
    throw new Error(`serverless.yml: environment variable ${env} is not set`);
  };
  const resolve = (value: unknown): unknown => {
    if (typeof value === 'string') {
      // A value that is one whole variable keeps the variable's type (a list, a boolean...).
      const whole = /^\$\{(self:service|sls:stage|param:(\w+)|env:(\w+)(?:,\s*'([^']*)')?)\}$/.exec(value);
      if (whole) return resolve(valueOf(whole[1] as string, whole[2], whole[3], whole[4]));
      return value.replace(VARIABLE, (_m, all: string, param?: string, env?: string, fallback?: string) =>
        String(resolve(valueOf(all, param, env, fallback))),
      );
    }
    if (Array.isArray(value)) return value.map(resolve);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
    return value;
  };
  return resolve;
}

/** The stage's parameters: serverless.yml's `default` block overlaid by the stage's own, then `overrides`. */
export function stageParams(stage: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const config = readConfig();
  const merged = { ...config.params.default, ...config.params[stage], ...overrides };
  const resolve = resolver(config.service, stage, {});
  return Object.fromEntries(Object.entries(merged).map(([name, value]) => [name, resolve(value)]));
}

/** serverless.yml with its variables resolved for `stage`; `overrides` replace stage parameters (like --param). */
export function loadServerlessConfig(stage: string, overrides: Record<string, unknown> = {}): ServerlessConfig {
  const config = readConfig();
  return resolver(config.service, stage, stageParams(stage, overrides))(config) as ServerlessConfig;
}

/** The table names of a stage, as its parameters give them. */
export function stageTableNames(stage: string): { mysfitsTableName: string; activityTableName: string } {
  const params = stageParams(stage);
  return { mysfitsTableName: String(params.mysfitsTableName), activityTableName: String(params.activityTableName) };
}
