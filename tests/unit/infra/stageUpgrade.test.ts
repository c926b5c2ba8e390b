/**
 * infra/stage-upgrade.js before a deploy: a stack whose stage the Framework's deployment made is stopped with the
 * command that upgrades it (or, when asked, upgraded here), and every other stack goes ahead untouched.
 * CloudFormation and API Gateway are mocked.
 */
import { APIGatewayClient, DeleteStageCommand, GetStageCommand, NotFoundException } from '@aws-sdk/client-api-gateway';
import { CloudFormationClient, DescribeStackResourceCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import StageUpgrade from '../../../infra/stage-upgrade';

const cloudFormation = mockClient(CloudFormationClient);
const apiGateway = mockClient(APIGatewayClient);
const REST_API_ID = 'abc123defg';

class FrameworkError extends Error {}

function pluginFor(stage: string, replaceFrameworkStage = 'false') {
  const serverless = {
    service: { custom: { stageUpgrade: { replaceFrameworkStage } } },
    cli: { log: jest.fn() },
    classes: { Error: FrameworkError },
    getProvider: () => ({
      getStage: () => stage,
      naming: { getStackName: () => `mysfits-${stage}` },
      getCloudFormationClient: async () =>
        new CloudFormationClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }),
      getAwsSdkV3Config: async () => ({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }),
    }),
  };
  return { plugin: new StageUpgrade(serverless, {}), serverless };
}

/** The deployed stack: which logical ids it has (with their physical ids); undefined: no stack at all. */
function stackWith(resources: Record<string, string> | undefined) {
  cloudFormation.on(DescribeStackResourceCommand).callsFake((input: { LogicalResourceId: string; StackName: string }) => {
    if (!resources) throw new Error(`Stack with id ${input.StackName} does not exist`);
    const id = resources[input.LogicalResourceId];
    if (!id) throw new Error(`Resource ${input.LogicalResourceId} does not exist for stack ${input.StackName}`);
    return { StackResourceDetail: { PhysicalResourceId: id } };
  });
}

beforeEach(() => {
  cloudFormation.reset();
  apiGateway.reset();
});

test('a first deploy (no stack yet) goes ahead without asking API Gateway anything', async () => {
  stackWith(undefined);
  await pluginFor('prod').plugin.check();
  expect(apiGateway.calls()).toHaveLength(0);
});

test('a stack that already owns its stage goes ahead', async () => {
  stackWith({ ApiGatewayRestApi: REST_API_ID, ApiGatewayStage: 'prod' });
  await pluginFor('prod').plugin.check();
  expect(apiGateway.calls()).toHaveLength(0);
});

test('a stack without a stage at all (never deployed that far) goes ahead', async () => {
  stackWith({ ApiGatewayRestApi: REST_API_ID });
  apiGateway.on(GetStageCommand).rejects(new NotFoundException({ message: 'Invalid stage identifier specified', $metadata: {} }));
  await pluginFor('prod').plugin.check();
  expect(apiGateway.commandCalls(DeleteStageCommand)).toHaveLength(0);
});

test("the Framework's old stage stops the deploy before CloudFormation sees it, with the command that upgrades it", async () => {
  stackWith({ ApiGatewayRestApi: REST_API_ID });
  apiGateway.on(GetStageCommand).resolves({ stageName: 'prod', deploymentId: 'd1' });
  const checking = pluginFor('prod').plugin.check();
  await expect(checking).rejects.toThrow(FrameworkError);
  await expect(checking).rejects.toThrow(`aws apigateway delete-stage --rest-api-id ${REST_API_ID} --stage-name prod`);
  await expect(checking).rejects.toThrow('--param="replaceFrameworkStage=true"');
  expect(apiGateway.commandCalls(DeleteStageCommand)).toHaveLength(0);
});

test('with replaceFrameworkStage=true it deletes that stage, says so, and the deploy goes ahead to make it anew', async () => {
  stackWith({ ApiGatewayRestApi: REST_API_ID });
  apiGateway.on(GetStageCommand).resolves({ stageName: 'prod' });
  apiGateway.on(DeleteStageCommand).resolves({});
  const { plugin, serverless } = pluginFor('prod', 'true');
  await plugin.check();
  expect(apiGateway.commandCalls(DeleteStageCommand).map((c) => c.args[0].input)).toEqual([{ restApiId: REST_API_ID, stageName: 'prod' }]);
  expect(serverless.cli.log).toHaveBeenCalledWith(
    expect.stringContaining(`Deleted the prod stage the Framework's deployment had made on API ${REST_API_ID}`),
  );
});

test('the local stage has nothing to upgrade and reaches no AWS service', async () => {
  await pluginFor('local').plugin.check();
  expect(cloudFormation.calls()).toHaveLength(0);
  expect(apiGateway.calls()).toHaveLength(0);
});

test('another failure (no permission, say) is not taken for "no stage": it stops the deploy as it is', async () => {
  stackWith({ ApiGatewayRestApi: REST_API_ID });
  apiGateway
    .on(GetStageCommand)
    .rejects(Object.assign(new Error('User is not authorized to perform apigateway:GET'), { name: 'AccessDeniedException' }));
  await expect(pluginFor('prod').plugin.check()).rejects.toThrow('not authorized');
});
