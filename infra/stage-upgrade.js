'use strict';
/**
 * A small local Serverless plugin: the one-time upgrade of a stack deployed before the API stage became a resource
 * of its own (./rest-api.js). Such a stack's `prod` stage was made by the Framework's deployment; CloudFormation
 * cannot create AWS::ApiGateway::Stage over it ("already exists") and would roll the whole update back. Before a
 * deploy this finds that case and stops with the command that fixes it, or, with
 * --param="replaceFrameworkStage=true", deletes that stage itself so that the update creates it anew. Either way the
 * API answers 403 from the delete until the update has made the stage (a minute or two): do it in a quiet hour.
 */
const { APIGatewayClient, DeleteStageCommand, GetStageCommand } = require('@aws-sdk/client-api-gateway');
const { DescribeStackResourceCommand } = require('@aws-sdk/client-cloudformation');

class StageUpgrade {
  /** @param {any} serverless @param {any} options */
  constructor(serverless, options) {
    this.serverless = serverless;
    this.options = options || {};
    this.provider = serverless.getProvider('aws');
    this.hooks = { 'before:deploy:deploy': () => this.check() };
  }

  /** @param {string} message */
  log(message) {
    this.serverless.cli.log(message);
  }

  /** The physical id of a resource of the deployed stack, or undefined when the stack or the resource is not there. */
  async physicalId(/** @type {any} */ cloudFormation, /** @type {string} */ logicalId) {
    try {
      const { StackResourceDetail } = await cloudFormation.send(
        new DescribeStackResourceCommand({ StackName: this.provider.naming.getStackName(), LogicalResourceId: logicalId }),
      );
      return StackResourceDetail && StackResourceDetail.PhysicalResourceId;
    } catch (error) {
      if (/does not exist/.test(/** @type {Error} */ (error).message)) return undefined;
      throw error;
    }
  }

  async check() {
    const stage = this.provider.getStage();
    if (stage === 'local') return;
    const settings = (this.serverless.service.custom && this.serverless.service.custom.stageUpgrade) || {};
    const cloudFormation = await this.provider.getCloudFormationClient();
    const restApiId = await this.physicalId(cloudFormation, 'ApiGatewayRestApi');
    // A first deploy, or a stack that already owns its stage: nothing to upgrade.
    if (!restApiId || (await this.physicalId(cloudFormation, 'ApiGatewayStage'))) return;
    const apiGateway = new APIGatewayClient(await this.provider.getAwsSdkV3Config());
    try {
      await apiGateway.send(new GetStageCommand({ restApiId, stageName: stage }));
    } catch (error) {
      if (/** @type {Error} */ (error).name === 'NotFoundException') return;
      throw error;
    }
    if (String(settings.replaceFrameworkStage) !== 'true') {
      throw new this.serverless.classes.Error(
        `The ${stage} stage of API ${restApiId} was made by the Framework's deployment, before the stage became a resource of ` +
          'its own; CloudFormation cannot create it over the old one and would roll this update back. Upgrade once ' +
          `(the API answers 403 until the update has made the stage, a minute or two): \`aws apigateway delete-stage --rest-api-id ${restApiId} ` +
          `--stage-name ${stage}\`, then deploy again; or deploy with --param="replaceFrameworkStage=true" to have that done here.`,
      );
    }
    await apiGateway.send(new DeleteStageCommand({ restApiId, stageName: stage }));
    this.log(`Deleted the ${stage} stage the Framework's deployment had made on API ${restApiId}: this update makes it anew.`);
  }
}

module.exports = StageUpgrade;
