/**
 * Runs `serverless package --stage prod` with no AWS credentials and returns the CloudFormation template it wrote,
 * plus small readers for that template (resources by type, a condition's value, the text an expression makes).
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../dev/paths';

const run = promisify(execFile);

export interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
  Condition?: string;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export interface Template {
  Conditions?: Record<string, unknown>;
  Resources: Record<string, Resource>;
  Outputs?: Record<string, { Value: unknown }>;
}

export interface Packaged {
  template: Template;
  /** The names of the files `serverless package` wrote to its package directory. */
  files: string[];
  /** What the command printed (stdout, then stderr). */
  output: string;
}

/** A `serverless package` that failed: its exit code, what it printed, and whether it wrote a package directory. */
export interface Refused {
  code: number;
  output: string;
  wroteSomething: boolean;
}

/** Build output and local state that packaging neither needs nor may share with a running local stack. */
const NOT_COPIED = new Set([
  'node_modules',
  '.git',
  '.esbuild',
  '.serverless',
  '.build',
  '.local',
  '.scratch',
  '.cognito',
  '.dynamodb',
  'dist',
  'coverage',
]);

/** The environment of this process without any way to reach AWS credentials, and with temp files under `tmp`. */
function packagingEnv(tmp: string): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE']) {
    delete env[name];
  }
  return {
    ...env,
    AWS_SDK_LOAD_CONFIG: '0',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    // serverless-esbuild leaves a staging folder per zip in the temp directory: keep them where cleanup finds them.
    TMPDIR: tmp,
  };
}

/**
 * `serverless package --stage prod`, with `params` as --param overrides, and no AWS credentials.
 * It runs in a copy of the project (node_modules linked): serverless-esbuild builds in, then deletes, `.esbuild/` of
 * the directory it runs in, so two runs there at once, or one beside `npm start`, break each other.
 */
export async function packageProd(params: Record<string, string> = {}, prepare?: Prepare): Promise<Packaged> {
  const result = await runPackage(params, prepare);
  if ('code' in result) throw new Error(`serverless package failed (exit code ${result.code}):\n${result.output}`);
  return result;
}

/** `serverless package --stage prod` that must fail: how it failed; throws if it packaged. */
export async function packageProdRefused(params: Record<string, string>): Promise<Refused> {
  const result = await runPackage(params);
  if (!('code' in result)) throw new Error(`serverless package with ${JSON.stringify(params)} packaged; it should have stopped`);
  return result;
}

/** Changes the copy of the project before it is packaged (its root given), as a contributor's change would. */
export type Prepare = (serviceRoot: string) => Promise<void>;

