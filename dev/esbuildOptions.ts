/** How serverless-esbuild builds the functions: custom.esbuild of the resolved config, as the plugin hands it to esbuild. */
import type { BuildOptions } from 'esbuild';
import { SERVICE } from './functions';
import { PROJECT_ROOT } from './paths';

/** serverless-esbuild's own settings, which it takes out before calling esbuild. */
const PLUGIN_ONLY = new Set(['exclude', 'packager', 'concurrency', 'zipConcurrency', 'nativeZip', 'keepOutputDirectory', 'disposeContext']);

/** The options of every function's build; CommonJS, from the project's folder (custom.esbuild's alias is relative to it). */
export function functionBuildOptions(): BuildOptions {
  const configured = (SERVICE.custom?.esbuild ?? {}) as Record<string, unknown>;
  const options = Object.fromEntries(Object.entries(configured).filter(([key]) => !PLUGIN_ONLY.has(key))) as BuildOptions;
  return { ...options, format: 'cjs', absWorkingDir: PROJECT_ROOT };
}
