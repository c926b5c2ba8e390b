/**
 * infra/stage-params.js: a wrong or inconsistent stage parameter stops `package` (and so `deploy`) with one sentence
 * that names it, its value and what is allowed, before anything is built; a stage on Cognito's own sender gets one
 * warning line; `serverless info` shows the deployed stage's sender. CloudFormation is mocked.
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { resolvedServiceSync, stageParams } from '../../../dev/service';
import StageParams, { CHECKED } from '../../../infra/stage-params';

const cloudFormation = mockClient(CloudFormationClient);
const SERVICE = resolvedServiceSync('prod');
const NLB_ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/legacy/0123456789abcdef';
const NLB_DNS = 'legacy-0123456789abcdef.elb.us-east-1.amazonaws.com';

class FrameworkError extends Error {}

/** The plugin on the prod stage of serverless.yml's own params, with `cli` as --param overrides. */
function pluginFor(cli: Record<string, string> = {}, stage = 'prod') {
  const warning = jest.fn();
  const sections = new Map<string, unknown>();
  const serverless = {
    configurationInput: { params: SERVICE.params },
    classes: { Error: FrameworkError },
    cli: { log: jest.fn() },
    addServiceOutputSection: (name: string, content: unknown) => sections.set(name, content),
    getProvider: () => ({
      getStage: () => stage,
      naming: { getStackName: () => `mysfits-${stage}` },
      getCloudFormationClient: async () =>
        new CloudFormationClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }),
    }),
  };
  const options = { param: Object.entries(cli).map(([name, value]) => `${name}=${value}`) };
  return { plugin: new StageParams(serverless, options, { log: { warning } }), warning, sections };
}

beforeEach(() => cloudFormation.reset());

test("prod's own parameters pass, and with them the hook is the first event of package (before .serverless/ is cleaned)", () => {
  const { plugin } = pluginFor();
  expect(() => plugin.check()).not.toThrow();
  expect(Object.keys(plugin.hooks)).toContain('before:package:cleanup');
});

test.each<{ params: Record<string, string> }>([
  { params: { legacyNlbArn: NLB_ARN, legacyNlbDnsName: NLB_DNS } },
  { params: { sesIdentity: 'mysfits.example.com', sesFromAddress: 'Mythical Mysfits <no-reply@mysfits.example.com>' } },
  { params: { sesIdentity: 'mysfits.example.com', sesFromAddress: 'no-reply@mail.mysfits.example.com' } },
  { params: { sesIdentity: 'ops@example.com', sesFromAddress: 'ops@example.com' } },
  {
    params: {
      throttleRateLimit: '0.5',
      throttleBurstLimit: '1',
      clicksThrottleRateLimit: '0.5',
      clicksThrottleBurstLimit: '1',
      writesThrottleRateLimit: '0.5',
      writesThrottleBurstLimit: '1',
      apiErrorRateThreshold: '1',
      apiLatencyP99ThresholdMs: '29000',
    },
  },
  { params: { publicReadCacheSeconds: '3600', apiCacheClusterSize: '237', logRetentionInDays: '3653', clicksBufferSeconds: '900' } },
  {
    params: {
      userPoolId: 'us-east-1_AbCdEf123',
      createMysfitsTable: 'false',
      createActivityTable: 'false',
      corsOrigin: 'https://www.example.com',
    },
  },
  { params: { alarmEmail: 'ops@example.com', replaceFrameworkStage: 'true', pointInTimeRecovery: 'false' } },
  // The web firewall: off, or limits at AWS's minimum; per-route throttles equal to the stage's.
  { params: { webFirewall: 'false', wafRateLimit: '10', wafClicksRateLimit: '10', wafSignUpRateLimit: '10' } },
  { params: { clicksThrottleRateLimit: '1000', clicksThrottleBurstLimit: '2000', writesThrottleRateLimit: '0.5' } },
  { params: { wafBlockedAlarmThreshold: '0', throttledAlarmThreshold: '0' } },
])('a valid set passes: $params', ({ params }) => {
  expect(() => pluginFor(params).plugin.check()).not.toThrow();
});

