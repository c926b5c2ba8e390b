/**
 * The faster start, part two: `serverless offline` bundles no function whose bundle from the last start is still
 * what serverless-esbuild would build (serverless-esbuild itself rebuilds every function at every start). A bundle
 * is reused when it, its source map and the build settings of that start are there, and nothing it was built from
 * (every source its map names, serverless.yml, the lock file, the esbuild plugins) changed after it was written.
 * Reused functions are marked `skipEsbuild` (serverless-esbuild's own switch) for the first build only: its watch
 * rebuilds every function on an edit, as before.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

interface Service {
  custom: Record<string, Record<string, unknown> | undefined>;
  functions: Record<string, { handler: string; skipEsbuild?: boolean }>;
}

/** What every bundle also depends on, relative to the project. */
const SHARED_INPUTS = ['serverless.yml', 'package-lock.json', 'tsconfig.json', 'infra/esbuild-plugins.js'];
const SETTINGS_FILE = 'bundle-settings.json';

const buildDir = (root: string, service: Service) =>
  join(root, String(service.custom.esbuild?.outputWorkFolder ?? '.esbuild'), String(service.custom.esbuild?.outputBuildFolder ?? '.build'));

const settingsOf = (service: Service) => JSON.stringify(service.custom.esbuild ?? {});

function mtime(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Whether the bundle of a handler (`functions/getMysfit.handler`) in `dir` is newer than all it was built from. */
function fresh(dir: string, handler: string, sharedNewest: number): boolean {
  const bundle = join(dir, `${handler.slice(0, handler.lastIndexOf('.'))}.js`);
  const built = mtime(bundle);
  if (built === undefined || built <= sharedNewest || !existsSync(`${bundle}.map`)) return false;
  try {
    const sources = (JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as { sources?: string[] }).sources ?? [];
    // A plugin's module of its own namespace (`no-event-streams:...`) is no file: the plugins' file covers it.
    const files = sources.filter((source) => !/^[\w-]+:/.test(source));
    return files.length > 0 && files.every((source) => (mtime(resolve(dirname(bundle), source)) ?? Infinity) < built);
  } catch {
    return false;
  }
}

/** Marks the functions whose bundles are still good; returns their names. */
export function reuseFreshBundles(service: Service, root: string): string[] {
  const dir = buildDir(root, service);
  const settings = join(dir, SETTINGS_FILE);
  if (!existsSync(settings) || readFileSync(settings, 'utf8') !== settingsOf(service)) return [];
  const sharedNewest = Math.max(...SHARED_INPUTS.map((file) => mtime(join(root, file)) ?? 0));
  const reused = Object.entries(service.functions)
    .filter(([, definition]) => !definition.skipEsbuild && fresh(dir, definition.handler, sharedNewest))
    .map(([name]) => name);
  for (const name of reused) (service.functions[name] as { skipEsbuild?: boolean }).skipEsbuild = true;
  return reused;
}

/** After the first build: every function is built again on an edit, and the settings of this build are noted. */
export function afterFirstBuild(service: Service, root: string, reused: readonly string[]): void {
  for (const name of reused) delete (service.functions[name] as { skipEsbuild?: boolean }).skipEsbuild;
  const dir = buildDir(root, service);
  if (existsSync(dir)) writeFileSync(join(dir, SETTINGS_FILE), settingsOf(service));
}
