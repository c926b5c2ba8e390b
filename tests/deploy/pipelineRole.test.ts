/**
 * The delivery pipeline's access to AWS (infra/pipeline-role.yml) through the same deploy checks as the stack: AWS's
 * resource specification, the security rules, cfn-lint where installed; and what makes it least privilege: who may
 * assume each role, the pipeline changing stacks only as CloudFormation's service role, and passing no other role.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../dev/paths';
import { cfnLint, cfnLintPath } from './cfnLint';
import { checkSecurity } from './securityRules';
import { checkAgainstSpec, type Finding, type Template } from './specCheck';

// The Framework's own reader of CloudFormation YAML (short-form tags: !Sub, !GetAtt, !If ...).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- an internal module of the pinned Framework, untyped
const parse = require('serverless/lib/utils/fs/parse') as (file: string, contents: Buffer) => unknown;

const FILE = join(PROJECT_ROOT, 'infra', 'pipeline-role.yml');
const template = parse(FILE, readFileSync(FILE)) as Template;
const copy = () => structuredClone(template);
const lines = (findings: Finding[]) => findings.map((f) => `${f.at}: ${f.problem}`);
const CFN_LINT = cfnLintPath();

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}
const props = (id: string) => template.Resources[id]?.Properties as Record<string, unknown>;
const trust = (id: string) => (props(id).AssumeRolePolicyDocument as { Statement: Statement[] }).Statement;
const statements = (id: string, t: Template = template) =>
  ((t.Resources[id]?.Properties as { Policies: Array<{ PolicyDocument: { Statement: Statement[] } }> }).Policies ?? []).flatMap(
    (p) => p.PolicyDocument.Statement,
  );
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const SERVICE_ROLE_ARN = { 'Fn::GetAtt': ['CloudFormationServiceRole', 'Arn'] };

test("matches AWS's resource specification", () => {
  expect(lines(checkAgainstSpec(template))).toEqual([]);
});

test('passes the security rules: no wildcard but the service role ones, nothing on * that can be named', () => {
  expect(lines(checkSecurity(template))).toEqual([]);
});

if (CFN_LINT) {
  test('passes cfn-lint', () => {
    expect(lines(cfnLint(CFN_LINT, template, join(mkdtempSync(join(tmpdir(), 'mysfits-pipeline-')), 'pipeline-role.json')))).toEqual([]);
  }, 120_000);
}

test("only the repository's main branch and its prod environment may assume the pipeline's role, through GitHub OIDC", () => {
  const [statement, ...others] = trust('PipelineRole');
  expect(others).toEqual([]);
  expect(statement).toMatchObject({ Effect: 'Allow', Action: 'sts:AssumeRoleWithWebIdentity' });
  expect(JSON.stringify(statement?.Principal)).toContain('token.actions.githubusercontent.com');
  expect(statement?.Condition).toEqual({
    StringEquals: {
      'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
      'token.actions.githubusercontent.com:sub': [
        { 'Fn::Sub': 'repo:${GitHubRepository}:ref:refs/heads/main' },
        { 'Fn::Sub': 'repo:${GitHubRepository}:environment:${ProdEnvironment}' },
      ],
    },
  });
  expect(props('GitHubOidcProvider')).toEqual({ Url: 'https://token.actions.githubusercontent.com', ClientIdList: ['sts.amazonaws.com'] });
});

test('only CloudFormation, in this account, may assume the service role', () => {
  expect(trust('CloudFormationServiceRole')).toEqual([
    {
      Effect: 'Allow',
      Principal: { Service: 'cloudformation.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    },
  ]);
});

test('the pipeline makes and changes stacks only as the service role, passes no other role, and deletes no stack', () => {
  const pipeline = statements('PipelineRole');
  const changing = pipeline.filter((s) => actions(s).some((a) => /^cloudformation:(CreateStack|UpdateStack|CreateChangeSet)$/.test(a)));
  expect(changing).toHaveLength(1);
  expect(changing[0]?.Condition).toEqual({ StringEquals: { 'cloudformation:RoleArn': SERVICE_ROLE_ARN } });
  const passing = pipeline.filter((s) => actions(s).includes('iam:PassRole'));
  expect(passing).toEqual([
    expect.objectContaining({
      Resource: SERVICE_ROLE_ARN,
      Condition: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
    }),
  ]);
  const all = pipeline.flatMap(actions);
  expect(all).not.toContain('cloudformation:DeleteStack');
  // It makes nothing itself: no create action of a service the stack uses, no IAM change; only the website's cache
  // flushed, the mysfits seeded, and the checks' own mysfit written and deleted.
  expect(
    all.filter((a) =>
      /^(lambda|dynamodb|iam|apigateway|cognito-idp|cloudfront|firehose|glue|athena|logs|cloudwatch|sns):(Create|Put|Attach|Update|Delete|\*)/.test(
        a,
      ),
    ),
  ).toEqual(['cloudfront:CreateInvalidation', 'dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem']);
});

test("the service role may touch only <service>-* roles, never the pipeline's own (pipeline-*), and attach one managed policy", () => {
  expect([props('PipelineRole').RoleName, props('CloudFormationServiceRole').RoleName]).toEqual([
    { 'Fn::Sub': 'pipeline-${ServiceName}-github' },
    { 'Fn::Sub': 'pipeline-${ServiceName}-cloudformation' },
  ]);
  const iam = statements('CloudFormationServiceRole').filter((s) => actions(s).some((a) => a.startsWith('iam:')));
  for (const s of iam) expect(s.Resource).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${ServiceName}-*' });
  const attach = iam.find((s) => actions(s).includes('iam:AttachRolePolicy'));
  expect(attach?.Condition).toEqual({
    ArnEquals: {
      'iam:PolicyARN': { 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs' },
    },
  });
});

describe('the rules catch', () => {
  const add = (role: string, statement: Statement) => {
    const broken = copy();
    (
      broken.Resources[role]?.Properties as { Policies: Array<{ PolicyDocument: { Statement: Statement[] } }> }
    ).Policies[0]?.PolicyDocument.Statement.push(statement);
    return lines(checkSecurity(broken));
  };

  test("a service's every action in the pipeline's role (only a CloudFormation service role may)", () => {
    expect(
      add('PipelineRole', { Effect: 'Allow', Action: 'lambda:*', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:mysfits-*' }),
    ).toEqual([expect.stringMatching(/PipelineRole.*wildcard action lambda:\*/)]);
  });

  test("IAM's or every service's actions, even in the service role", () => {
    expect(
      add('CloudFormationServiceRole', { Effect: 'Allow', Action: ['iam:*', '*'], Resource: 'arn:aws:iam::123456789012:role/mysfits-*' }),
    ).toEqual([expect.stringMatching(/wildcard action iam:\*/), expect.stringMatching(/wildcard action \*$/)]);
  });

  test("a service's every action on '*' in the service role", () => {
    expect(add('CloudFormationServiceRole', { Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' })).toEqual([
      expect.stringMatching(/CloudFormationServiceRole.*resource '\*' for dynamodb:\*/),
    ]);
  });
});