test.each<[Record<string, string>, string]>([
  // The legacy switch: both values or neither, each of its shape.
  [
    { legacyNlbArn: NLB_ARN },
    `Stage parameter legacyNlbArn is "${NLB_ARN}" but legacyNlbDnsName is empty: give both (the legacy switch on) or neither (off).`,
  ],
  [{ legacyNlbDnsName: NLB_DNS }, `Stage parameter legacyNlbDnsName is "${NLB_DNS}" but legacyNlbArn is empty`],
  [
    { legacyNlbArn: 'mysfits-nlb', legacyNlbDnsName: NLB_DNS },
    'Stage parameter legacyNlbArn is "mysfits-nlb": it must be empty or the ARN of a Network Load Balancer',
  ],
  [{ legacyNlbArn: NLB_ARN, legacyNlbDnsName: `http://${NLB_DNS}/mysfits` }, 'Stage parameter legacyNlbDnsName is "http://'],
  // The SES pair: both or neither, the from-address an address of the identity.
  [{ sesIdentity: 'mysfits.example.com' }, 'Stage parameter sesIdentity is "mysfits.example.com" but sesFromAddress is empty: give both'],
  [
    { sesFromAddress: 'no-reply@mysfits.example.com' },
    'Stage parameter sesFromAddress is "no-reply@mysfits.example.com" but sesIdentity is empty',
  ],
  [
    { sesIdentity: 'mysfits.example.com', sesFromAddress: 'Mythical Mysfits' },
    'Stage parameter sesFromAddress is "Mythical Mysfits": it must be empty or an email address',
  ],
  [
    { sesIdentity: 'mysfits.example.com', sesFromAddress: 'no-reply@other.example.org' },
    'it must be an address of the SES identity mysfits.example.com',
  ],
  [
    { sesIdentity: 'not a domain', sesFromAddress: 'a@b.example.com' },
    'Stage parameter sesIdentity is "not a domain": it must be empty or an identity verified in Amazon SES',
  ],
  // Rates in (0, 1]; latencies, throttles, TTL, retention and buffering numbers within AWS's ranges.
  [{ apiErrorRateThreshold: '5' }, 'Stage parameter apiErrorRateThreshold is "5": it must be a share of requests above 0 and at most 1'],
  [{ apiErrorRateThreshold: '0' }, 'Stage parameter apiErrorRateThreshold is "0"'],
  [
    { apiLatencyP99ThresholdMs: 'slow' },
    'Stage parameter apiLatencyP99ThresholdMs is "slow": it must be a number of milliseconds above 0 and at most 29000',
  ],
  [{ apiLatencyP99ThresholdMs: '60000' }, 'Stage parameter apiLatencyP99ThresholdMs is "60000"'],
  [{ throttleRateLimit: 'fast' }, 'Stage parameter throttleRateLimit is "fast": it must be a number of requests a second above 0.'],
  [{ throttleRateLimit: '0' }, 'Stage parameter throttleRateLimit is "0"'],
  [{ throttleBurstLimit: '2.5' }, 'Stage parameter throttleBurstLimit is "2.5": it must be a whole number of requests above 0.'],
  [
    { publicReadCacheSeconds: '7200' },
    'Stage parameter publicReadCacheSeconds is "7200": it must be a whole number of seconds from 0 (no cache) to 3600',
  ],
  [{ publicReadCacheSeconds: '-1' }, 'Stage parameter publicReadCacheSeconds is "-1"'],
  [{ apiCacheClusterSize: '2' }, 'Stage parameter apiCacheClusterSize is "2": it must be one of API Gateway\'s cache sizes: 0.5, 1.6, 6.1'],
  [{ logRetentionInDays: '10' }, 'Stage parameter logRetentionInDays is "10": it must be one of CloudWatch Logs\' retentions'],
  [{ clicksBufferSeconds: '1000' }, 'Stage parameter clicksBufferSeconds is "1000": it must be a whole number of seconds from 0 to 900'],
  // Per-route throttles: numbers, and below the stage's own.
  [{ clicksThrottleRateLimit: '0' }, 'Stage parameter clicksThrottleRateLimit is "0": it must be a number of requests a second above 0.'],
  [
    { writesThrottleBurstLimit: '1.5' },
    'Stage parameter writesThrottleBurstLimit is "1.5": it must be a whole number of requests above 0.',
  ],
  [
    { clicksThrottleRateLimit: '1500' },
    'Stage parameter clicksThrottleRateLimit is "1500": it must be at most throttleRateLimit (1000): a route\'s throttle is below the stage\'s.',
  ],
  [
    { writesThrottleBurstLimit: '2001' },
    'Stage parameter writesThrottleBurstLimit is "2001": it must be at most throttleBurstLimit (2000)',
  ],
  // The web firewall: a switch, AWS WAF's limits, the narrower limits below the address's own.
  [{ webFirewall: 'on' }, 'Stage parameter webFirewall is "on": it must be true or false.'],
  [
    { wafRateLimit: '5' },
    'Stage parameter wafRateLimit is "5": it must be a whole number of requests per address in 5 minutes from 10 to 2000000000, AWS WAF\'s range.',
  ],
  [{ wafClicksRateLimit: '99.5' }, 'Stage parameter wafClicksRateLimit is "99.5": it must be a whole number of requests per address'],
  [{ wafSignUpRateLimit: 'ten' }, 'Stage parameter wafSignUpRateLimit is "ten"'],
  [
    { wafClicksRateLimit: '5000' },
    'Stage parameter wafClicksRateLimit is "5000": it must be at most wafRateLimit (3000): the address\'s own limit counts these requests too.',
  ],
  [
    { wafRateLimit: '100', wafClicksRateLimit: '50', wafSignUpRateLimit: '200' },
    'Stage parameter wafSignUpRateLimit is "200": it must be at most wafRateLimit (100)',
  ],
  [{ wafBlockedAlarmThreshold: '-1' }, 'Stage parameter wafBlockedAlarmThreshold is "-1": it must be a whole number of blocked requests'],
  [{ throttledAlarmThreshold: 'x' }, 'Stage parameter throttledAlarmThreshold is "x": it must be a whole number of 429 answers'],
  // Switches, names and addresses.
  [{ pointInTimeRecovery: 'yes' }, 'Stage parameter pointInTimeRecovery is "yes": it must be true or false.'],
  [{ createMysfitsTable: 'no' }, 'Stage parameter createMysfitsTable is "no": it must be true or false.'],
  [{ minifyBundles: 'yes' }, 'Stage parameter minifyBundles is "yes": it must be true or false.'],
  [{ mysfitsTableName: 'a b' }, 'Stage parameter mysfitsTableName is "a b": it must be a DynamoDB table name'],
  [{ userPoolId: 'my pool' }, 'Stage parameter userPoolId is "my pool": it must be empty (a new pool) or a user pool id'],
  [{ alarmEmail: 'ops' }, 'Stage parameter alarmEmail is "ops": it must be empty (no email) or an email address.'],
  [
    { corsOrigin: 'https://www.example.com/app' },
    'Stage parameter corsOrigin is "https://www.example.com/app": it must be * or one origin',
  ],
])('refused: %j', (params, sentence) => {
  const { plugin, warning } = pluginFor(params);
  let thrown: unknown;
  try {
    plugin.check();
  } catch (error) {
    thrown = error;
  }
  // The Framework's own error type: it prints the message alone and exits with code 1.
  expect(thrown).toBeInstanceOf(FrameworkError);
  const message = (thrown as Error).message;
  expect(message).toContain(sentence);
  // One sentence: a single line, ending with its full stop.
  expect(message).not.toContain('\n');
  expect(message).toMatch(/\.$/);
  expect(warning).not.toHaveBeenCalled();
});

