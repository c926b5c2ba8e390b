/**
 * local/cognitoLocalInternals.ts is the one module that reaches into cognito-local's insides: the version it was
 * written for and every internal module it takes, held to the installed copy. An upgrade that moves one fails here,
 * by name, instead of `npm start` breaking somewhere else.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../dev/paths';
import { WRITTEN_FOR } from '../../../local/cognitoLocalInternals';

const cognitoLocal = join(PROJECT_ROOT, 'node_modules', 'cognito-local');
const TEST_FILE = 'tests/unit/local/cognitoLocalInternals.test.ts';

test(`written for cognito-local ${WRITTEN_FOR} (on a failure: see local/cognitoLocalInternals.ts, then its WRITTEN_FOR)`, () => {
  const { version } = JSON.parse(readFileSync(join(cognitoLocal, 'package.json'), 'utf8')) as { version: string };
  expect(version).toBe('5.3.0');
  expect(version).toBe(WRITTEN_FOR);
});

/** Every module of cognito-local that local/cognitoLocalInternals.ts names, and the one its header points to. */
const INTERNAL_MODULES = [
  ...new Set(
    [...readFileSync(join(PROJECT_ROOT, 'local', 'cognitoLocalInternals.ts'), 'utf8').matchAll(/'cognito-local\/([^']+)'/g)].map(
      ([, path]) => (path!.endsWith('.json') ? path! : `${path}.js`),
    ),
  ),
  'lib/server/defaults.js',
];

test('the module names its internals (the list below is read from it)', () => {
  expect(INTERNAL_MODULES.length).toBeGreaterThan(10);
});

test.each(INTERNAL_MODULES)('its internal module %s is there', (internal) => {
  expect(existsSync(join(cognitoLocal, internal)) || existsSync(join(cognitoLocal, internal.replace(/\.js$/, '/index.js')))).toBe(true);
});

test('no other module of the project (nor a test) reaches into cognito-local', () => {
  const hits = execFileSync('git', ['grep', '--untracked', '-l', "from 'cognito-local", '--', '*.ts', '*.js', '*.cjs', `:!${TEST_FILE}`], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
  expect(hits).toEqual(['local/cognitoLocalInternals.ts']);
});

test('the local Cognito loads without the AWS SDK v2 and the encryption SDK (they serve only a KMS-encrypting trigger)', () => {
  // In a process of its own: the server's parts bring an ES module jest cannot require.
  const script = `require('tsx/cjs/api').register();
require('./local/cognito');
const loaded = Object.keys(require.cache);
const count = (pattern) => loaded.filter((file) => pattern.test(file)).length;
console.log(JSON.stringify({ cognitoLocal: count(/node_modules\\/cognito-local\\/lib\\/server\\//), unwanted: loaded.filter((file) => /node_modules\\/(aws-sdk|@aws-crypto)\\/.*\\.js$/.test(file)) }));`;
  const said = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: PROJECT_ROOT, encoding: 'utf8' })) as {
    cognitoLocal: number;
    unwanted: string[];
  };
  expect(said.cognitoLocal).toBeGreaterThan(2);
  expect(said.unwanted).toEqual([]);
});
