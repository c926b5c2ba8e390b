/**
 * `npm run test:deployed`'s arguments and environment, CloudFormation mocked: a stage is found by its stack's
 * outputs; every way that fails is one sentence and exit code 1, and the checks do not run.
 */
import { CloudFormationClient, DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeployedStage } from '../../dev/deployedStage';
import { main } from '../../scripts/testDeployed';

jest.mock('../../dev/service', () => ({
  resolvedService: jest.fn(async () => ({
    params: { default: { mysfitsTableName: 'mysfits-local-mysfits', activityTableName: 'mysfits-local-user-activity' } },
  })),
  stageParams: (service: { params: { default: Record<string, unknown> } }) => service.params.default,
}));

const cloudFormation = mockClient(CloudFormationClient);
beforeEach(() => cloudFormation.reset());

const OUTPUTS = {
  ApiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/test',
  WebsiteUrl: 'https://d111111abcdef8.cloudfront.net',
  UserPoolId: 'eu-west-1_AbCdEf123',
  UserPoolClientId: '1example23456789',
  MysfitsTableName: 'mysfits-test-mysfits',
  UserActivityTableName: 'mysfits-test-user-activity',
  Region: 'eu-west-1',
};
const stack = (overrides: Partial<Stack> = {}): Stack => ({
  StackName: 'mysfits-test',
  StackStatus: 'UPDATE_COMPLETE',
  CreationTime: new Date(),
  Outputs: Object.entries(OUTPUTS).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
  ...overrides,
});

/** The command with these arguments and environment: its exit code, what it printed, and the stage it checked. */
async function run(argv: string[], env: NodeJS.ProcessEnv = { AWS_REGION: 'eu-west-1' }) {
  const out: string[] = [];
  const err: string[] = [];
  const checked: DeployedStage[] = [];
  const code = await main(argv, env, { out: (l) => out.push(l), err: (l) => err.push(l) }, async (stage) => {
    checked.push(stage);
    return 0;
  });
  return { code, out, err, checked };
}

/** One sentence: a capital, one full stop at the end, no stack trace. */
const oneSentence = expect.stringMatching(/^[A-Z"][^\n]*[.]$/);

describe('a deployed stage', () => {
  test("is found by its stack's outputs, in the region given, and checked", async () => {
    cloudFormation.on(DescribeStacksCommand, { StackName: 'mysfits-test' }).resolves({ Stacks: [stack()] });
    const result = await run(['--stage', 'test', '--region', 'eu-west-1'], {});
    expect(result.code).toBe(0);
    expect(result.checked).toEqual([
      {
        stage: 'test',
        region: 'eu-west-1',
        apiUrl: OUTPUTS.ApiUrl,
        websiteUrl: OUTPUTS.WebsiteUrl,
        userPoolId: OUTPUTS.UserPoolId,
        userPoolClientId: OUTPUTS.UserPoolClientId,
        mysfitsTableName: OUTPUTS.MysfitsTableName,
        activityTableName: OUTPUTS.UserActivityTableName,
      },
    ]);
    expect(await cloudFormation.call(0).thisValue.config.region()).toBe('eu-west-1');
    expect(result.err).toEqual([]);
  });

  test("passes on the checks' exit code", async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [stack()] });
    expect(await main(['--stage', 'test'], {}, { out: () => undefined, err: () => undefined }, async () => 1)).toBe(1);
  });

  test('the region: --region, then AWS_REGION, then AWS_DEFAULT_REGION, then us-east-1', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [stack()] });
    const regions = [];
    for (const env of [{ AWS_REGION: 'eu-west-1' }, { AWS_DEFAULT_REGION: 'ap-south-1' }, {}])
      regions.push((await run(['--stage', 'test'], env)).checked[0]?.region);
    expect(regions).toEqual(['eu-west-1', 'ap-south-1', 'us-east-1']);
  });

  test.each(['UPDATE_ROLLBACK_COMPLETE', 'CREATE_COMPLETE'])(
    'a stack in %s is checked (its resources are those of a finished deploy)',
    async (status) => {
      cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [stack({ StackStatus: status as Stack['StackStatus'] })] });
      expect((await run(['--stage', 'test'])).code).toBe(0);
    },
  );
});

