/**
 * The website's build: bundles the website (web/src, TypeScript) with esbuild into web/dist/, next to its static
 * files (web/public) and the mysfits' pictures (web/pictures). No script or style comes from a CDN: everything the
 * page loads is in web/dist/. Every file but index.html has a content-hashed name under assets/ (web/assets.cjs),
 * and index.html is rewritten to name them.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { build } from 'esbuild';
import { ASSETS, hashedKey } from '../web/assets.cjs';
import { buildInputs, forgetBuild, recordBuild, unchangedBuild } from './buildRecord';
import { PROJECT_ROOT } from './paths';

export const WEB_DIR = join(PROJECT_ROOT, 'web');
export const WEB_DIST = join(WEB_DIR, 'dist');

export interface WebBuildOptions {
  /** The website's folder (src/, public/, pictures/); web/ unless a test builds a copy. */
  webDir?: string;
  /** Where the build goes; web/dist unless a test builds a copy. */
  outDir?: string;
}

export interface WebBuild {
  outDir: string;
  /** Every file written, as keys relative to outDir ('index.html', 'assets/app.4KQ2XW7Z.js', ...). */
  keys: string[];
}

/** What the builder itself is made of: a change to one of these builds again too. */
const BUILDER = ['dev/website.ts', 'web/assets.cjs'].map((file) => join(PROJECT_ROOT, file));

/** Beside outDir (never in it: outDir is published): when its build began, every file and folder it read, its keys. */
const recordOf = (outDir: string) => `${outDir}.inputs.json`;

function write(outDir: string, key: string, content: Buffer | string): void {
  const file = join(outDir, ...key.split('/'));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}

/**
 * The build already in outDir, if nothing it was built from changed since it began (its record says what it read);
 * undefined when there is none or something changed. `npm start` serves it rather than build the same again.
 */
export function keptWebBuild(options: WebBuildOptions = {}): WebBuild | undefined {
  const outDir = options.outDir ?? join(options.webDir ?? WEB_DIR, 'dist');
  const keys = unchangedBuild<{ keys: string[] }>(recordOf(outDir))?.keys;
  const whole = Array.isArray(keys) && keys.length > 0 && keys.every((key) => existsSync(join(outDir, ...key.split('/'))));
  return whole ? { outDir, keys } : undefined;
}

/**
 * Builds into a fresh folder beside outDir and only then puts it in outDir's place, so a failed build leaves the
 * last good one where it was (the live edit loop serves it meanwhile).
 */
export async function buildWeb(options: WebBuildOptions = {}): Promise<WebBuild> {
  const webDir = options.webDir ?? WEB_DIR;
  const outDir = options.outDir ?? join(webDir, 'dist');
  const began = Date.now();
  forgetBuild(recordOf(outDir));
  const next = `${outDir}.next-${process.pid}`;
  rmSync(next, { recursive: true, force: true });
  mkdirSync(join(next, ASSETS), { recursive: true });
  try {
    /** What index.html names ('styles.css') -> the key it is published under ('assets/styles.1a2b3c4d5e.css'). */
    const renamed = new Map<string, string>();
    const publicDir = join(webDir, 'public');
    for (const name of readdirSync(publicDir)) {
      if (name === 'index.html') continue;
      const content = readFileSync(join(publicDir, name));
      const key = hashedKey(name, content);
      write(next, key, content);
      renamed.set(name, key);
    }
    const picturesDir = join(webDir, 'pictures');
    for (const name of readdirSync(picturesDir).filter((n) => n.endsWith('.svg'))) {
      const content = readFileSync(join(picturesDir, name));
      write(next, hashedKey(name, content), content);
    }
    const placeholder = renamed.get('placeholder.svg');
    if (!placeholder) throw new Error(`${relative(PROJECT_ROOT, publicDir)} has no placeholder.svg`);
    const result = await build({
      entryPoints: { app: join(webDir, 'src', 'main.ts') },
      outdir: join(next, ASSETS),
      entryNames: '[name].[hash]',
      bundle: true,
      // The project's packages, for a copy of web/ elsewhere too (the live edit loop's test builds one in a temporary folder).
      nodePaths: [join(PROJECT_ROOT, 'node_modules')],
      format: 'esm',
      platform: 'browser',
      target: ['es2020'],
      minify: true,
      sourcemap: true,
      metafile: true,
      define: { PLACEHOLDER_URL: JSON.stringify(`/${placeholder}`) },
      logLevel: 'silent',
    });
    const script = Object.keys(result.metafile.outputs).find((path) => path.endsWith('.js'));
    if (!script) throw new Error('esbuild wrote no script');
    renamed.set('app.js', relative(next, script).split(sep).join('/'));

    const index = readFileSync(join(publicDir, 'index.html'), 'utf8').replace(
      /\b(src|href)="([^"/:#?]+)"/g,
      (whole, attribute: string, name: string) => (renamed.has(name) ? `${attribute}="/${renamed.get(name)}"` : whole),
    );
    for (const name of ['app.js', 'styles.css']) {
      if (!index.includes(`"/${renamed.get(name)}"`)) throw new Error(`index.html does not load ${name}`);
    }
    write(next, 'index.html', index);

    const old = `${outDir}.old-${process.pid}`;
    rmSync(old, { recursive: true, force: true });
    try {
      renameSync(outDir, old);
    } catch {
      // no earlier build
    }
    renameSync(next, outDir);
    rmSync(old, { recursive: true, force: true });
    const keys = readdirSync(outDir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(outDir, join(entry.parentPath, entry.name)).split(sep).join('/'))
      .sort();
    // The folders too: a file added to or removed from one of them changes the folder.
    const folders = ['src', 'public', 'pictures'].map((folder) => join(webDir, folder));
    const read = folders.flatMap((folder) => readdirSync(folder, { recursive: true }).map((name) => join(folder, String(name))));
    recordBuild(recordOf(outDir), began, buildInputs(result.metafile.inputs, [...folders, ...read, ...BUILDER]), { keys });
    return { outDir, keys };
  } catch (error) {
    rmSync(next, { recursive: true, force: true });
    throw error;
  }
}