async function runPackage(params: Record<string, string>, prepare?: Prepare): Promise<Packaged | Refused> {
  const root = await mkdtemp(join(tmpdir(), 'mysfits-infra-'));
  try {
    const service = join(root, 'service');
    const output = join(root, 'package');
    const tmp = join(root, 'tmp');
    await mkdir(tmp);
    await cp(PROJECT_ROOT, service, { recursive: true, filter: (source) => !NOT_COPIED.has(basename(source)) });
    await symlink(join(PROJECT_ROOT, 'node_modules'), join(service, 'node_modules'), 'dir');
    await prepare?.(service);

    const args = [
      'serverless',
      'package',
      '--stage',
      'prod',
      '--package',
      output,
      ...Object.entries(params).map(([name, value]) => `--param=${name}=${value}`),
    ];
    let printed: { stdout: string; stderr: string };
    try {
      printed = await run('npx', args, { cwd: service, env: packagingEnv(tmp), timeout: 110_000, maxBuffer: 10 * 1024 * 1024 });
    } catch (error) {
      const { stdout, stderr, code } = error as { stdout?: string; stderr?: string; code?: unknown };
      if (typeof code !== 'number') throw error; // killed by the timeout, or npx not found: not a refusal
      const wrote = await Promise.all(
        [output, join(service, '.serverless')].map((dir) =>
          readdir(dir).then(
            () => true,
            () => false,
          ),
        ),
      );
      return { code, output: `${stdout ?? ''}\n${stderr ?? ''}`, wroteSomething: wrote.some(Boolean) };
    }

    const template = JSON.parse(await readFile(join(output, 'cloudformation-template-update-stack.json'), 'utf8')) as Template;
    return { template, files: await readdir(output), output: `${printed.stdout}\n${printed.stderr}` };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Every resource of `type`, as [logical id, resource] pairs. */
export function resourcesOfType(template: Template, type: string): Array<[string, Resource]> {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

/** The one resource of `type`; throws when there is none or more than one. */
export function onlyResourceOfType(template: Template, type: string): [string, Resource] {
  const found = resourcesOfType(template, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}: ${found.map(([id]) => id).join(', ')}`);
  return found[0] as [string, Resource];
}

/** The resource with logical id `id`; throws when the template has none. */
export function resource(template: Template, id: string): Resource {
  const found = template.Resources[id];
  if (!found) throw new Error(`the template has no resource ${id}`);
  return found;
}

/** A resource's properties; throws when it has none. */
export function properties(template: Template, id: string): Record<string, unknown> {
  const found = resource(template, id).Properties;
  if (!found) throw new Error(`${id} has no Properties`);
  return found;
}

/** A resource's DependsOn, always as a list. */
export function dependsOn(resource: Resource): string[] {
  return resource.DependsOn === undefined ? [] : [resource.DependsOn].flat();
}

/**
 * The value of a template condition, for conditions made of Fn::Equals and Fn::Not over literal values: the shape
 * `${param:...}` leaves once the framework has resolved it. Anything else (a Ref, another function) throws.
 */
export function evaluateCondition(template: Template, name: string): boolean {
  const condition = template.Conditions?.[name];
  if (condition === undefined) throw new Error(`the template has no condition ${name}`);
  return evaluate(condition);
}

function evaluate(expression: unknown): boolean {
  if (expression && typeof expression === 'object' && !Array.isArray(expression)) {
    const entries = Object.entries(expression);
    const [fn, args] = entries[0] ?? [];
    if (entries.length === 1 && Array.isArray(args)) {
      if (fn === 'Fn::Not' && args.length === 1) return !evaluate(args[0]);
      if (fn === 'Fn::Equals' && args.length === 2) return literal(args[0]) === literal(args[1]);
    }
  }
  throw new Error(`cannot evaluate condition ${JSON.stringify(expression)}`);
}

/** A literal as CloudFormation compares it (as a string); throws on an intrinsic function or a Ref. */
function literal(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`not a literal: ${JSON.stringify(value)}`);
}

/**
 * The text a string-valued template expression makes, with what is known only at deploy time left in Fn::Sub's own
 * notation: a Ref as `${Id}`, a Fn::GetAtt as `${Id.Attribute}`, a pseudo parameter as `${AWS::Region}`. So
 * `{ 'Fn::Join': ['', ["'", { 'Fn::Sub': 'https://${Site.DomainName}' }, "'"]] }` is `'https://${Site.DomainName}'`.
 * Literals, Ref, Fn::GetAtt, Fn::Join and Fn::Sub only; anything else throws.
 */
export function textOf(expression: unknown): string {
  if (typeof expression === 'string') return expression;
  if (typeof expression === 'number' || typeof expression === 'boolean') return String(expression);
  if (expression && typeof expression === 'object' && !Array.isArray(expression)) {
    const entries = Object.entries(expression);
    const [fn, args] = entries[0] ?? [];
    if (entries.length === 1) {
      if (fn === 'Ref' && typeof args === 'string') return `\${${args}}`;
      if (fn === 'Fn::GetAtt') return `\${${(typeof args === 'string' ? args.split('.') : (args as unknown[]).map(textOf)).join('.')}}`;
      if (fn === 'Fn::Join' && Array.isArray(args) && args.length === 2 && typeof args[0] === 'string' && Array.isArray(args[1])) {
        return args[1].map(textOf).join(args[0]);
      }
      if (fn === 'Fn::Sub') return substitute(args);
    }
  }
  throw new Error(`cannot read ${JSON.stringify(expression)} as text`);
}

/** Fn::Sub's template with its own variables (the two-element form) replaced; `${!...}` literals are not supported. */
function substitute(args: unknown): string {
  const [template, variables = {}] = Array.isArray(args) ? args : [args];
  if (typeof template !== 'string' || template.includes('${!')) throw new Error(`cannot read Fn::Sub ${JSON.stringify(args)}`);
  return template.replace(/\$\{([^}]+)\}/g, (whole, name: string) =>
    Object.hasOwn(variables as object, name) ? textOf((variables as Record<string, unknown>)[name]) : whole,
  );
}

/**
 * What every traced function may do besides its own work: send its traces. X-Ray has no resource-level
 * permissions, so this is the one statement with the resource '*' (infra/function-roles.js).
 */
export const XRAY_STATEMENT = { Effect: 'Allow', Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Resource: ['*'] };

/** A role's statements without the X-Ray one, which must be there exactly once (as `normalised` compares them). */
export function withoutXRay<S extends { Action: string | string[]; Resource: unknown }>(
  statements: S[],
  normalised: (s: S) => unknown,
): S[] {
  const xray = JSON.stringify(normalised(XRAY_STATEMENT as unknown as S));
  const rest = statements.filter((s) => JSON.stringify(normalised(s)) !== xray);
  if (statements.length - rest.length !== 1)
    throw new Error(`expected exactly one X-Ray statement, found ${statements.length - rest.length}`);
  return rest;
}

/** `expression` with every Fn::If replaced by the branch its condition takes in this template. */
export function chosen(template: Template, expression: unknown): unknown {
  if (Array.isArray(expression)) return expression.map((e) => chosen(template, e));
  if (!expression || typeof expression !== 'object') return expression;
  const entries = Object.entries(expression);
  if (entries.length === 1 && entries[0]?.[0] === 'Fn::If') {
    const [condition, whenTrue, whenFalse] = entries[0][1] as [string, unknown, unknown];
    return chosen(template, evaluateCondition(template, condition) ? whenTrue : whenFalse);
  }
  return Object.fromEntries(entries.map(([key, value]) => [key, chosen(template, value)]));
}

/**
 * What the template's kept resources and outputs name (Ref, Fn::GetAtt, Fn::Sub's `${Id}` and `${Id.Attribute}`,
 * through the branch of each Fn::If its condition takes) that it does not make: a resource whose condition is false
 * is not made. Pseudo parameters (AWS::...) are not resources.
 */
export function danglingReferences(template: Template): { referenced: string[]; dangling: string[] } {
  const made = new Set(
    Object.entries(template.Resources)
      .filter(([, r]) => !r.Condition || evaluateCondition(template, r.Condition))
      .map(([id]) => id),
  );
  const kept = chosen(template, { r: template.Resources, o: template.Outputs });
  const text = JSON.stringify(kept);
  const referenced = [
    ...[...text.matchAll(/"(?:Ref|Fn::GetAtt)":\[?"([A-Za-z0-9:]+)/g)].map((m) => m[1] ?? ''),
    ...[...text.matchAll(/"Fn::Sub":"((?:[^"\\]|\\.)*)"/g)].flatMap((m) =>
      [...(m[1] ?? '').matchAll(/\$\{([A-Za-z0-9:]+)(?:\.[A-Za-z0-9.]+)?\}/g)].map((v) => v[1] ?? ''),
    ),
  ];
  const unique = [...new Set(referenced)].filter((id) => id && !id.startsWith('AWS::'));
  return { referenced: unique, dangling: unique.filter((id) => !made.has(id)) };
}