describe('one sentence and exit code 1, nothing checked', () => {
  const cases: Array<{ description: string; argv: string[]; arrange?: () => void; sentence: RegExp }> = [
    { description: 'no --stage', argv: [], sentence: /^Say which stage to check: npm run test:deployed -- --stage <stage>/ },
    {
      description: 'an unknown option',
      argv: ['--stage', 'test', '--stag', 'x'],
      sentence: /^Unknown option '--stag': the command is npm run test:deployed -- --stage <stage> \[--region <region>\]\.$/,
    },
    { description: '--stage without a value', argv: ['--stage'], sentence: /^Option '--stage <value>' argument missing: the command is/ },
    { description: 'a stray argument', argv: ['--stage', 'test', 'prod'], sentence: /^Unexpected argument 'prod': the command is/ },
    { description: 'a stage name no stack can have', argv: ['--stage', 'prod;rm'], sentence: /^"prod;rm" is not a stage name/ },
    {
      description: 'a stage that does not exist',
      argv: ['--stage', 'nosuch'],
      arrange: () =>
        cloudFormation
          .on(DescribeStacksCommand)
          .rejects(Object.assign(new Error('Stack with id mysfits-nosuch does not exist'), { name: 'ValidationError' })),
      sentence: /^There is no stack mysfits-nosuch in eu-west-1: deploy the stage first, or give its --region\.$/,
    },
    {
      description: 'no credentials',
      argv: ['--stage', 'test'],
      arrange: () =>
        cloudFormation
          .on(DescribeStacksCommand)
          .rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' })),
      sentence: /^No AWS credentials found to read stack mysfits-test/,
    },
    {
      description: 'expired credentials',
      argv: ['--stage', 'test'],
      arrange: () =>
        cloudFormation
          .on(DescribeStacksCommand)
          .rejects(Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredToken' })),
      sentence: /^AWS refused the credentials \(ExpiredToken\)/,
    },
    {
      description: 'credentials that may not read the stack',
      argv: ['--stage', 'test'],
      arrange: () => cloudFormation.on(DescribeStacksCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' })),
      sentence: /cloudformation:DescribeStacks is denied/,
    },
    {
      description: 'a stack still being updated',
      argv: ['--stage', 'test'],
      arrange: () => cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [stack({ StackStatus: 'UPDATE_IN_PROGRESS' })] }),
      sentence: /^Stack mysfits-test is UPDATE_IN_PROGRESS: wait for it to finish/,
    },
    {
      description: 'a stack whose first deploy failed',
      argv: ['--stage', 'test'],
      arrange: () => cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [stack({ StackStatus: 'ROLLBACK_COMPLETE' })] }),
      sentence: /^Stack mysfits-test is ROLLBACK_COMPLETE: there is no finished deploy to check\.$/,
    },
    {
      description: 'a stack of an older version, without the outputs',
      argv: ['--stage', 'test'],
      arrange: () =>
        cloudFormation
          .on(DescribeStacksCommand)
          .resolves({ Stacks: [stack({ Outputs: [{ OutputKey: 'ApiUrl', OutputValue: OUTPUTS.ApiUrl }] })] }),
      sentence: /^Stack mysfits-test has no WebsiteUrl, UserPoolId, UserPoolClientId, MysfitsTableName, UserActivityTableName outputs/,
    },
    {
      description: 'CloudFormation unreachable',
      argv: ['--stage', 'test'],
      arrange: () =>
        cloudFormation
          .on(DescribeStacksCommand)
          .rejects(Object.assign(new Error('getaddrinfo ENOTFOUND cloudformation.eu-west-1.amazonaws.com'), { name: 'Error' })),
      sentence: /^Could not read stack mysfits-test in eu-west-1: Error: getaddrinfo ENOTFOUND/,
    },
  ];

  test.each(cases)('$description', async ({ argv, arrange, sentence }) => {
    arrange?.();
    const result = await run(argv);
    expect(result).toMatchObject({ code: 1, out: [], checked: [] });
    expect(result.err).toEqual([expect.stringMatching(sentence)]);
    expect(result.err).toEqual([oneSentence]);
  });
});

describe('the local stage', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'mysfits-test-deployed-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  test("is read from the running system's stack.json, with no AWS call", async () => {
    const info = {
      apiUrl: 'http://127.0.0.1:3000/local',
      websiteUrl: 'http://127.0.0.1:8080',
      mailboxUrl: 'http://127.0.0.1:8080/mailbox',
      region: 'us-east-1',
      userPoolId: 'local_abc',
      userPoolClientId: 'client1',
      cognitoEndpoint: 'http://127.0.0.1:9229',
      dynamodbEndpoint: 'http://127.0.0.1:8000',
      firehoseEndpoint: 'http://127.0.0.1:4573',
    };
    writeFileSync(join(dataDir, 'stack.json'), JSON.stringify(info));
    const result = await run(['--stage', 'local'], { LOCAL_DATA_DIR: dataDir });
    expect(result.checked).toEqual([
      {
        stage: 'local',
        region: 'us-east-1',
        apiUrl: info.apiUrl,
        websiteUrl: info.websiteUrl,
        userPoolId: 'local_abc',
        userPoolClientId: 'client1',
        mysfitsTableName: 'mysfits-local-mysfits',
        activityTableName: 'mysfits-local-user-activity',
        cognitoEndpoint: info.cognitoEndpoint,
        dynamodbEndpoint: info.dynamodbEndpoint,
      },
    ]);
    expect(cloudFormation.calls()).toHaveLength(0);
  });

  test('not running: one sentence naming the file and npm start, exit 1', async () => {
    const result = await run(['--stage', 'local'], { LOCAL_DATA_DIR: dataDir });
    expect(result).toMatchObject({ code: 1, checked: [] });
    expect(result.err).toEqual([`The local system is not running (there is no ${join(dataDir, 'stack.json')}): start it with npm start.`]);
  });

  test('a damaged stack.json: one sentence, exit 1', async () => {
    writeFileSync(join(dataDir, 'stack.json'), '{"apiUrl":');
    const result = await run(['--stage', 'local'], { LOCAL_DATA_DIR: dataDir });
    expect(result).toMatchObject({ code: 1, checked: [] });
    expect(result.err).toEqual([expect.stringMatching(/is not the local system's JSON: restart it with npm start\.$/)]);
  });
});
