/** Builds a function as serverless.yml's custom.esbuild does (from the resolved config), a variant of that, or the fixed yardstick. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
import { functionBuildOptions } from '../../dev/esbuildOptions';
import { actionsOf, HTTP_FUNCTIONS } from '../../dev/functions';
import { ROOT } from './part';

/** The functions the bench runs: the HTTP functions whose only service is DynamoDB (each has a sample event in events/). */
export const FUNCTIONS: readonly string[] = HTTP_FUNCTIONS.filter(
  (key) => actionsOf(key).length > 0 && actionsOf(key).every((action) => action.startsWith('dynamodb:')),
);

/**
 * Under node_modules/, so `require('@aws-sdk/...')` in a bundle that leaves the SDK out resolves to this project's
 * SDK, as the runtime's copy would in Lambda; and out of the way of git, lint and the type check.
 */
const BUNDLE_DIR = join(ROOT, 'node_modules', '.cache', 'mysfits-bench');

/**
 * `deployed`: custom.esbuild; `external`: the same with @aws-sdk/* left to the runtime; `before`: the options before
 * issue 13; `withoutTools`: deployed, with shared/metrics.ts and shared/tracing.ts doing nothing (what the tools
 * cost); `powertoolsTracer`: deployed plus Powertools Tracer capturing the DynamoDB client (the library not chosen).
 */
export type Variant = 'before' | 'deployed' | 'external' | 'withoutTools' | 'powertoolsTracer';

/** What the functions were built with until 1 December 2026: the SDK's CommonJS builds, every credential provider, maps with sources. */
export const BEFORE_OPTIONS: BuildOptions = { bundle: true, minify: true, sourcemap: true, target: 'node22', platform: 'node' };

/** Points the functions' imports of shared/metrics and shared/tracing at the do-nothing modules in ./withoutTools. */
const withoutTools: Plugin = {
  name: 'without-tools',
  setup(build) {
    build.onResolve({ filter: /(^|\/)(metrics|tracing)$/ }, (args) => {
      const inProject = [join(ROOT, 'shared'), join(ROOT, 'functions')].includes(dirname(args.importer));
      return inProject ? { path: join(__dirname, 'withoutTools', `${args.path.split('/').pop()}.ts`) } : undefined;
    });
  },
};

/** An entry point that adds Powertools Tracer to a function, as its documentation has it. */
function withPowertoolsTracer(fn: string, dir: string): string {
  const entry = join(dir, `${fn}.entry.ts`);
  const code = [
    "import { Tracer } from '@aws-lambda-powertools/tracer';",
    `import { dynamodb } from ${JSON.stringify(join(ROOT, 'shared', 'dynamodb'))};`,
    "new Tracer({ serviceName: 'mysfits' }).captureAWSv3Client(dynamodb);",
    `export { handler } from ${JSON.stringify(join(ROOT, 'functions', fn))};`,
  ];
  writeFileSync(entry, `${code.join('\n')}\n`);
  return entry;
}

export async function buildBundle(fn: string, variant: Variant) {
  const dir = join(BUNDLE_DIR, variant);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${fn}.js`);
  const chosen = variant === 'before' ? { ...BEFORE_OPTIONS, format: 'cjs' as const, absWorkingDir: ROOT } : functionBuildOptions();
  const { metafile } = await build({
    ...chosen,
    ...(variant === 'withoutTools' ? { plugins: [...(chosen.plugins ?? []), withoutTools] } : {}),
    entryPoints: [variant === 'powertoolsTracer' ? withPowertoolsTracer(fn, dir) : join(ROOT, 'functions', `${fn}.ts`)],
    outfile: file,
    external: variant === 'external' ? ['@aws-sdk/*'] : [],
    metafile: true,
    logLevel: 'warning',
  });
  return { file, metafile: metafile as Metafile };
}
