/**
 * The rules cfn-nag and checkov apply to a template, the ones that fit this stack, as code: no wildcard action (but a
 * service's every action for a CloudFormation service role, on named resources), no
 * wildcard resource where a narrower one exists, every bucket encrypted, closed to the public and HTTPS only, every
 * log group with a retention, a dead-letter path for every function that something invokes asynchronously, and every
 * web ACL logged and guarding against Log4j's message lookup (checkov CKV2_AWS_31, CKV_AWS_192).
 */
import type { Finding, Template } from './specCheck';

/**
 * Actions that take no resource but '*' (AWS: "does not support resource-level permissions"): the one case where
 * '*' is the narrowest resource there is.
 */
export const ACTIONS_WITHOUT_RESOURCES = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  // The pipeline's (infra/pipeline-role.yml).
  'cloudformation:ValidateTemplate',
  'cloudformation:ListExports',
  'cognito-idp:CreateUserPool',
  // What WAF needs to log a web ACL to CloudWatch Logs (the service role's, infra/pipeline-role.yml).
  'logs:CreateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
]);

/**
 * A CloudFormation service role (one only cloudformation.amazonaws.com may assume: provider.iam.deploymentRole) makes
 * every kind of resource the stack has, so it alone may hold a service's every action (`lambda:*`), for these
 * services, still on named resources (never '*'). Never IAM's, STS's or every service's: who holds those holds all.
 */
export const SERVICE_ROLE_SERVICES = new Set([
  'lambda',
  'dynamodb',
  's3',
  'firehose',
  'glue',
  'athena',
  'logs',
  'cloudwatch',
  'sns',
  'cognito-idp',
  'cloudfront',
  'wafv2',
]);

/** AWS-managed policies a role may carry, each for a reason no inline policy can express better. */
export const ALLOWED_MANAGED_POLICIES: Record<string, string> = {
  AmazonAPIGatewayPushToCloudWatchLogs: "API Gateway's own role for access logs: AWS's service-role policy, the documented way",
};

/** Services that invoke a function asynchronously (the event is queued; a failure needs somewhere to go). */
const ASYNC_INVOKERS = new Set([
  'sns.amazonaws.com',
  's3.amazonaws.com',
  'events.amazonaws.com',
  'ses.amazonaws.com',
  'iot.amazonaws.com',
  'logs.amazonaws.com',
]);

interface Statement {
  Effect?: string;
  Action?: string | string[];
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
}

const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Does only CloudFormation assume this role? */
function isCloudFormationServiceRole(props: Record<string, unknown>): boolean {
  const trust = list((props.AssumeRolePolicyDocument as { Statement?: Statement | Statement[] } | undefined)?.Statement);
  return (
    trust.length > 0 &&
    trust.every(
      (s) => JSON.stringify((s as { Principal?: unknown }).Principal) === JSON.stringify({ Service: 'cloudformation.amazonaws.com' }),
    )
  );
}

function statementsOf(template: Template): Array<{ at: string; statement: Statement; serviceRole: boolean }> {
  const found: Array<{ at: string; statement: Statement; serviceRole: boolean }> = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    const props = resource.Properties ?? {};
    const serviceRole = resource.Type === 'AWS::IAM::Role' && isCloudFormationServiceRole(props);
    const documents: Array<[string, unknown]> = [];
    if (resource.Type === 'AWS::IAM::Role') {
      list(props.Policies as Array<{ PolicyDocument: unknown }> | undefined).forEach((p, i) =>
        documents.push([`Policies[${i}]`, p.PolicyDocument]),
      );
    }
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy')
      documents.push(['PolicyDocument', props.PolicyDocument]);
    for (const [where, document] of documents) {
      list((document as { Statement?: Statement | Statement[] } | undefined)?.Statement).forEach((statement, i) =>
        found.push({ at: `Resources.${id}.Properties.${where}.Statement[${i}]`, statement, serviceRole }),
      );
    }
  }
  return found;
}

function checkPermissions(template: Template, out: Finding[]): void {
  for (const { at, statement, serviceRole } of statementsOf(template)) {
    if (statement.Effect !== 'Allow') continue;
    if (statement.NotAction !== undefined || statement.NotResource !== undefined)
      out.push({ at, problem: 'allows with NotAction or NotResource: everything but a list' });
    const actions = list(statement.Action);
    const serviceWide = (action: string) => serviceRole && SERVICE_ROLE_SERVICES.has(action.match(/^([\w-]+):\*$/)?.[1] ?? '');
    for (const action of actions) if (action.includes('*') && !serviceWide(action)) out.push({ at, problem: `wildcard action ${action}` });
    const resources = list(statement.Resource);
    if (resources.includes('*') && !actions.every((a) => ACTIONS_WITHOUT_RESOURCES.has(a))) {
      out.push({ at, problem: `resource '*' for ${actions.join(', ')}, which can name their resources` });
    }
  }
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::IAM::Role') continue;
    for (const arn of list(resource.Properties?.ManagedPolicyArns)) {
      const name = JSON.stringify(arn).match(/policy\/(?:service-role\/)?([\w-]+)/)?.[1];
      if (!name || !(name in ALLOWED_MANAGED_POLICIES))
        out.push({
          at: `Resources.${id}.Properties.ManagedPolicyArns`,
          problem: `managed policy ${JSON.stringify(arn)} is not on the allowed list`,
        });
    }
  }
}

