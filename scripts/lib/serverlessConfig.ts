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
