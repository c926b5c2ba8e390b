/**
 * The web firewall and the per-route throttles, on the prod template: the two web ACLs and their associations (the
 * API stage, the user pool made or adopted), every rule and its limit from the stage parameters, the managed groups
 * and what they exclude, the POST /clicks body limit, the blocked answers, the logging, the alarms and the dashboard;
 * and the switch off, which leaves no WAF resource.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- WAF's rule statements are deep, many-shaped JSON, read here by path */
import { resolvedServiceSync, stageParams } from '../../dev/service';
import { ROUTES } from '../../dev/functions';
import { chosen, dependsOn, packageProd, properties, resource, resourcesOfType, textOf, type Template } from './package';

const SERVICE = resolvedServiceSync('prod');
const PROD = stageParams(SERVICE, 'prod');
const FIREWALL = SERVICE.custom?.webFirewall as Record<string, unknown>;
const POOL_ID = 'us-east-1_AbCdEf123';
const OTHER_LIMITS = { wafRateLimit: '2000', wafClicksRateLimit: '150', wafSignUpRateLimit: '20' };

let template: Template;
let adopted: Template;
let off: Template;

beforeAll(async () => {
  const [plain, adoptedPool, switchedOff] = await Promise.all([
    packageProd(),
    packageProd({ userPoolId: POOL_ID, createMysfitsTable: 'false', createActivityTable: 'false', ...OTHER_LIMITS }),
    packageProd({ webFirewall: 'false' }),
  ]);
  [template, adopted, off] = [plain.template, adoptedPool.template, switchedOff.template];
}, 150_000);

interface Rule {
  Name: string;
  Priority: number;
  Action?: Record<string, any>;
  OverrideAction?: Record<string, unknown>;
  Statement: Record<string, any>;
  VisibilityConfig: { MetricName: string; CloudWatchMetricsEnabled: boolean; SampledRequestsEnabled: boolean };
}
const acl = (t: Template, id: string) => properties(t, id) as { Rules: Rule[]; [key: string]: any };
const rule = (t: Template, id: string, name: string) => {
  const found = acl(t, id).Rules.find((r) => r.Name === name);
  if (!found) throw new Error(`${id} has no rule ${name}`);
  return found;
};
const alarms = (t: Template) => resourcesOfType(t, 'AWS::CloudWatch::Alarm').map(([id, a]) => [id, a.Properties as any] as const);
const managedGroups = (t: Template, id: string) =>
  acl(t, id)
    .Rules.filter((r) => r.Statement.ManagedRuleGroupStatement)
    .map((r) => r.Statement.ManagedRuleGroupStatement);