/** Does this bucket policy deny every request that is not over TLS? */
function deniesPlainHttp(policy: Record<string, unknown>): boolean {
  const statements = list((policy.PolicyDocument as { Statement?: unknown })?.Statement as Array<Record<string, unknown>>);
  return statements.some((s) => s.Effect === 'Deny' && /"aws:SecureTransport":"?false"?/.test(JSON.stringify(s.Condition ?? {})));
}

function checkBuckets(template: Template, out: Finding[]): void {
  const policies = Object.values(template.Resources).filter((r) => r.Type === 'AWS::S3::BucketPolicy');
  for (const [id, bucket] of Object.entries(template.Resources)) {
    if (bucket.Type !== 'AWS::S3::Bucket') continue;
    const at = `Resources.${id}`;
    const props = bucket.Properties ?? {};
    const encryption = (props.BucketEncryption as { ServerSideEncryptionConfiguration?: unknown[] } | undefined)
      ?.ServerSideEncryptionConfiguration;
    if (!encryption || encryption.length === 0) out.push({ at, problem: 'not encrypted at rest (BucketEncryption)' });
    const block = (props.PublicAccessBlockConfiguration ?? {}) as Record<string, unknown>;
    for (const setting of ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets']) {
      if (block[setting] !== true && block[setting] !== 'true')
        out.push({ at, problem: `public access not blocked: ${setting} is not true` });
    }
    const own = policies.filter((p) => JSON.stringify(p.Properties?.Bucket) === JSON.stringify({ Ref: id }));
    if (!own.some((p) => deniesPlainHttp(p.Properties ?? {})))
      out.push({ at, problem: 'no bucket policy denies plain HTTP (aws:SecureTransport false)' });
  }
}

function checkLogGroups(template: Template, out: Finding[]): void {
  for (const [id, group] of Object.entries(template.Resources)) {
    if (group.Type === 'AWS::Logs::LogGroup' && group.Properties?.RetentionInDays === undefined) {
      out.push({ at: `Resources.${id}`, problem: 'a log group without RetentionInDays keeps everything forever' });
    }
  }
}

function checkDeadLetters(template: Template, out: Finding[]): void {
  const resources = template.Resources;
  const functionOf = (target: unknown) => {
    const text = JSON.stringify(target);
    return Object.keys(resources).find((id) => resources[id]?.Type === 'AWS::Lambda::Function' && text.includes(`"${id}"`));
  };
  const asyncFunctions = new Set<string>();
  for (const resource of Object.values(resources)) {
    const props = resource.Properties ?? {};
    if (resource.Type === 'AWS::Lambda::Permission' && ASYNC_INVOKERS.has(String(props.Principal))) {
      const fn = functionOf(props.FunctionName);
      if (fn) asyncFunctions.add(fn);
    }
    if (resource.Type === 'AWS::SNS::Subscription' && props.Protocol === 'lambda') {
      const fn = functionOf(props.Endpoint);
      if (fn) asyncFunctions.add(fn);
    }
  }
  for (const fn of asyncFunctions) {
    const deadLetter = (resources[fn]?.Properties?.DeadLetterConfig as { TargetArn?: unknown } | undefined)?.TargetArn;
    const onFailure = Object.values(resources).some(
      (r) =>
        r.Type === 'AWS::Lambda::EventInvokeConfig' &&
        functionOf(r.Properties?.FunctionName) === fn &&
        JSON.stringify(r.Properties?.DestinationConfig ?? {}).includes('OnFailure'),
    );
    if (!deadLetter && !onFailure)
      out.push({ at: `Resources.${fn}`, problem: 'invoked asynchronously, with no dead-letter queue or on-failure destination' });
  }
}

/** Every web ACL: a logging configuration (checkov CKV2_AWS_31), and AWS's known bad inputs group (CKV_AWS_192, Log4j). */
function checkWebAcls(template: Template, out: Finding[]): void {
  const resources = Object.values(template.Resources);
  for (const [id, acl] of Object.entries(template.Resources)) {
    if (acl.Type !== 'AWS::WAFv2::WebACL') continue;
    const logged = resources.some(
      (r) =>
        r.Type === 'AWS::WAFv2::LoggingConfiguration' &&
        JSON.stringify(r.Properties?.ResourceArn) === JSON.stringify({ 'Fn::GetAtt': [id, 'Arn'] }),
    );
    if (!logged) out.push({ at: `Resources.${id}`, problem: 'a web ACL without a logging configuration' });
    const rules = list(acl.Properties?.Rules as Array<{ Statement?: { ManagedRuleGroupStatement?: { Name?: string } } }> | undefined);
    if (!rules.some((r) => r.Statement?.ManagedRuleGroupStatement?.Name === 'AWSManagedRulesKnownBadInputsRuleSet'))
      out.push({ at: `Resources.${id}`, problem: "a web ACL without AWS's known bad inputs (Log4j message lookup)" });
  }
}

export function checkSecurity(template: Template): Finding[] {
  const out: Finding[] = [];
  checkPermissions(template, out);
  checkBuckets(template, out);
  checkLogGroups(template, out);
  checkDeadLetters(template, out);
  checkWebAcls(template, out);
  return out;
}
