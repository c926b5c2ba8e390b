/** How serverless-esbuild builds the functions: custom.esbuild of the resolved config, as the plugin hands it to esbuild. */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { BuildOptions, Plugin } from 'esbuild';
import { SERVICE } from './functions';
import { PROJECT_ROOT } from './paths';

const load = createRequire(__filename);

/** serverless-esbuild's own settings, which it takes out before calling esbuild. */
const PLUGIN_ONLY = new Set([
  'exclude',
  'packager',
  'concurrency',
  'zipConcurrency',
  'nativeZip',
  'keepOutputDirectory',
  'disposeContext',
  'watch',
]);

/** The options of every function's build as a deployed stage has them; CommonJS, from the project's folder (custom.esbuild's alias is relative to it). */
export function functionBuildOptions(): BuildOptions {
  const configured = (SERVICE.custom?.esbuild ?? {}) as Record<string, unknown>;
  const options = Object.fromEntries(Object.entries(configured).filter(([key]) => !PLUGIN_ONLY.has(key))) as BuildOptions;
  // serverless-esbuild takes `plugins` as a file, relative to the project, that exports the list.
  const plugins = typeof configured.plugins === 'string' ? (load(join(PROJECT_ROOT, configured.plugins)) as Plugin[]) : [];
  // As deployed: the local stage's config leaves its bundles unminified (minifyBundles), a deployed stage's are not.
  return { ...options, minify: true, plugins, format: 'cjs', absWorkingDir: PROJECT_ROOT };
}
