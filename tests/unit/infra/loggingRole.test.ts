/**
 * infra/logging-role.js before a deploy: API Gateway's CloudWatch Logs role is the account's, never a stage's. A role
 * already set is kept; none (or one a stage's stack made, which its remove deletes) gets the account stack, once.
 * API Gateway and CloudFormation are mocked.
 */
import { APIGatewayClient, GetAccountCommand, UpdateAccountCommand } from '@aws-sdk/client-api-gateway';
import { AlreadyExistsException, CloudFormationClient, CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import LoggingRole, { ACCOUNT_STACK, TEMPLATE_FILE } from '../../../infra/logging-role';

const apiGateway = mockClient(APIGatewayClient);
const cloudFormation = mockClient(CloudFormationClient);
const ACCOUNT_ROLE = 'arn:aws:iam::123456789012:role/api-gateway-logging-role-Role-ABC123';
const OTHER_TOOL_ROLE = 'arn:aws:iam::123456789012:role/terraform-apigw-logs';
const OLD_STAGE_ROLE = 'arn:aws:iam::123456789012:role/mysfits-test-ApiGatewayCloudWatchRole-1X2Y3Z';

class FrameworkError extends Error {}

function pluginFor(stage = 'prod') {
  const config = { region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } };
  const log = jest.fn();
  const serverless = {
    service: { service: 'mysfits' },
    cli: { log },
    classes: { Error: FrameworkError },
    getProvider: () => ({
      getStage: () => stage,
      getAwsSdkV3Config: async () => config,
      getCloudFormationClient: async () => new CloudFormationClient(config),
    }),
  };
  const plugin = new LoggingRole(serverless);
  plugin.delayMs = 0;
  return { plugin, log };
}

/** The account's setting: what GetAccount answers, in turn. */
const accountRole = (...roles: Array<string | undefined>) => {
  const answers = apiGateway.on(GetAccountCommand);
  for (const role of roles) answers.resolvesOnce({ cloudwatchRoleArn: role });
};
const stackStatus = (...statuses: string[]) => {
  const answers = cloudFormation.on(DescribeStacksCommand);
  for (const status of statuses) {
    answers.resolvesOnce({
      Stacks: [
        {
          StackName: ACCOUNT_STACK,
          StackStatus: status as never,
          CreationTime: new Date(),
          Outputs: [{ OutputKey: 'RoleArn', OutputValue: ACCOUNT_ROLE }],
        },
      ],
    });
  }
};

beforeEach(() => {
  apiGateway.reset();
  cloudFormation.reset();
});

test('runs before the stack is updated', () => {
  expect(Object.keys(pluginFor().plugin.hooks)).toEqual(['before:deploy:deploy']);
});

test('a role another tool set is kept as it is: no stack made, no setting changed', async () => {
  accountRole(OTHER_TOOL_ROLE);
  const { plugin, log } = pluginFor();
  await plugin.ensure();
  expect(cloudFormation.calls()).toHaveLength(0);
  expect(apiGateway.commandCalls(UpdateAccountCommand)).toHaveLength(0);
  expect(log).toHaveBeenCalledWith(expect.stringContaining(`${OTHER_TOOL_ROLE}, kept as it is`));
});

test('no role yet: the account stack is made once (termination-protected), and the deploy waits for it', async () => {
  accountRole(undefined, ACCOUNT_ROLE);
  cloudFormation.on(CreateStackCommand).resolves({ StackId: 'id' });
  stackStatus('CREATE_IN_PROGRESS', 'CREATE_COMPLETE');
  const { plugin } = pluginFor();
  await plugin.ensure();
  const [create] = cloudFormation.commandCalls(CreateStackCommand);
  expect(create?.args[0].input).toEqual({
    StackName: ACCOUNT_STACK,
    TemplateBody: readFileSync(TEMPLATE_FILE, 'utf8'),
    Capabilities: ['CAPABILITY_IAM'],
    EnableTerminationProtection: true,
  });
  expect(cloudFormation.commandCalls(DescribeStacksCommand)).toHaveLength(2);
  // The stack's own AWS::ApiGateway::Account set it: nothing else to change.
  expect(apiGateway.commandCalls(UpdateAccountCommand)).toHaveLength(0);
});

test("a role an older stage's stack made (a remove would delete it) is replaced by the account stack's", async () => {
  accountRole(OLD_STAGE_ROLE, OLD_STAGE_ROLE);
  cloudFormation.on(CreateStackCommand).rejects(new AlreadyExistsException({ message: 'exists', $metadata: {} }));
  stackStatus('UPDATE_COMPLETE');
  const { plugin, log } = pluginFor();
  await plugin.ensure();
  expect(apiGateway.commandCalls(UpdateAccountCommand)[0]?.args[0].input).toEqual({
    patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: ACCOUNT_ROLE }],
  });
  expect(log).toHaveBeenCalledWith(expect.stringContaining(`instead of ${OLD_STAGE_ROLE}`));
});

test('an account stack that failed stops the deploy with one sentence saying what to do', async () => {
  accountRole(undefined);
  cloudFormation.on(CreateStackCommand).resolves({ StackId: 'id' });
  stackStatus('ROLLBACK_COMPLETE');
  const ensuring = pluginFor().plugin.ensure();
  await expect(ensuring).rejects.toThrow(FrameworkError);
  await expect(ensuring).rejects.toThrow(`The stack ${ACCOUNT_STACK}`);
  expect(apiGateway.commandCalls(UpdateAccountCommand)).toHaveLength(0);
});

test('the local stage asks AWS nothing', async () => {
  await pluginFor('local').plugin.ensure();
  expect(apiGateway.calls()).toHaveLength(0);
});

test('the account template: the role (kept even if the stack is deleted) and the one account setting pointing at it', () => {
  const template = JSON.parse(readFileSync(TEMPLATE_FILE, 'utf8'));
  expect(template.Resources.Role).toMatchObject({ Type: 'AWS::IAM::Role', DeletionPolicy: 'Retain' });
  expect(template.Resources.Role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
    { Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ]);
  expect(template.Resources.Account).toEqual({
    Type: 'AWS::ApiGateway::Account',
    Properties: { CloudWatchRoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] } },
  });
  expect(template.Outputs.RoleArn.Value).toEqual({ 'Fn::GetAtt': ['Role', 'Arn'] });
});
