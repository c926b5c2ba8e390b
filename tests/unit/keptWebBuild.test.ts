/**
 * dev/website.ts's keptWebBuild: `npm start` serves the last build of the website when nothing it was built from
 * changed, and builds again on any change: a source, a static file or picture, a file added to one of the website's
 * folders, a shared module the site imports, a file of the build gone, or a build that failed. On a temporary copy
 * of the website (never the tracked files).
 */
import { appendFileSync, cpSync, mkdtempSync, readdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../dev/paths';
import { buildWeb, keptWebBuild, WEB_DIR, type WebBuild } from '../../dev/website';
import { startLiveReload } from '../../local/liveReload';

jest.setTimeout(60_000);

let root: string;
let web: string;
let outDir: string;
let built: WebBuild;
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

beforeEach(async () => {
  // The copy sits where web/ does, with a copy of shared/ beside it (the site imports the API's contract from there).
  root = mkdtempSync(join(tmpdir(), 'mysfits-kept-web-'));
  web = join(root, 'web');
  outDir = join(web, 'dist');
  for (const folder of ['src', 'public', 'pictures']) cpSync(join(WEB_DIR, folder), join(web, folder), { recursive: true });
  cpSync(join(PROJECT_ROOT, 'shared'), join(root, 'shared'), { recursive: true });
  // A file written in the millisecond the build begins counts as changed after it (to be safe): none is, here.
  await settle();
  built = await buildWeb({ webDir: web, outDir });
  await settle();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

test('nothing changed: the build there is kept, with the same files', () => {
  expect(keptWebBuild({ webDir: web, outDir })).toEqual(built);
});

test.each([
  ['a source edited', () => appendFileSync(join(web, 'src', 'main.ts'), '\n// edited\n')],
  ['a nested source edited', () => appendFileSync(join(web, 'src', 'views', 'likeButton.ts'), '\n// edited\n')],
  ['the style edited', () => appendFileSync(join(web, 'public', 'styles.css'), '\n.edited {}\n')],
  ['a picture edited', () => appendFileSync(join(web, 'pictures', 'yeti.svg'), '\n')],
  ['a file added to public/', () => writeFileSync(join(web, 'public', 'robots.txt'), 'User-agent: *\n')],
  ['a picture removed', () => unlinkSync(join(web, 'pictures', 'yeti.svg'))],
  ['a shared module the site imports edited', () => appendFileSync(join(root, 'shared', 'contract.ts'), '\n// edited\n')],
  ['a file of the build gone', () => unlinkSync(join(outDir, built.keys.find((key) => key.endsWith('.js')) as string))],
  ['its record damaged', () => writeFileSync(`${outDir}.inputs.json`, '{"began":')],
])('%s: built again', (_, change) => {
  change();
  expect(keptWebBuild({ webDir: web, outDir })).toBeUndefined();
});

test('a shared module the site does not import: still kept', () => {
  appendFileSync(join(root, 'shared', 'adoptions.ts'), '\n// edited\n');
  expect(keptWebBuild({ webDir: web, outDir })).toEqual(built);
});

test('a build that failed: the last good build stays served, but is not kept for the next start', async () => {
  appendFileSync(join(web, 'src', 'main.ts'), '\nconst broken = ;\n');
  await expect(buildWeb({ webDir: web, outDir })).rejects.toThrow(/main\.ts/);
  // Its record went with the failed attempt: the next start builds, rather than trust what is there.
  expect(readdirSync(outDir)).toContain('index.html');
  expect(keptWebBuild({ webDir: web, outDir })).toBeUndefined();
});

test('the live edit loop serves the kept build without building it again', async () => {
  const written = statSync(join(outDir, 'index.html')).mtimeMs;
  const live = startLiveReload({ webDir: web, outDir, log: () => undefined });
  try {
    expect(await live.ready).toEqual(built);
    expect(statSync(join(outDir, 'index.html')).mtimeMs).toBe(written);
  } finally {
    await live.stop();
  }
});
