'use strict';
/**
 * A small local Serverless plugin: API Gateway's CloudWatch Logs role, which the stage's access log needs, without
 * making it part of any stage. That role is one setting per account and Region, shared by every REST API there: a
 * stage's stack that set it would overwrite every other stack's, and its remove would delete the role the setting
 * names, so every API in the Region, other stages included, would stop logging. So, before a deploy:
 * - a role already set (by another tool, by hand, by this plugin for another stage) is kept as it is;
 * - none set, or a role one of this service's stacks made before this plugin existed (a remove or this update would
 *   delete it): the account stack `api-gateway-logging-role` (./api-gateway-logging-role.json: the role, retained, and
 *   the account setting) is made once per account and Region, with termination protection, and the setting points at
 *   its role. No stage's stack owns it, so no stage's remove touches it.
 * The Framework's own mechanism (provider.logs.restApi, a custom resource) was not used: it replaces a role someone
 * else set with its own, and it needs provider.logs.restApi, whose post-deploy stage update this project avoids
 * (./rest-api.js owns the stage).
 */
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');
const { APIGatewayClient, GetAccountCommand, UpdateAccountCommand } = require('@aws-sdk/client-api-gateway');
const { CreateStackCommand, DescribeStacksCommand } = require('@aws-sdk/client-cloudformation');

const ACCOUNT_STACK = 'api-gateway-logging-role';
const TEMPLATE_FILE = join(__dirname, 'api-gateway-logging-role.json');
/** How long the account stack may take (an IAM role and one setting: usually under a minute). */
const MAX_WAIT_MS = 10 * 60_000;

class LoggingRole {
  /** @param {any} serverless */
  constructor(serverless) {
    this.serverless = serverless;
    this.provider = serverless.getProvider('aws');
    /** Between two looks at the account stack while it is being made. */
    this.delayMs = 5_000;
    this.hooks = { 'before:deploy:deploy': () => this.ensure() };
  }

  /** @param {string} message */
  log(message) {
    this.serverless.cli.log(message);
  }

  /** A role one of this service's stacks made (`<service>-<stage>-ApiGatewayCloudWatchRole-<suffix>`): a remove deletes it. */
  isStageRole(/** @type {string | undefined} */ roleArn) {
    const name =
      String(roleArn || '')
        .split('/')
        .pop() || '';
    return name.startsWith(`${this.serverless.service.service}-`) && name.includes('ApiGatewayCloudWat');
  }

  async ensure() {
    if (this.provider.getStage() === 'local') return;
    const config = await this.provider.getAwsSdkV3Config();
    const apiGateway = new APIGatewayClient(config);
    const { cloudwatchRoleArn } = await apiGateway.send(new GetAccountCommand({}));
    if (cloudwatchRoleArn && !this.isStageRole(cloudwatchRoleArn)) {
      this.log(`API Gateway logs with the account's CloudWatch role ${cloudwatchRoleArn}, kept as it is.`);
      return;
    }
    const cloudFormation = await this.provider.getCloudFormationClient();
    const roleArn = await this.accountStackRole(cloudFormation);
    const { cloudwatchRoleArn: now } = await apiGateway.send(new GetAccountCommand({}));
    if (now !== roleArn) {
      // The account stack was there already (made for another stage) but the setting had been changed since.
      await apiGateway.send(new UpdateAccountCommand({ patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: roleArn }] }));
    }
    this.log(
      `API Gateway's CloudWatch role of this account and Region is now ${roleArn}, from the stack ${ACCOUNT_STACK}, ` +
        (cloudwatchRoleArn ? `instead of ${cloudwatchRoleArn}, which a remove of its stage would delete.` : 'which no stage owns.'),
    );
  }

  /** The role of the account stack, made first if it is not there. @param {any} cloudFormation */
  async accountStackRole(cloudFormation) {
    try {
      await cloudFormation.send(
        new CreateStackCommand({
          StackName: ACCOUNT_STACK,
          TemplateBody: readFileSync(TEMPLATE_FILE, 'utf8'),
          Capabilities: ['CAPABILITY_IAM'],
          EnableTerminationProtection: true,
        }),
      );
      this.log(`Making the stack ${ACCOUNT_STACK} (once per account and Region): API Gateway's CloudWatch Logs role.`);
    } catch (error) {
      if (/** @type {Error} */ (error).name !== 'AlreadyExistsException') throw error;
    }
    const started = Date.now();
    for (;;) {
      const { Stacks = [] } = await cloudFormation.send(new DescribeStacksCommand({ StackName: ACCOUNT_STACK }));
      const stack = Stacks[0] || {};
      const status = String(stack.StackStatus || '');
      if (/_COMPLETE$/.test(status) && !/ROLLBACK|DELETE/.test(status)) {
        const output = (stack.Outputs || []).find((/** @type {any} */ o) => o.OutputKey === 'RoleArn');
        if (output && output.OutputValue) return String(output.OutputValue);
      }
      if (/FAILED$|ROLLBACK_COMPLETE$|^DELETE/.test(status) || Date.now() - started > MAX_WAIT_MS) {
        throw new this.serverless.classes.Error(
          `The stack ${ACCOUNT_STACK}, which holds API Gateway's CloudWatch Logs role for this account and Region, is ${status || 'not readable'}: ` +
            'see its events in the CloudFormation console, delete it if it never completed, and deploy again.',
        );
      }
      await sleep(this.delayMs);
    }
  }
}

module.exports = LoggingRole;
module.exports.ACCOUNT_STACK = ACCOUNT_STACK;
module.exports.TEMPLATE_FILE = TEMPLATE_FILE;
