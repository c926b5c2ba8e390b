/**
 * The deploy checks (`npm run test:deploy`): the prod template, in its three variants (as is, with the legacy NLB,
 * with the workshop's table adopted), checked before AWS sees it against AWS's resource specification, the security
 * rules of cfn-nag and checkov that fit it, and cfn-lint where it is installed; the account stack's template too. Then each check is shown catching a
 * fault put into an otherwise clean template.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEMPLATE_FILE as ACCOUNT_TEMPLATE } from '../../infra/logging-role';
import { packageProd } from '../infra/package';
import { cfnLint, cfnLintPath, KNOWN_BENIGN } from './cfnLint';
import { checkSecurity } from './securityRules';
import { checkAgainstSpec, type Finding, type Template } from './specCheck';

const NLB = {
  legacyNlbArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/legacy/0123456789abcdef',
  legacyNlbDnsName: 'legacy-0123456789abcdef.elb.us-east-1.amazonaws.com',
};
const VARIANTS = [
  { variant: 'as is', params: {} },
  { variant: 'with the legacy NLB', params: NLB },
  { variant: "with the workshop's table adopted", params: { createMysfitsTable: 'false', mysfitsTableName: 'MysfitsTable' } },
] as const;

const templates = new Map<string, Template>();
const CFN_LINT = cfnLintPath();
const scratch = mkdtempSync(join(tmpdir(), 'mysfits-deploy-checks-'));
if (!CFN_LINT) process.stderr.write('cfn-lint is not installed: its check is skipped (the specification and security checks still run).\n');

beforeAll(async () => {
  const packaged = await Promise.all(VARIANTS.map((v) => packageProd(v.params)));
  VARIANTS.forEach((v, i) => templates.set(v.variant, packaged[i]?.template as unknown as Template));
}, 180_000);

const template = (variant: string) => templates.get(variant) as Template;
/** A deep copy to break. */
const copy = (variant: string) => structuredClone(template(variant));
const lines = (findings: Finding[]) => findings.map((f) => `${f.at}: ${f.problem}`);

describe.each(VARIANTS)('the prod template $variant', ({ variant }) => {
  test("matches AWS's resource specification: types, property names, required properties, value shapes, references", () => {
    expect(lines(checkAgainstSpec(template(variant)))).toEqual([]);
  });

  test('passes the security rules: no wildcard, buckets encrypted, private and HTTPS only, log retention, dead letters', () => {
    expect(lines(checkSecurity(template(variant)))).toEqual([]);
  });

  // Only where cfn-lint is installed (a line on stderr says when it is not).
  if (CFN_LINT) {
    test(`passes cfn-lint (known benign: ${Object.keys(KNOWN_BENIGN).join(', ')})`, () => {
      const file = join(scratch, `${variant.replace(/\W+/g, '-')}.json`);
      expect(lines(cfnLint(CFN_LINT, template(variant), file))).toEqual([]);
    }, 120_000);
  }
});

describe("the account stack's template (infra/api-gateway-logging-role.json: API Gateway's logging role, made once per account)", () => {
  const account = JSON.parse(readFileSync(ACCOUNT_TEMPLATE, 'utf8')) as Template;

  test("matches AWS's resource specification", () => {
    expect(lines(checkAgainstSpec(account))).toEqual([]);
  });

  test('passes the security rules', () => {
    expect(lines(checkSecurity(account))).toEqual([]);
  });

  if (CFN_LINT) {
    test('passes cfn-lint', () => {
      expect(lines(cfnLint(CFN_LINT, account, join(scratch, 'account.json')))).toEqual([]);
    }, 120_000);
  }
});

