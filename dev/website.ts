/**
 * The website's build: bundles the website (web/src, TypeScript) with esbuild into web/dist/, next to its static
 * files (web/public). No script or style comes from a CDN: everything the page loads is in web/dist/.
 */
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { PROJECT_ROOT } from './paths';

export const WEB_DIST = join(PROJECT_ROOT, 'web', 'dist');

export async function buildWeb(): Promise<void> {
  rmSync(WEB_DIST, { recursive: true, force: true });
  mkdirSync(WEB_DIST, { recursive: true });
  cpSync(join(PROJECT_ROOT, 'web', 'public'), WEB_DIST, { recursive: true });
  await build({
    entryPoints: [join(PROJECT_ROOT, 'web', 'src', 'main.ts')],
    outfile: join(WEB_DIST, 'app.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2020'],
    minify: true,
    sourcemap: true,
    // amazon-cognito-identity-js was written for bundlers that provide Node's `global`.
    define: { global: 'globalThis' },
    logLevel: 'warning',
  });
}