describe("Cognito's own sender, said out loud", () => {
  test('a stage without SES: one warning line naming the ~50-a-day limit and the two parameters that lift it', () => {
    const { plugin, warning } = pluginFor();
    plugin.check();
    expect(warning).toHaveBeenCalledTimes(1);
    const line = String(warning.mock.calls[0]?.[0]);
    expect(line).not.toContain('\n');
    expect(line).toContain('about 50 a day');
    expect(line).toContain('sesIdentity');
    expect(line).toContain('sesFromAddress');
  });

  test('a stage with SES: no warning', () => {
    const { plugin, warning } = pluginFor({ sesIdentity: 'mysfits.example.com', sesFromAddress: 'no-reply@mysfits.example.com' });
    plugin.check();
    expect(warning).not.toHaveBeenCalled();
  });

  test('the local stage (its codes go to the local mailbox): no warning', () => {
    const { plugin, warning } = pluginFor({}, 'local');
    plugin.check();
    expect(warning).not.toHaveBeenCalled();
  });

  test("serverless info: the deployed stack's sender, as its EmailSender output says", async () => {
    const sender = "Cognito's own sender, about 50 emails a day per account (set sesIdentity and sesFromAddress for SES)";
    cloudFormation.on(DescribeStacksCommand, { StackName: 'mysfits-prod' }).resolves({
      Stacks: [
        {
          StackName: 'mysfits-prod',
          StackStatus: 'UPDATE_COMPLETE',
          CreationTime: new Date(),
          Outputs: [
            { OutputKey: 'ApiUrl', OutputValue: 'https://x' },
            { OutputKey: 'EmailSender', OutputValue: sender },
          ],
        },
      ],
    });
    const { plugin, sections } = pluginFor();
    await plugin.hooks['after:info:info']();
    expect(sections.get('email sender')).toBe(sender);
  });

  test('serverless info of a stack deployed before the output existed says so', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .resolves({ Stacks: [{ StackName: 'mysfits-prod', StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date(), Outputs: [] }] });
    const { plugin, sections } = pluginFor();
    await plugin.hooks['after:info:info']();
    expect(sections.get('email sender')).toMatch(/deploy again/);
  });
});

test("every parameter checked is one of serverless.yml's (a misspelt rule would check nothing), and every other is wiring", () => {
  const prod = stageParams(SERVICE, 'prod');
  for (const name of CHECKED) expect(prod).toHaveProperty(name);
  // Not a person's choice: the website client's flows per stage, and what the local system points the functions at.
  const wiring = ['authFlows', 'dynamodbEndpoint', 'cognitoIssuer', 'cognitoClientId', 'firehoseEndpoint'];
  // A new parameter is a decision: a rule in infra/stage-params.js, or (if nobody sets it) this list.
  expect(Object.keys(prod).filter((name) => !CHECKED.includes(name))).toEqual(wiring);
});
