/**
 * Reads serverless.yml as data, so local tools take tables (and routes) from the one config instead of a copy.
 * CloudFormation's short tags (!Ref, !GetAtt, !Sub...) load as their long forms; `${param:x}` is resolved from
 * the stage parameters given by the caller.
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
  functions: Record<string, { handler: string; events?: Array<Record<string, unknown>> }>;
  resources: { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
}

export function loadServerlessConfig(params: Record<string, string> = {}): ServerlessConfig {
  const text = readFileSync(join(PROJECT_ROOT, 'serverless.yml'), 'utf8').replace(
    /\$\{param:(\w+)\}/g,
    (match, name: string) => params[name] ?? match,
  );
  return yaml.load(text, { schema: CFN_SCHEMA }) as ServerlessConfig;
}

/**
 * The stage's parameters as serverless.yml defines them (its `default` block overlaid by the stage's own), with
 * `${self:service}` and `${sls:stage}` resolved. Other variables (such as `${env:...}`) are left as written.
 */
export function stageParams(stage: string): Record<string, unknown> {
  const config = loadServerlessConfig();
  const merged = { ...config.params.default, ...config.params[stage] };
  const resolve = (value: unknown): unknown =>
    typeof value === 'string' ? value.replaceAll('${self:service}', config.service).replaceAll('${sls:stage}', stage) : value;
  return Object.fromEntries(Object.entries(merged).map(([name, value]) => [name, resolve(value)]));
}

/** The table names of a stage, as its parameters give them. */
export function stageTableNames(stage: string): { mysfitsTableName: string; activityTableName: string } {
  const params = stageParams(stage);
  return { mysfitsTableName: String(params.mysfitsTableName), activityTableName: String(params.activityTableName) };
}
