/**
 * The README's workshop steps, run as written (the bash block under "The workshop's steps") against a local system
 * on ports of its own: every address comes from stack.json, so the steps cannot drift from the code again.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../dev/paths';
import { EVANGELINE, startTestStack, type TestStack } from '../support/localStack';

jest.setTimeout(240_000);

/** The first bash block after the heading. */
function readmeBlock(heading: string): string {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf(heading));
  const match = /```bash\n([\s\S]*?)```/.exec(section);
  if (!match?.[1]) throw new Error(`no bash block under ${heading} in README.md`);
  return match[1];
}

let stack: TestStack;
beforeAll(async () => {
  try {
    execFileSync('aws', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('The README steps need the AWS CLI: install it (Debian: apt-get install awscli); .ci/run does.');
  }
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.destroy();
});

test("the workshop's steps run as written, on ports that are not the defaults", async () => {
  // Arrange
  const steps = readmeBlock("### The workshop's steps, against the local stack");
  expect(new URL(stack.info.apiUrl).port).not.toBe('3000');
  // Act
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      'bash',
      ['-euo', 'pipefail', '-c', steps],
      { cwd: PROJECT_ROOT, env: { ...process.env, LOCAL_DATA_DIR: stack.dataDir }, timeout: 120_000 },
      (error, out, err) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout: out, stderr: err }),
    );
    child.stdin?.end();
  });
  // Assert: every step worked, the like is Ada's, the scan counts the twelve, the click was taken
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  expect(stdout).toContain(`"liked":["${EVANGELINE}"]`);
  expect(stdout).toMatch(/"Count":\s*12/);
  expect(stdout).toContain('{"accepted":1}');
});