describe('the web ACLs and what they protect', () => {
  test('two regional web ACLs, allowing what no rule blocks, with their metrics', () => {
    const acls = resourcesOfType(template, 'AWS::WAFv2::WebACL');
    expect(acls.map(([id]) => id).sort()).toEqual(['ApiWebAcl', 'UserPoolWebAcl']);
    for (const [id] of acls) {
      expect(acl(template, id)).toMatchObject({ Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
      const priorities = acl(template, id).Rules.map((r) => r.Priority);
      expect(new Set(priorities).size).toBe(priorities.length);
      for (const r of acl(template, id).Rules)
        expect(r.VisibilityConfig).toMatchObject({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true });
    }
    expect(acl(template, 'ApiWebAcl').Name).toBe('mysfits-prod-api');
    expect(acl(template, 'UserPoolWebAcl').Name).toBe('mysfits-prod-user-pool');
  });

  test('the API web ACL is associated with the prod stage, once the stage exists', () => {
    const association = resource(template, 'ApiWebAclAssociation');
    expect(dependsOn(association)).toContain('ApiGatewayStage');
    expect(textOf(association.Properties?.ResourceArn)).toBe(
      'arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/${ApiGatewayRestApi}/stages/prod',
    );
    expect(association.Properties?.WebACLArn).toEqual({ 'Fn::GetAtt': ['ApiWebAcl', 'Arn'] });
  });

  test("the user pool's web ACL is associated with the pool the stack makes, or with the kept one it adopts", () => {
    const arn = (t: Template) => chosen(t, properties(t, 'UserPoolWebAclAssociation').ResourceArn);
    expect(arn(template)).toEqual({ 'Fn::GetAtt': ['CognitoUserPool', 'Arn'] });
    expect(textOf(arn(adopted))).toBe(`arn:\${AWS::Partition}:cognito-idp:\${AWS::Region}:\${AWS::AccountId}:userpool/${POOL_ID}`);
    expect(properties(template, 'UserPoolWebAclAssociation').WebACLArn).toEqual({ 'Fn::GetAtt': ['UserPoolWebAcl', 'Arn'] });
  });
});

describe('the rules', () => {
  const rate = (r: Rule) => r.Statement.RateBasedStatement;

  test("per address, over 5 minutes: every request, then POST /clicks, at the stage's limits (and others given)", () => {
    for (const [t, limits] of [
      [template, PROD],
      [adopted, OTHER_LIMITS],
    ] as const) {
      for (const id of ['ApiWebAcl', 'UserPoolWebAcl']) {
        expect(rate(rule(t, id, 'AddressRate'))).toEqual({
          Limit: Number(limits.wafRateLimit),
          AggregateKeyType: 'IP',
          EvaluationWindowSec: 300,
        });
      }
      expect(rate(rule(t, 'ApiWebAcl', 'ClicksAddressRate'))).toMatchObject({
        Limit: Number(limits.wafClicksRateLimit),
        AggregateKeyType: 'IP',
        EvaluationWindowSec: 300,
      });
      expect(rate(rule(t, 'UserPoolWebAcl', 'SignUpAddressRate'))).toMatchObject({
        Limit: Number(limits.wafSignUpRateLimit),
        AggregateKeyType: 'IP',
        EvaluationWindowSec: 300,
      });
    }
  });

  test('POST /clicks is found by its path on the stage, decoded and normalised first', () => {
    const scope = rate(rule(template, 'ApiWebAcl', 'ClicksAddressRate')).ScopeDownStatement;
    expect(scope).toEqual({
      ByteMatchStatement: {
        FieldToMatch: { UriPath: {} },
        PositionalConstraint: 'STARTS_WITH',
        SearchString: '/prod/clicks',
        TextTransformations: [
          { Priority: 0, Type: 'URL_DECODE' },
          { Priority: 1, Type: 'NORMALIZE_PATH' },
        ],
      },
    });
  });

  test("sign-up is found by Cognito's X-Amz-Target, with the other calls that email a code", () => {
    const scope = rate(rule(template, 'UserPoolWebAcl', 'SignUpAddressRate')).ScopeDownStatement;
    const targets = scope.OrStatement.Statements.map((s: any) => {
      expect(s.ByteMatchStatement).toMatchObject({
        FieldToMatch: { SingleHeader: { Name: 'x-amz-target' } },
        PositionalConstraint: 'EXACTLY',
      });
      return s.ByteMatchStatement.SearchString;
    });
    expect(targets).toEqual([
      'AWSCognitoIdentityProviderService.SignUp',
      'AWSCognitoIdentityProviderService.ResendConfirmationCode',
      'AWSCognitoIdentityProviderService.ForgotPassword',
    ]);
  });

  test('a POST /clicks body larger than the largest batch is refused (413, JSON, CORS), oversize bodies too', () => {
    const sizeRule = rule(template, 'ApiWebAcl', 'ClicksBodySize');
    const [path, size] = sizeRule.Statement.AndStatement.Statements;
    expect(path).toEqual(rate(rule(template, 'ApiWebAcl', 'ClicksAddressRate')).ScopeDownStatement);
    expect(size.SizeConstraintStatement).toMatchObject({
      FieldToMatch: { Body: { OversizeHandling: 'MATCH' } },
      ComparisonOperator: 'GT',
      Size: Number(FIREWALL.clicksMaxBodyBytes),
    });
    expect(sizeRule.Action?.Block.CustomResponse).toMatchObject({ ResponseCode: 413, CustomResponseBodyKey: 'BatchTooLarge' });
    expect(JSON.parse(acl(template, 'ApiWebAcl').CustomResponseBodies.BatchTooLarge.Content).message).toContain(
      String(FIREWALL.clicksMaxBodyBytes),
    );
  });

  test("AWS's managed groups: IP reputation and known bad inputs on both, the common rule set on the API, none excluding a rule", () => {
    const names = (id: string) => managedGroups(template, id).map((g) => `${g.VendorName}/${g.Name}`);
    expect(names('ApiWebAcl')).toEqual([
      'AWS/AWSManagedRulesAmazonIpReputationList',
      'AWS/AWSManagedRulesKnownBadInputsRuleSet',
      'AWS/AWSManagedRulesCommonRuleSet',
    ]);
    // Not the common rule set on Cognito: its body rules would read a password (sent to sign up) as an attack.
    expect(names('UserPoolWebAcl')).toEqual(['AWS/AWSManagedRulesAmazonIpReputationList', 'AWS/AWSManagedRulesKnownBadInputsRuleSet']);
    // The largest click batch is under the common set's 8 KB body limit (tests/unit/infra/waf.test.ts): nothing excluded.
    for (const id of ['ApiWebAcl', 'UserPoolWebAcl']) {
      for (const group of managedGroups(template, id)) expect(group.RuleActionOverrides).toBeUndefined();
      for (const r of acl(template, id).Rules.filter((x) => x.Statement.ManagedRuleGroupStatement))
        expect(r.OverrideAction).toEqual({ None: {} });
    }
  });

  test("the API's rate limits answer 429 with Retry-After, as JSON, with the API's CORS headers so the page can read it", () => {
    for (const name of ['AddressRate', 'ClicksAddressRate']) {
      const response = rule(template, 'ApiWebAcl', name).Action?.Block.CustomResponse;
      expect(response).toMatchObject({ ResponseCode: 429, CustomResponseBodyKey: 'TooManyRequests' });
      const headers = Object.fromEntries(response.ResponseHeaders.map((h: { Name: string; Value: unknown }) => [h.Name, h.Value]));
      expect(textOf(headers['Access-Control-Allow-Origin'])).toBe(textOf(PROD.corsOrigin));
      expect(headers['Access-Control-Expose-Headers']).toBe('Retry-After');
      expect(Number(headers['Retry-After'])).toBeGreaterThan(0);
    }
    expect(acl(template, 'ApiWebAcl').CustomResponseBodies.TooManyRequests).toEqual({
      ContentType: 'APPLICATION_JSON',
      Content: JSON.stringify({ message: 'Too many requests: try again in a moment.' }),
    });
    // Cognito answers a blocked call with its own ForbiddenException: the pool's rules keep WAF's default block.
    for (const r of acl(template, 'UserPoolWebAcl').Rules.filter((x) => x.Action)) expect(r.Action).toEqual({ Block: {} });
  });
});

describe('the logs', () => {
  test('blocked and counted requests of both web ACLs go to one log group named as WAF requires, kept one day, tokens redacted', () => {
    const group = properties(template, 'WebFirewallLogGroup');
    expect(String(group.LogGroupName)).toMatch(/^aws-waf-logs-mysfits-prod$/);
    // The README's privacy section: an address no longer than the day's salt; CloudWatch's shortest retention.
    expect(group.RetentionInDays).toBe(1);
    const configs = resourcesOfType(template, 'AWS::WAFv2::LoggingConfiguration');
    expect(configs.map(([, c]) => c.Properties?.ResourceArn).sort()).toEqual([
      { 'Fn::GetAtt': ['ApiWebAcl', 'Arn'] },
      { 'Fn::GetAtt': ['UserPoolWebAcl', 'Arn'] },
    ]);
    for (const [, config] of configs) {
      // WAF takes the group's ARN without the `:*` that Fn::GetAtt gives.
      expect((config.Properties?.LogDestinationConfigs as unknown[]).map(textOf)).toEqual([
        'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${WebFirewallLogGroup}',
      ]);
      expect(config.Properties?.RedactedFields).toEqual([{ SingleHeader: { Name: 'authorization' } }]);
      expect(config.Properties?.LoggingFilter).toEqual({
        DefaultBehavior: 'DROP',
        Filters: [
          {
            Behavior: 'KEEP',
            Requirement: 'MEETS_ANY',
            Conditions: [{ ActionCondition: { Action: 'BLOCK' } }, { ActionCondition: { Action: 'COUNT' } }],
          },
        ],
      });
    }
  });
});

describe('per-route throttles', () => {
  const settings = (t: Template) =>
    properties(t, 'ApiGatewayStage').MethodSettings as Array<{
      ResourcePath: string;
      HttpMethod: string;
      ThrottlingRateLimit: number;
      ThrottlingBurstLimit: number;
      MetricsEnabled: boolean;
    }>;
  const of = (t: Template, path: string, method: string) => settings(t).find((s) => s.ResourcePath === path && s.HttpMethod === method);

  test("POST /clicks and each signed-in write have their own bucket below the stage's, with the stage's parameters", () => {
    const stage = of(template, '/*', '*');
    expect(stage).toMatchObject({
      ThrottlingRateLimit: Number(PROD.throttleRateLimit),
      ThrottlingBurstLimit: Number(PROD.throttleBurstLimit),
    });
    expect(of(template, '/~1clicks', 'POST')).toMatchObject({
      ThrottlingRateLimit: Number(PROD.clicksThrottleRateLimit),
      ThrottlingBurstLimit: Number(PROD.clicksThrottleBurstLimit),
      MetricsEnabled: true,
    });
    for (const method of ['POST', 'DELETE']) {
      expect(of(template, '/~1mysfits~1{mysfitId}~1like', method)).toMatchObject({
        ThrottlingRateLimit: Number(PROD.writesThrottleRateLimit),
        ThrottlingBurstLimit: Number(PROD.writesThrottleBurstLimit),
        MetricsEnabled: true,
      });
    }
    expect(of(template, '/~1mysfits~1{mysfitId}~1adopt', 'POST')).toMatchObject({
      ThrottlingRateLimit: Number(PROD.writesThrottleRateLimit),
    });
    for (const s of settings(template)) {
      expect(s.ThrottlingRateLimit).toBeLessThanOrEqual(Number(PROD.throttleRateLimit));
      expect(s.ThrottlingBurstLimit).toBeLessThanOrEqual(Number(PROD.throttleBurstLimit));
    }
    // The reads keep the stage's own limit.
    expect(of(template, '/~1mysfits', 'GET')).toMatchObject({ ThrottlingRateLimit: Number(PROD.throttleRateLimit) });
  });

  test('a throttled request is a JSON 429 with CORS and Retry-After', () => {
    const response = properties(template, 'GatewayResponseThrottled');
    expect(response).toMatchObject({ ResponseType: 'THROTTLED', StatusCode: '429' });
    const headers = response.ResponseParameters as Record<string, unknown>;
    expect(headers['gatewayresponse.header.Retry-After']).toBe("'1'");
    expect(headers['gatewayresponse.header.Access-Control-Expose-Headers']).toBe("'Retry-After'");
    expect(headers['gatewayresponse.header.Access-Control-Allow-Origin']).toBeDefined();
  });
});

describe('alarms and dashboard', () => {
  test('every rule of both web ACLs: its blocked requests over the threshold in 5 minutes', () => {
    const blocked = alarms(template).filter(([, a]) => a.Namespace === 'AWS/WAFV2');
    const expected = ['ApiWebAcl', 'UserPoolWebAcl'].flatMap((id) =>
      acl(template, id).Rules.map((r) => [acl(template, id).VisibilityConfig.MetricName, r.VisibilityConfig.MetricName]),
    );
    expect(blocked.map(([, a]) => [a.Dimensions[0].Value, a.Dimensions[1].Value]).sort()).toEqual(expected.sort());
    for (const [, a] of blocked) {
      expect(a).toMatchObject({
        MetricName: 'BlockedRequests',
        Statistic: 'Sum',
        Period: 300,
        Threshold: Number(PROD.wafBlockedAlarmThreshold),
        ComparisonOperator: 'GreaterThanThreshold',
      });
      expect(a.Dimensions.map((d: { Name: string }) => d.Name)).toEqual(['WebACL', 'Rule', 'Region']);
      expect(a.Dimensions[2].Value).toEqual({ Ref: 'AWS::Region' });
    }
  });

  test('429s per route: counted from the access log by route, an alarm for each route', () => {
    const filter = properties(template, 'TooManyRequestsMetricFilter');
    expect(filter.LogGroupName).toEqual({ Ref: 'ApiAccessLogGroup' });
    expect(filter.FilterPattern).toBe('{ $.status = "429" }');
    expect(filter.MetricTransformations).toEqual([
      {
        MetricNamespace: 'Mysfits/Api',
        MetricName: 'TooManyRequests',
        MetricValue: '1',
        Unit: 'Count',
        Dimensions: [{ Key: 'route', Value: '$.route' }],
      },
    ]);
    const perRoute = alarms(template).filter(([, a]) => a.MetricName === 'TooManyRequests');
    expect(perRoute.map(([, a]) => a.Dimensions[0].Value).sort()).toEqual(ROUTES.map((r) => r.route).sort());
    for (const [, a] of perRoute) {
      expect(a).toMatchObject({ Namespace: 'Mysfits/Api', Statistic: 'Sum', Threshold: Number(PROD.throttledAlarmThreshold) });
    }
  });

  test('the dashboard shows 429s per route and blocked requests per rule', () => {
    const body = JSON.parse(textOf(properties(template, 'OperationsDashboard').DashboardBody)) as {
      widgets: Array<{ properties: { title: string; metrics: unknown[][] } }>;
    };
    const widget = (title: string) => body.widgets.find((w) => w.properties.title === title);
    expect(
      widget('429 answers per route')
        ?.properties.metrics.map((m) => m[3])
        .sort(),
    ).toEqual(ROUTES.map((r) => r.route).sort());
    const blocked = widget('Web firewall: blocked requests per rule')?.properties.metrics ?? [];
    expect(blocked.length).toBe(acl(template, 'ApiWebAcl').Rules.length + acl(template, 'UserPoolWebAcl').Rules.length);
    for (const m of blocked) expect(m.slice(0, 2)).toEqual(['AWS/WAFV2', 'BlockedRequests']);
  });
});

describe('the switch off', () => {
  test('no WAF resource, no WAF log group, no alarm or widget of one; the per-route throttles stay', () => {
    expect(Object.values(off.Resources).filter((r) => r.Type.startsWith('AWS::WAFv2::'))).toEqual([]);
    expect(off.Resources.WebFirewallLogGroup).toBeUndefined();
    expect(alarms(off).filter(([, a]) => a.Namespace === 'AWS/WAFV2')).toEqual([]);
    expect(JSON.stringify(properties(off, 'OperationsDashboard').DashboardBody)).not.toContain('WAFV2');
    expect(JSON.stringify(properties(off, 'ApiGatewayStage').MethodSettings)).toContain('/~1clicks');
  });
});
