/**
 * Builds a function as serverless.yml's custom.esbuild has serverless-esbuild build it (read from the resolved
 * config, so the bench measures what is deployed), with the AWS SDK left to the runtime (@aws-sdk/* external), or
 * with the options the functions were built with before the cold-start work (kept here, fixed, as the yardstick).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
import { functionBuildOptions } from '../../dev/esbuildOptions';
import { ROOT, type FunctionName } from './functions';

/**
 * Under node_modules/, so `require('@aws-sdk/...')` in a bundle that leaves the SDK out resolves to this project's
 * SDK, as the runtime's copy would in Lambda; and out of the way of git, lint and the type check.
 */
export const BUNDLE_DIR = join(ROOT, 'node_modules', '.cache', 'mysfits-bench');

/**
 * `deployed`: custom.esbuild; `external`: the same with the SDK left out; `before`: the options before issue 13;
 * `withoutTools`: deployed, with shared/metrics.ts and shared/tracing.ts doing nothing (what the tools cost);
 * `powertoolsTracer`: deployed plus Powertools Tracer capturing the DynamoDB client (the library not chosen).
 */
export type Variant = 'before' | 'deployed' | 'external' | 'withoutTools' | 'powertoolsTracer';

/** Points the functions' imports of shared/metrics and shared/tracing at the do-nothing modules in ./withoutTools. */
const withoutTools: Plugin = {
  name: 'without-tools',
  setup(build) {
    build.onResolve({ filter: /(^|\/)(metrics|tracing)$/ }, (args) => {
      const name = /(metrics|tracing)$/.exec(args.path)?.[1] as string;
      const inProject = [join(ROOT, 'shared'), join(ROOT, 'functions')].includes(dirname(args.importer));
      return inProject ? { path: join(__dirname, 'withoutTools', `${name}.ts`) } : undefined;
    });
  },
};

/** An entry point that adds Powertools Tracer, as its documentation has it, to a function. */
function withPowertoolsTracer(fn: FunctionName, dir: string): string {
  const entry = join(dir, `${fn}.entry.ts`);
  const shared = join(ROOT, 'shared');
  writeFileSync(
    entry,
    [
      "import { Tracer } from '@aws-lambda-powertools/tracer';",
      `import { dynamodb } from ${JSON.stringify(join(shared, 'dynamodb'))};`,
      "new Tracer({ serviceName: 'mysfits' }).captureAWSv3Client(dynamodb);",
      `export { handler } from ${JSON.stringify(join(ROOT, 'functions', fn))};`,
      '',
    ].join('\n'),
  );
  return entry;
}

/** What the functions were built with until 1 December 2026: the SDK's CommonJS builds, every credential provider, maps with sources. */
export const BEFORE_OPTIONS: BuildOptions = { bundle: true, minify: true, sourcemap: true, target: 'node22', platform: 'node' };

export interface BuiltBundle {
  file: string;
  metafile: Metafile;
}

/** `minify: false` gives the same bundle readable, with each module's code under a `// path` comment. */
export async function buildBundle(
  fn: FunctionName,
  variant: Variant,
  options: { minify?: boolean; folder?: string } = {},
): Promise<BuiltBundle> {
  const dir = join(BUNDLE_DIR, options.folder ?? variant);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${fn}.js`);
  const chosen = variant === 'before' ? { ...BEFORE_OPTIONS, format: 'cjs' as const, absWorkingDir: ROOT } : functionBuildOptions();
  const entry = variant === 'powertoolsTracer' ? withPowertoolsTracer(fn, dir) : join(ROOT, 'functions', `${fn}.ts`);
  const result = await build({
    ...chosen,
    ...(options.minify === undefined ? {} : { minify: options.minify }),
    ...(variant === 'withoutTools' ? { plugins: [...(chosen.plugins ?? []), withoutTools] } : {}),
    entryPoints: [entry],
    outfile: file,
    external: variant === 'external' ? ['@aws-sdk/*'] : [],
    metafile: true,
    logLevel: 'warning',
  });
  return { file, metafile: result.metafile };
}

/** For a readable bundle: which source file (`shared/http.ts`, `node_modules/@middy/core/index.js`) a 1-based line belongs to. */
export function sourceOfLine(file: string): (line: number) => string | undefined {
  const starts: Array<{ line: number; source: string }> = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      const marker = /^\/\/ ((?:node_modules|functions|shared)\/\S+)$/.exec(text);
      if (marker) starts.push({ line: i + 1, source: marker[1] as string });
    });
  return (line) => {
    let found: string | undefined;
    for (const start of starts) {
      if (start.line > line) break;
      found = start.source;
    }
    return found;
  };
}
