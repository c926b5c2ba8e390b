/**
 * Safe to remove and to deploy again, on the prod template: what a remove keeps (and nothing that would make it
 * fail: a bucket with data is retained or emptied first), the switches that adopt what it kept, and the user pool's
 * email through SES when an identity is given.
 */
import { resolvedServiceSync, stageParams } from '../../dev/service';
import {
  chosen,
  danglingReferences,
  evaluateCondition,
  packageProd,
  properties,
  resource,
  resourcesOfType,
  textOf,
  type Template,
} from './package';

const PROD = stageParams(resolvedServiceSync('prod'), 'prod');
const POOL_ID = 'us-east-1_AbCdEf123';
const SES_IDENTITY = 'mysfits.example.com';
const FROM = 'Mythical Mysfits <no-reply@mysfits.example.com>';

let template: Template;
let adopted: Template;
let withSes: Template;

beforeAll(async () => {
  const packaged = await Promise.all([
    packageProd(),
    packageProd({ createMysfitsTable: 'false', createActivityTable: 'false', userPoolId: POOL_ID }),
    packageProd({ sesIdentity: SES_IDENTITY, sesFromAddress: FROM }),
  ]);
  [template, adopted, withSes] = packaged.map((p) => p.template) as [Template, Template, Template];
}, 120_000);

/** Resources the template keeps in this packaging (their condition holds, or they have none). */
const present = (t: Template, type: string) =>
  resourcesOfType(t, type).filter(([, r]) => !r.Condition || evaluateCondition(t, r.Condition));

describe('serverless remove', () => {
  test('every bucket with data is kept (Retain) or emptied first: the clicks bucket is kept, the website bucket emptied', () => {
    const buckets = Object.fromEntries(resourcesOfType(template, 'AWS::S3::Bucket').map(([id, r]) => [id, r]));
    // (The framework's own deployment bucket it empties itself before the remove.)
    expect(Object.keys(buckets).sort()).toEqual(['ClicksBucket', 'ServerlessDeploymentBucket', 'WebsiteBucket']);
    expect(buckets.ClicksBucket).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    // The website bucket holds only the build: infra/website.js empties it before the remove (tests/unit/infra).
    expect(buckets.WebsiteBucket?.DeletionPolicy).toBeUndefined();
    // A kept bucket has no fixed name, so the next deploy's new bucket cannot collide with it.
    expect(buckets.ClicksBucket?.Properties?.BucketName).toBeUndefined();
  });

  test('the tables with data and the user pool are kept; the salts (a day each) are not', () => {
    expect(resource(template, 'MysfitsTable').DeletionPolicy).toBe('Retain');
    expect(resource(template, 'UserActivityTable').DeletionPolicy).toBe('Retain');
    expect(resource(template, 'CognitoUserPool')).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(resource(template, 'VisitorSaltsTable').DeletionPolicy).toBeUndefined();
  });
});

describe('deploy again after a remove: adopting what it kept', () => {
  test('by default the stack makes its tables and its user pool', () => {
    expect(
      present(template, 'AWS::DynamoDB::Table')
        .map(([id]) => id)
        .sort(),
    ).toEqual(['MysfitsTable', 'UserActivityTable', 'VisitorSaltsTable']);
    expect(present(template, 'AWS::Cognito::UserPool').map(([id]) => id)).toEqual(['CognitoUserPool']);
  });

  test('createMysfitsTable=false and createActivityTable=false: neither table is made again, and the functions still name them', () => {
    expect(present(adopted, 'AWS::DynamoDB::Table').map(([id]) => id)).toEqual(['VisitorSaltsTable']);
    const policies = JSON.stringify(resourcesOfType(adopted, 'AWS::IAM::Role').map(([, r]) => r.Properties));
    expect(policies).toContain(`table/${String(PROD.activityTableName)}`);
    expect(policies).toContain(`table/${String(PROD.mysfitsTableName)}`);
    expect(policies).not.toContain('UserActivityTable');
  });

  test('userPoolId: no second pool; the website client, the authorizer and the clicks issuer use the kept one', () => {
    expect(present(adopted, 'AWS::Cognito::UserPool')).toEqual([]);
    expect(chosen(adopted, properties(adopted, 'CognitoUserPoolClient').UserPoolId)).toBe(POOL_ID);
    const [, authorizer] = resourcesOfType(adopted, 'AWS::ApiGateway::Authorizer')[0] ?? [];
    const arns = chosen(adopted, authorizer?.Properties?.ProviderARNs) as unknown[];
    expect(arns.map(textOf)).toEqual([`arn:\${AWS::Partition}:cognito-idp:\${AWS::Region}:\${AWS::AccountId}:userpool/${POOL_ID}`]);
    const variables = (properties(adopted, 'RecordClicksLambdaFunction').Environment as { Variables: Record<string, unknown> }).Variables;
    expect(textOf(chosen(adopted, variables.COGNITO_ISSUER))).toBe(`https://cognito-idp.\${AWS::Region}.amazonaws.com/${POOL_ID}`);
    expect(chosen(adopted, adopted.Outputs?.UserPoolId?.Value)).toBe(POOL_ID);
  });

  test('nothing in the adopted template refers to a resource it does not make', () => {
    const { referenced, dangling } = danglingReferences(adopted);
    expect(referenced).toContain('CognitoUserPoolClient'); // the pattern finds references at all
    expect(dangling).toEqual([]);
  });
});

