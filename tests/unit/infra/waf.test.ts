/**
 * infra/waf.js without packaging: the POST /clicks body limit against the largest batch the API takes, the common rule
 * set's body rule counted only when a batch could pass its 8 KB, and the switch.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- WAF's rule statements are deep, many-shaped JSON, read here by path */
import { resolvedServiceSync } from '../../../dev/service';
import { MAX_CLICKS_PER_BATCH, parseClicks } from '../../../shared/clicks';
import WebFirewall, { COMMON_BODY_LIMIT, firewallResources } from '../../../infra/waf';

const SETTINGS = resolvedServiceSync('prod').custom?.webFirewall as Record<string, unknown>;
const LIMIT = Number(SETTINGS.clicksMaxBodyBytes);

/** The longest click of each kind: a 36-character id, and a time with nanoseconds and an offset (the API takes it). */
const LONGEST_AT = '2026-12-03T08:11:30.123456789+01:00';
const longestClicks = [
  { action: 'unlike', mysfitId: '4e53920c-505a-4a90-a694-b9300791f0ae', at: LONGEST_AT },
  { action: 'filter', filter: 'GoodEvil', value: 'Neutral', at: LONGEST_AT },
  { action: 'filter', filter: 'LawChaos', value: 'Chaotic', at: LONGEST_AT },
];
const body = (clicks: unknown[]) => JSON.stringify({ clicks });
const longest = longestClicks.map((click) => body([click])).sort((a, b) => b.length - a.length)[0] as string;

test("the largest batch the API accepts fits the POST /clicks body limit, and the limit is under the common rule set's 8 KB", () => {
  const click = JSON.parse(longest).clicks[0];
  const batch = Array.from({ length: MAX_CLICKS_PER_BATCH }, () => click);
  expect(parseClicks(JSON.parse(body(batch)))).toHaveLength(MAX_CLICKS_PER_BATCH);
  expect(Buffer.byteLength(body(batch))).toBeLessThanOrEqual(LIMIT);
  // Not far above it either: the limit is the batch limit, not a guess.
  expect(LIMIT - Buffer.byteLength(body(batch))).toBeLessThan(1024);
  expect(LIMIT).toBeLessThanOrEqual(COMMON_BODY_LIMIT);
});

const make = (overrides: Record<string, unknown> = {}) =>
  firewallResources({
    prefix: 'mysfits-prod',
    stageName: 'prod',
    restApiId: { Ref: 'ApiGatewayRestApi' },
    userPoolArn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC',
    corsOrigin: 'https://www.example.com',
    rateLimit: 3000,
    clicksRateLimit: 300,
    signUpRateLimit: 10,
    clicksMaxBodyBytes: LIMIT,
    ...overrides,
  }) as unknown as Record<string, { Properties: { Rules: Array<{ Name: string; Statement: any }> } }>;
const common = (resources: ReturnType<typeof make>) =>
  resources.ApiWebAcl?.Properties.Rules.find((r) => r.Name === 'AWSManagedRulesCommonRuleSet')?.Statement.ManagedRuleGroupStatement;

test("the common rule set's body rule is counted, not blocking, only when a batch may be larger than 8 KB", () => {
  expect(common(make()).RuleActionOverrides).toBeUndefined();
  expect(common(make({ clicksMaxBodyBytes: 12_000 })).RuleActionOverrides).toEqual([
    { Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } },
  ]);
});

test("a narrower limit above the address's own is refused", () => {
  expect(() => make({ clicksRateLimit: 5000 })).toThrow(/at most the address's own limit/);
});

describe('the switch', () => {
  const plugin = (enabled: unknown) => {
    const resources: Record<string, unknown> = {
      ApiGatewayStage: { Type: 'AWS::ApiGateway::Stage', Properties: { StageName: 'prod', RestApiId: { Ref: 'ApiGatewayRestApi' } } },
    };
    const serverless = {
      service: {
        service: 'mysfits',
        custom: { webFirewall: { ...SETTINGS, enabled } },
        provider: { compiledCloudFormationTemplate: { Resources: resources } },
      },
    };
    return { firewall: new WebFirewall(serverless), resources };
  };

  test('off: nothing added', () => {
    const { firewall, resources } = plugin('false');
    firewall.addFirewall();
    expect(Object.keys(resources)).toEqual(['ApiGatewayStage']);
  });

  test('on: the two web ACLs, their associations, the log group and the logging', () => {
    const { firewall, resources } = plugin('true');
    firewall.addFirewall();
    expect(Object.keys(resources).sort()).toEqual(
      [
        'ApiGatewayStage',
        'ApiWebAcl',
        'ApiWebAclAssociation',
        'ApiWebAclLogging',
        'UserPoolWebAcl',
        'UserPoolWebAclAssociation',
        'UserPoolWebAclLogging',
        'WebFirewallLogGroup',
      ].sort(),
    );
  });

  test('anything else is a mistake, said as such', () => {
    expect(() => plugin('yes').firewall.addFirewall()).toThrow('waf: custom.webFirewall.enabled must be true or false, got "yes"');
  });
});
