/**
 * serverless.yml's deploymentRole parameter as the Framework acts on it: given, CloudFormation is told to act as that
 * role (RoleARN of every stack action: the pipeline's service role, infra/pipeline-role.yml); not given, no RoleARN,
 * so CloudFormation acts as the deployer. The stack actions' parameters come from the Framework's own function.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../dev/paths';

const ROLE = 'arn:aws:iam::123456789012:role/pipeline-mysfits-cloudformation';

/** The prod stage's provider as `serverless print` resolves it, with these --param overrides. */
async function provider(params: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['node_modules/serverless/bin/serverless.js', 'print', '--stage', 'prod', '--format', 'json', ...params.map((p) => `--param=${p}`)],
    { cwd: PROJECT_ROOT, env: { ...process.env, SLS_TELEMETRY_DISABLED: '1' }, maxBuffer: 16 * 1024 * 1024 },
  );
  return (JSON.parse(stdout) as { provider: Record<string, unknown> }).provider;
}

/**
 * What the Framework sends CloudFormation with CreateStack, UpdateStack and CreateChangeSet for this provider: its own
 * functions, run in a node of their own (they load ES modules jest's CommonJS cannot).
 */
async function stackActionParams(resolved: Record<string, unknown>): Promise<Record<string, unknown>> {
  const script = `
    const AwsProvider = require('serverless/lib/plugins/aws/provider');
    const { getSharedStackActionParams } = require('serverless/lib/plugins/aws/lib/get-shared-stack-action-params');
    const service = { provider: JSON.parse(process.argv[1]) };
    const provider = {
      getStage: () => 'prod',
      naming: { getStackName: () => 'mysfits-prod' },
      getCustomDeploymentRole: () => AwsProvider.prototype.getCustomDeploymentRole.call({ serverless: { service } }),
    };
    const params = getSharedStackActionParams.call({ provider, serverless: { service } }, { templateUrl: 'https://example.com/t.json' });
    process.stdout.write(JSON.stringify(params));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script, JSON.stringify(resolved)], { cwd: PROJECT_ROOT });
  return JSON.parse(stdout) as Record<string, unknown>;
}

test('given, CloudFormation acts as the role', async () => {
  const resolved = await provider([`deploymentRole=${ROLE}`]);
  expect(resolved.iam).toEqual({ deploymentRole: ROLE });
  expect(await stackActionParams(resolved)).toMatchObject({ StackName: 'mysfits-prod', RoleARN: ROLE });
}, 60_000);

test('not given, no RoleARN: CloudFormation acts as the deployer', async () => {
  const params = await stackActionParams(await provider([]));
  expect(params.StackName).toBe('mysfits-prod');
  expect(params).not.toHaveProperty('RoleARN');
}, 60_000);
