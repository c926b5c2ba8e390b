/**
 * The website's build: bundles the website (web/src, TypeScript) with esbuild into web/dist/, next to its static
 * files (web/public). No script or style comes from a CDN: everything the page loads is in web/dist/.
 */
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { PROJECT_ROOT } from './paths';

export const WEB_DIST = join(PROJECT_ROOT, 'web', 'dist');

/** Builds the site into `dist` (web/dist/ unless told otherwise: the bench builds it elsewhere). */
export async function buildWeb(dist = WEB_DIST): Promise<void> {
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  cpSync(join(PROJECT_ROOT, 'web', 'public'), dist, { recursive: true });
  await build({
    entryPoints: [join(PROJECT_ROOT, 'web', 'src', 'main.ts')],
    outfile: join(dist, 'app.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2020'],
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
  });
}
