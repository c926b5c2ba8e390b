/**
 * The delivery pipeline (.github/workflows/): every workflow valid against GitHub's workflow schema
 * (@action-validator/core, the engine of `npx action-validator <file>`), and the promises the README makes of it:
 * the tests on every pull request and push, prod only after the test stage passed its checks, in the 'prod'
 * environment, AWS only through OIDC with role ARNs from repository variables, and no key anywhere.
 */
import { validateWorkflow } from '@action-validator/core';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../dev/paths';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the Framework's YAML reader (pinned), untyped
const parse = require('serverless/lib/utils/fs/parse') as (file: string, contents: string) => unknown;

const DIR = join(PROJECT_ROOT, '.github', 'workflows');
const FILES = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));
const text = (file: string) => readFileSync(join(DIR, file), 'utf8');

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  uses?: string;
  environment?: string | { name: string };
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  steps?: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}
const workflow = (file: string) => parse(file, text(file)) as Workflow;
const runs = (job: Job | undefined) => (job?.steps ?? []).map((s) => s.run ?? s.uses ?? '');

test('there are the two workflows', () => {
  expect(FILES.sort()).toEqual(['ci.yml', 'deploy.yml']);
});

test.each(FILES)("%s is valid against GitHub's workflow schema", (file) => {
  expect(validateWorkflow(text(file)).errors).toEqual([]);
});

test('the validator catches a misspelled key and an unknown event', () => {
  const broken = text('ci.yml').replace('runs-on:', 'run-on:').replace('pull_request:', 'pull_requests:');
  const paths = validateWorkflow(broken).errors.map((e) => ('path' in e ? e.path : e.title));
  expect(paths).toEqual(expect.arrayContaining(['/jobs/test', '/on']));
});

describe('ci', () => {
  const ci = workflow('ci.yml');
  const job = ci.jobs.test;

  test('runs on every pull request and push (main through deploy.yml, which calls it), with read-only rights', () => {
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push', 'workflow_call']);
    expect(ci.on.push).toEqual({ 'branches-ignore': ['main'] });
    expect(ci.permissions).toEqual({ contents: 'read' });
    expect(workflow('deploy.yml').jobs.tests?.uses).toBe('./.github/workflows/ci.yml');
  });

  test("runs the README's test command with Java, npm's cache, and the runner's own browser", () => {
    const steps = job?.steps ?? [];
    expect(steps.find((s) => s.uses?.startsWith('actions/setup-java@'))?.with).toMatchObject({ 'java-version': '17' });
    expect(steps.find((s) => s.uses?.startsWith('actions/setup-node@'))?.with).toMatchObject({ cache: 'npm' });
    expect(job?.env?.CHROMIUM_PATH).toBe('/usr/bin/google-chrome');
    expect(runs(job).slice(-2)).toEqual(['npm ci --no-audit --no-fund', 'npm test']);
    // Never a downloaded browser.
    expect(text('ci.yml')).not.toMatch(/playwright install|browser-actions|setup-chrome/);
  });
});

describe('deploy', () => {
  const deploy = workflow('deploy.yml');
  const { 'test-stage': testStage, prod } = deploy.jobs;

  test('on push to main and by hand', () => {
    expect(deploy.on).toEqual({ push: { branches: ['main'] }, workflow_dispatch: null });
  });

  test('tests, then the test stage deployed and checked, then prod in its environment, deployed and checked', () => {
    expect(testStage?.needs).toBe('tests');
    expect(prod?.needs).toBe('test-stage');
    expect(prod?.environment).toBe('prod');
    expect(runs(testStage).filter((r) => /^(npx serverless deploy|npm run test:deployed)/.test(r))).toEqual([
      expect.stringMatching(/^npx serverless deploy --stage test .*--param="deploymentRole=\$\{\{ vars\.AWS_CLOUDFORMATION_ROLE_ARN \}\}"/),
      expect.stringMatching(/^npm run test:deployed -- --stage test/),
    ]);
    expect(runs(prod).filter((r) => /^(npx serverless deploy|npm run test:deployed)/.test(r))).toEqual([
      expect.stringMatching(/^npx serverless deploy --stage prod .*--param="deploymentRole=\$\{\{ vars\.AWS_CLOUDFORMATION_ROLE_ARN \}\}"/),
      expect.stringMatching(/^npm run test:deployed -- --stage prod/),
    ]);
    // No step of either goes on after a failure.
    expect(text('deploy.yml')).not.toMatch(/continue-on-error|if: always\(\)|if: failure\(\)/);
  });

  test('AWS only through OIDC, with the role ARN from a repository variable; no key anywhere', () => {
    for (const job of [testStage, prod]) {
      expect(job?.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
      const credentials = job?.steps?.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
      expect(credentials?.with).toMatchObject({ 'role-to-assume': '${{ vars.AWS_DEPLOY_ROLE_ARN }}' });
      expect(Object.keys(credentials?.with ?? {})).not.toContain('aws-access-key-id');
    }
    expect(deploy.permissions).toEqual({ contents: 'read' });
    for (const file of FILES) expect(text(file)).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-secret-access-key|secrets\./);
  });
});