describe("the user pool's email", () => {
  const emailOf = (t: Template) => chosen(t, properties(t, 'CognitoUserPool').EmailConfiguration);

  test("without an SES identity: Cognito's own sender (about 50 emails a day, README)", () => {
    expect(emailOf(template)).toEqual({ EmailSendingAccount: 'COGNITO_DEFAULT' });
  });

  test('with one: through SES, from the given address', () => {
    const email = emailOf(withSes) as { EmailSendingAccount: string; SourceArn: unknown; From: string };
    expect(email.EmailSendingAccount).toBe('DEVELOPER');
    expect(textOf(email.SourceArn)).toBe(`arn:\${AWS::Partition}:ses:\${AWS::Region}:\${AWS::AccountId}:identity/${SES_IDENTITY}`);
    expect(email.From).toBe(FROM);
  });

  // AWS: a pool sets EmailSubject and EmailMessage only with EmailSendingAccount DEVELOPER (SES).
  const messageOf = (t: Template) => chosen(t, properties(t, 'CognitoUserPool').VerificationMessageTemplate);

  test("Cognito's sender: its default verification message (no subject or text of ours, which AWS allows only with SES)", () => {
    expect(messageOf(template)).toEqual({ DefaultEmailOption: 'CONFIRM_WITH_CODE' });
  });

  test('SES: the message the README shows, with the code', () => {
    expect(messageOf(withSes)).toEqual({
      DefaultEmailOption: 'CONFIRM_WITH_CODE',
      EmailSubject: 'Your Mythical Mysfits verification code',
      EmailMessage: 'Welcome to Mythical Mysfits! Your verification code is {####}',
    });
  });

  test("the EmailSender output (what `serverless info` shows) names the stage's sender", () => {
    expect(chosen(template, template.Outputs?.EmailSender?.Value)).toMatch(/^Cognito's own sender, about 50 emails a day/);
    expect(chosen(withSes, withSes.Outputs?.EmailSender?.Value)).toBe(`Amazon SES, from ${FROM} (identity ${SES_IDENTITY})`);
    expect(chosen(adopted, adopted.Outputs?.EmailSender?.Value)).toMatch(new RegExp(`^the kept pool ${POOL_ID}`));
  });
});

describe('beside other stages in one account: nothing account-wide, every fixed name its stage’s own', () => {
  /** Types that are one setting per account (and Region): a stack that has one overwrites every other's, and its remove undoes it. */
  const ACCOUNT_WIDE = [
    'AWS::ApiGateway::Account',
    'AWS::IAM::AccountAlias',
    'AWS::S3::AccountPublicAccessBlock',
    'AWS::EC2::EBSDefaultEncryption',
    'AWS::GuardDuty::Detector',
    'AWS::Config::ConfigurationRecorder',
    'AWS::SecurityHub::Hub',
    'AWS::Lambda::CodeSigningConfig',
    'AWS::Logs::AccountPolicy',
    'AWS::CloudTrail::Trail',
    'AWS::SES::ConfigurationSet',
    'AWS::Athena::DataCatalog',
  ];

  test("the stack sets no account-wide setting: API Gateway's logging role is the account's (infra/logging-role.js)", () => {
    for (const t of [template, adopted, withSes]) {
      expect(Object.values(t.Resources).filter((r) => ACCOUNT_WIDE.includes(r.Type))).toEqual([]);
    }
    // The stage logs with whatever role the account has; the stack neither makes one nor waits for one.
    expect(resourcesOfType(template, 'AWS::IAM::Role').map(([id]) => id)).not.toContain('ApiGatewayCloudWatchRole');
    expect(resource(template, 'ApiGatewayStage').DependsOn).toBeUndefined();
  });

  /** Every name a resource is given in the template (a property ending in Name, at any depth), as [logical id, path, value]. */
  function fixedNames(t: Template): Array<[string, string, string]> {
    const found: Array<[string, string, string]> = [];
    const visit = (id: string, path: string, value: unknown) => {
      if (!value || typeof value !== 'object') return;
      for (const [key, item] of Object.entries(value)) {
        if (
          /^(TableName|FunctionName|LogGroupName|TopicName|DashboardName|UserPoolName|ClientName|DeliveryStreamName|Name|BucketName|RoleName)$/.test(
            key,
          ) &&
          typeof item === 'string'
        ) {
          found.push([id, `${path}${key}`, item]);
        } else visit(id, `${path}${key}.`, item);
      }
    };
    for (const [id, r] of Object.entries(t.Resources)) visit(id, '', r.Properties);
    return found;
  }

  test("every resource given a name of its own has the stage in it, so two stages' names never meet", () => {
    const stage = 'prod';
    const names = fixedNames(template).filter(
      ([, path]) => !/(Columns|Schema|RecoveryMechanisms|Parameters|Rules)\.\d+\.|Dimensions|RedactedFields/.test(path),
    );
    // The fixed-name resources, listed: a new one is a decision (its name must carry the stage).
    expect([...new Set(names.map(([id]) => template.Resources[id]?.Type))].sort()).toEqual([
      'AWS::ApiGateway::Authorizer',
      'AWS::ApiGateway::RequestValidator',
      'AWS::ApiGateway::RestApi',
      'AWS::ApiGateway::VpcLink', // the legacy switch's, made only with it
      'AWS::Athena::NamedQuery', // the clickstream's questions (infra/clickstream.js), in the stage's workgroup
      'AWS::Athena::WorkGroup',
      'AWS::CloudFront::OriginAccessControl',
      'AWS::CloudFront::ResponseHeadersPolicy',
      'AWS::CloudWatch::Dashboard',
      'AWS::Cognito::UserPool',
      'AWS::Cognito::UserPoolClient',
      'AWS::DynamoDB::Table',
      'AWS::Glue::Database',
      'AWS::Glue::Table',
      'AWS::KinesisFirehose::DeliveryStream',
      'AWS::Lambda::Function',
      'AWS::Logs::LogGroup',
      'AWS::SNS::Topic',
      'AWS::WAFv2::WebACL',
    ]);
    // Names that live inside a resource of the stage's own (an authorizer in its API, a table in its database, a
    // saved query in its workgroup: Athena's names need not be unique) need not.
    const inside = new Set(['AWS::ApiGateway::Authorizer', 'AWS::Glue::Table', 'AWS::Athena::NamedQuery']);
    for (const [id, path, name] of names) {
      if (inside.has(String(template.Resources[id]?.Type))) continue;
      expect([id, path, name]).toEqual([
        id,
        path,
        expect.stringMatching(new RegExp(`(mysfits[-_]${stage}(?![A-Za-z0-9])|^${stage}-mysfits)`)),
      ]);
    }
  });

  test('the named resources a remove keeps are adopted by name on the next deploy, never made twice (README)', () => {
    // (The Framework retains each function's versions; they go with the function.)
    const kept = Object.entries(template.Resources).filter(([, r]) => r.DeletionPolicy === 'Retain' && r.Type !== 'AWS::Lambda::Version');
    expect(kept.map(([id]) => id).sort()).toEqual(['ClicksBucket', 'CognitoUserPool', 'MysfitsTable', 'UserActivityTable']);
    // Each one with a fixed name has a switch that leaves it out (createMysfitsTable, createActivityTable, userPoolId).
    for (const [id, r] of kept) {
      if (id === 'ClicksBucket') expect(r.Properties?.BucketName).toBeUndefined();
      else expect(present(adopted, r.Type).map(([found]) => found)).not.toContain(id);
    }
  });
});
