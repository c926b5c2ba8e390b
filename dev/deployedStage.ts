/**
 * Where a stage is, for `npm run test:deployed`: a deployed stage from its CloudFormation stack's outputs (stack
 * `mysfits-<stage>`, the deployer's usual AWS credentials), the local system from `.local/stack.json`. Every way this
 * can fail (no such stack, no credentials, a stack mid-update, a local system that is not running) is a
 * StageError whose message is one sentence for a person.
 */
import { CloudFormationClient, DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { localDataDir } from './paths';
import { resolvedService, stageParams } from './service';
import type { StackInfo } from './stackInfo';

/** What the deployed checks are given (as JSON in DEPLOYED_STAGE). */
export interface DeployedStage {
  stage: string;
  region: string;
  apiUrl: string;
  websiteUrl: string;
  userPoolId: string;
  userPoolClientId: string;
  mysfitsTableName: string;
  activityTableName: string;
  /** Only on the local stage: the local Cognito and DynamoDB (AWS's own endpoints otherwise). */
  cognitoEndpoint?: string;
  dynamodbEndpoint?: string;
}

export const STAGE_ENV = 'DEPLOYED_STAGE';

/** An error with one sentence for a person: the runner prints it and exits 1. */
export class StageError extends Error {
  override name = 'StageError';
}

/** The region when none is given: the usual AWS settings, then serverless.yml's default. */
export const regionOf = (given: string | undefined, env: NodeJS.ProcessEnv = process.env): string =>
  given || env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';

export const stackName = (stage: string) => `mysfits-${stage}`;

/** Stack outputs the checks need, and the field each fills. */
const OUTPUTS = {
  ApiUrl: 'apiUrl',
  WebsiteUrl: 'websiteUrl',
  UserPoolId: 'userPoolId',
  UserPoolClientId: 'userPoolClientId',
  MysfitsTableName: 'mysfitsTableName',
  UserActivityTableName: 'activityTableName',
} as const;

/** States in which the stack's resources are those of a finished deploy (the last one, or the one before it). */
const SETTLED = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'IMPORT_COMPLETE', 'IMPORT_ROLLBACK_COMPLETE']);

const CREDENTIAL_ERRORS = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
]);

/** DescribeStacks' errors, each in a sentence. */
function explain(error: unknown, name: string, region: string): StageError {
  const e = error as { name?: string; message?: string };
  if (e.name === 'CredentialsProviderError')
    return new StageError(
      `No AWS credentials found to read stack ${name}: set them as for the deploy (AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or SSO).`,
    );
  if (e.name === 'ValidationError' && /does not exist/.test(e.message ?? ''))
    return new StageError(`There is no stack ${name} in ${region}: deploy the stage first, or give its --region.`);
  if (e.name !== undefined && CREDENTIAL_ERRORS.has(e.name))
    return new StageError(`AWS refused the credentials (${e.name}) when reading stack ${name}: renew them and try again.`);
  if (e.name === 'AccessDenied' || e.name === 'AccessDeniedException')
    return new StageError(`These AWS credentials may not read stack ${name} (cloudformation:DescribeStacks is denied).`);
  const message = (e.message ?? String(error)).split('\n')[0]?.replace(/\.$/, '');
  return new StageError(`Could not read stack ${name} in ${region}: ${e.name ?? 'Error'}: ${message}.`);
}

/** The checks' view of a stack that DescribeStacks returned. */
export function fromStack(stack: Stack, stage: string, region: string): DeployedStage {
  const name = stackName(stage);
  const status = stack.StackStatus ?? 'UNKNOWN';
  if (status.endsWith('_IN_PROGRESS')) return fail(`Stack ${name} is ${status}: wait for it to finish, then run the checks again.`);
  if (!SETTLED.has(status)) return fail(`Stack ${name} is ${status}: there is no finished deploy to check.`);
  const outputs = Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
  const missing = Object.keys(OUTPUTS).filter((key) => !outputs[key]);
  if (missing.length > 0)
    return fail(`Stack ${name} has no ${missing.join(', ')} output${missing.length > 1 ? 's' : ''}: deploy it again with this version.`);
  const found = Object.fromEntries(Object.entries(OUTPUTS).map(([key, field]) => [field, outputs[key] as string]));
  return { stage, region, ...(found as Pick<DeployedStage, (typeof OUTPUTS)[keyof typeof OUTPUTS]>) };
}

const fail = (sentence: string): never => {
  throw new StageError(sentence);
};

/** A deployed stage, from `mysfits-<stage>`'s outputs in `region`. */
export async function deployedStage(stage: string, region: string, client = new CloudFormationClient({ region })): Promise<DeployedStage> {
  const name = stackName(stage);
  let stacks: Stack[] | undefined;
  try {
    ({ Stacks: stacks } = await client.send(new DescribeStacksCommand({ StackName: name })));
  } catch (error) {
    throw explain(error, name, region);
  } finally {
    client.destroy();
  }
  const [stack] = stacks ?? [];
  if (!stack) return fail(`There is no stack ${name} in ${region}: deploy the stage first, or give its --region.`);
  return fromStack(stack, stage, region);
}

/** The running local system, from `<data>/stack.json`; its tables as serverless.yml names them on the local stage. */
export async function localStage(env: NodeJS.ProcessEnv = process.env): Promise<DeployedStage> {
  const file = join(localDataDir(env), 'stack.json');
  if (!existsSync(file)) return fail(`The local system is not running (there is no ${file}): start it with npm start.`);
  let info: StackInfo;
  try {
    info = JSON.parse(readFileSync(file, 'utf8')) as StackInfo;
  } catch {
    return fail(`${file} is not the local system's JSON: restart it with npm start.`);
  }
  const params = stageParams(await resolvedService('local'), 'local');
  return {
    stage: 'local',
    region: info.region,
    apiUrl: info.apiUrl,
    websiteUrl: info.websiteUrl,
    userPoolId: info.userPoolId,
    userPoolClientId: info.userPoolClientId,
    mysfitsTableName: String(params.mysfitsTableName),
    activityTableName: String(params.activityTableName),
    cognitoEndpoint: info.cognitoEndpoint,
    dynamodbEndpoint: info.dynamodbEndpoint,
  };
}

/** Stage names the Framework accepts in a stack name. */
const STAGE_NAME = /^[a-zA-Z0-9-]+$/;

/** `--stage <s> [--region <r>]` to the stage's addresses, or a StageError. */
export async function resolveStage(
  options: { stage?: string; region?: string },
  env: NodeJS.ProcessEnv = process.env,
): Promise<DeployedStage> {
  const { stage } = options;
  if (!stage) return fail('Say which stage to check: npm run test:deployed -- --stage <stage> [--region <region>].');
  if (!STAGE_NAME.test(stage)) return fail(`"${stage}" is not a stage name (letters, digits and hyphens).`);
  if (stage === 'local') return localStage(env);
  return deployedStage(stage, regionOf(options.region, env));
}
