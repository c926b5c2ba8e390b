/**
 * A logged error's stack trace names our TypeScript files and lines although node does not load source maps at start
 * (shared/stackTraces.ts): a module bundled with the functions' own esbuild options throws in a plain node process
 * (jest would map the trace itself), and that trace is read here.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { functionBuildOptions } from '../../dev/esbuildOptions';
import { PROJECT_ROOT } from '../../dev/paths';
import { mapErrorStack, readableStack } from '../../shared/stackTraces';
import { THROWING_LINE } from '../support/failsOnLine';
import { coldStart } from '../support/coldStart';

const OUT = join(PROJECT_ROOT, 'node_modules', '.cache', 'mysfits-tests', 'stackTraces');
const SOURCE = 'tests/support/failsOnLine.ts';

/** The trace node prints for the bundled module's error, without source-map support. */
let rawStack: string;
/** An error carrying that trace (a fresh one each time: mapping rewrites an error once, in place). */
const thrown = (): Error => Object.assign(new Error('failed: for the test'), { stack: rawStack });

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  const bundle = join(OUT, 'failsOnLine.js');
  await build({ ...functionBuildOptions(), entryPoints: [join(PROJECT_ROOT, SOURCE)], outfile: bundle, logLevel: 'error' });
  const script = `try { require(${JSON.stringify(bundle)}).failWithContext('for the test') } catch (e) { process.stdout.write(e.stack) }`;
  rawStack = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { PATH: process.env.PATH } });
});

/** shared/logger as a function loads it, at the INFO level (the unit tests' default is SILENT). */
const freshLogger = async () => (await coldStart({ POWERTOOLS_LOG_LEVEL: 'INFO' }, () => import('../../shared/logger'))).logger;

test('a frame of a bundled file is named by its source file and line', () => {
  // Arrange: as node prints it, the frame points into the minified bundle
  const { stack = '' } = thrown();
  expect(stack).toMatch(/failsOnLine\.js:1:\d+\)/);
  // Act
  const readable = readableStack(stack);
  // Assert
  expect(readable.split('\n')[0]).toBe('Error: failed: for the test');
  expect(readable).toMatch(new RegExp(`at \\S+ \\(${SOURCE.replace(/\./g, '\\.')}:${THROWING_LINE}:\\d+\\)`));
  expect(readable).not.toMatch(/failsOnLine\.js:1:/);
});

test('the logger writes the readable trace and location, and leaves the rest of the error as it was', async () => {
  // Arrange
  const logger = await freshLogger();
  const error = Object.assign(thrown(), { code: 'E_TEST' });
  const lines: string[] = [];
  // Errors go to stderr.
  const write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true));
  // Act
  try {
    logger.error('Request failed', { error });
  } finally {
    write.mockRestore();
  }
  // Assert
  const logged = JSON.parse(lines.join('')) as { error: { location: string; stack: string; message: string; code: string } };
  expect(logged.error.location).toBe(`${SOURCE}:${THROWING_LINE}`);
  expect(logged.error.stack).toContain(`${SOURCE}:${THROWING_LINE}:`);
  expect(logged.error).toMatchObject({ message: 'failed: for the test', code: 'E_TEST' });
});

test("an error's cause is mapped too, and each error only once", () => {
  // Arrange
  const cause = thrown();
  const error = new Error('outer', { cause });
  // Act
  mapErrorStack(error);
  const once = cause.stack;
  mapErrorStack(error);
  // Assert
  expect(cause.stack).toContain(`${SOURCE}:${THROWING_LINE}:`);
  expect(cause.stack).toBe(once);
});

test('frames without a map (the source run by tsx or jest, node internals) and lines that are not frames stay as they are', () => {
  // Arrange
  const stack = [
    'Error: plain',
    `    at handler (${join(PROJECT_ROOT, 'shared', 'http.ts')}:12:3)`,
    '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
    '    at async Promise.all (index 0)',
  ].join('\n');
  // Act / Assert
  expect(readableStack(stack)).toBe(stack);
});

test('an unreadable map leaves the trace as it is, and logging does not fail', () => {
  // Arrange
  const file = join(OUT, 'brokenMap.js');
  writeFileSync(file, 'module.exports = 1;\n');
  writeFileSync(`${file}.map`, '{"version":3,"mappings":');
  const stack = `Error: x\n    at run (${file}:1:5)`;
  // Act / Assert
  expect(readableStack(stack)).toBe(stack);
});