describe('each check catches a fault', () => {
  test('a misspelled property', () => {
    const broken = copy('as is');
    const table = broken.Resources.UserActivityTable?.Properties as Record<string, unknown>;
    table.TableNmae = table.TableName;
    delete table.TableName;
    expect(lines(checkAgainstSpec(broken))).toEqual([
      expect.stringMatching(/^Resources\.UserActivityTable\.Properties\.TableNmae: no such property/),
    ]);
    if (CFN_LINT)
      expect(lines(cfnLint(CFN_LINT, broken, join(scratch, 'misspelled.json')))).toContainEqual(expect.stringContaining('TableNmae'));
  }, 120_000);

  test('an attribute that does not exist', () => {
    const broken = copy('as is');
    (broken.Resources.ApiGatewayStage?.Properties?.AccessLogSetting as Record<string, unknown>).DestinationArn = {
      'Fn::GetAtt': ['ApiAccessLogGroup', 'LogGroupArn'],
    };
    expect(lines(checkAgainstSpec(broken))).toEqual([
      expect.stringMatching(/AccessLogSetting\.DestinationArn: AWS::Logs::LogGroup has no attribute LogGroupArn/),
    ]);
  });

  test('a value of the wrong shape, a missing required property, and a reference to nothing', () => {
    const broken = copy('as is');
    const fn = broken.Resources.GetMysfitLambdaFunction?.Properties as Record<string, unknown>;
    fn.Timeout = 'ten seconds';
    delete fn.Role;
    broken.Resources.ApiAccessLogGroup = {
      ...(broken.Resources.ApiAccessLogGroup as Template['Resources'][string]),
      DependsOn: 'NoSuchResource',
    };
    expect(lines(checkAgainstSpec(broken)).sort()).toEqual([
      expect.stringMatching(/ApiAccessLogGroup\.DependsOn: depends on NoSuchResource/),
      expect.stringMatching(/GetMysfitLambdaFunction\.Properties\.Role: required, and missing/),
      expect.stringMatching(/GetMysfitLambdaFunction\.Properties\.Timeout: expected an integer/),
    ]);
  });

  test('a wildcard action, and a wildcard resource an action could narrow', () => {
    const broken = copy('as is');
    const role = broken.Resources.GetMysfitRole?.Properties as { Policies: Array<{ PolicyDocument: { Statement: unknown[] } }> };
    role.Policies[0]?.PolicyDocument.Statement.push({ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' });
    expect(lines(checkSecurity(broken))).toEqual([
      expect.stringMatching(/GetMysfitRole.*wildcard action dynamodb:\*/),
      expect.stringMatching(/GetMysfitRole.*resource '\*' for dynamodb:\*/),
    ]);
  });

  test('a bucket left unencrypted and public, and a log group kept forever', () => {
    const broken = copy('as is');
    const bucket = broken.Resources.ClicksBucket?.Properties as Record<string, unknown>;
    delete bucket.BucketEncryption;
    (bucket.PublicAccessBlockConfiguration as Record<string, unknown>).BlockPublicPolicy = false;
    delete (broken.Resources.ApiAccessLogGroup?.Properties as Record<string, unknown>).RetentionInDays;
    expect(lines(checkSecurity(broken)).sort()).toEqual([
      expect.stringMatching(/ApiAccessLogGroup: a log group without RetentionInDays/),
      expect.stringMatching(/ClicksBucket: not encrypted at rest/),
      expect.stringMatching(/ClicksBucket: public access not blocked: BlockPublicPolicy/),
    ]);
  });

  test('the web firewall: a misspelled statement, a web ACL not logged and without the known bad inputs', () => {
    const broken = copy('as is');
    expect(Object.values(broken.Resources).filter((r) => r.Type === 'AWS::WAFv2::WebACL')).toHaveLength(2);
    const acl = broken.Resources.ApiWebAcl?.Properties as { Rules: Array<{ Name: string; Statement: Record<string, unknown> }> };
    const rate = acl.Rules.find((r) => r.Name === 'ClicksAddressRate')?.Statement.RateBasedStatement as Record<string, unknown>;
    rate.ScopeDownStatment = rate.ScopeDownStatement;
    delete rate.ScopeDownStatement;
    expect(lines(checkAgainstSpec(broken))).toEqual([
      expect.stringMatching(/ApiWebAcl\.Properties\.Rules.*ScopeDownStatment: no such property/),
    ]);

    const unlogged = copy('as is');
    delete unlogged.Resources.UserPoolWebAclLogging;
    const rules = (unlogged.Resources.ApiWebAcl?.Properties as { Rules: Array<{ Name: string }> }).Rules;
    rules.splice(
      rules.findIndex((r) => r.Name === 'AWSManagedRulesKnownBadInputsRuleSet'),
      1,
    );
    expect(lines(checkSecurity(unlogged)).sort()).toEqual([
      expect.stringMatching(/ApiWebAcl: a web ACL without AWS's known bad inputs/),
      expect.stringMatching(/UserPoolWebAcl: a web ACL without a logging configuration/),
    ]);
  });

  test('a function invoked asynchronously without a dead-letter path', () => {
    const broken = copy('as is');
    broken.Resources.TopicInvokesGetMysfit = {
      Type: 'AWS::Lambda::Permission',
      Properties: {
        Action: 'lambda:InvokeFunction',
        Principal: 'sns.amazonaws.com',
        FunctionName: { 'Fn::GetAtt': ['GetMysfitLambdaFunction', 'Arn'] },
      },
    };
    expect(lines(checkSecurity(broken))).toEqual([
      expect.stringMatching(/GetMysfitLambdaFunction: invoked asynchronously, with no dead-letter/),
    ]);
  });
});
