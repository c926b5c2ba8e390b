'use strict';
/**
 * A small local Serverless plugin: applies `custom.apiThrottle` (rate and burst, stage params) to the
 * API's stage. The framework creates the stage through its AWS::ApiGateway::Deployment, whose logical id changes
 * on every package, so `resources.extensions` cannot reach it; this sets the deployment's StageDescription.
 */
class ApiStageSettings {
  /** @param {any} serverless the Serverless instance */
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { 'before:package:finalize': () => this.applyThrottle() };
  }

  applyThrottle() {
    const { provider, custom } = this.serverless.service;
    const throttle = custom && custom.apiThrottle;
    if (!throttle) return;
    const resources = provider.compiledCloudFormationTemplate.Resources;
    const deployments = Object.values(resources).filter((r) => r.Type === 'AWS::ApiGateway::Deployment');
    if (deployments.length !== 1) {
      throw new Error(`api-stage-settings: expected one API deployment, found ${deployments.length}`);
    }
    deployments[0].Properties.StageDescription = {
      ...deployments[0].Properties.StageDescription,
      ThrottlingRateLimit: Number(throttle.rateLimit),
      ThrottlingBurstLimit: Number(throttle.burstLimit),
    };
  }
}

module.exports = ApiStageSettings;
