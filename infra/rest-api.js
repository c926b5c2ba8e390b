'use strict';
/**
 * A small local Serverless plugin that finishes the REST API in the compiled template:
 * - every CORS preflight (the OPTIONS methods the framework makes from each route's `cors:`) allows exactly
 *   `custom.corsOrigin`. The framework takes only a literal origin; in prod the origin is the website's
 *   CloudFront URL, a CloudFormation value, so it is set here.
 * - the stage is a dedicated AWS::ApiGateway::Stage pointing at the newest deployment, carrying the stage-wide
 *   throttling of `custom.apiThrottle` (rate and burst, stage params). The framework's deployment gets a new logical
 *   id on every package, and a deployment that re-points an existing stage may not carry a StageDescription
 *   (CloudFormation: "StageDescription cannot be specified when stage referenced by StageName already exists"), so
 *   the deployment no longer creates the stage itself.
 * - the deployment waits for every gateway response: API Gateway serves only what existed when the deployment was made.
 */
class ApiStageSettings {
  /** @param {any} serverless the Serverless instance */
  constructor(serverless) {
    this.serverless = serverless;
    // After serverless.yml's own resources are merged in (the gateway responses are among them), before saving.
    this.hooks = { 'before:aws:package:finalize:saveServiceState': () => this.finishStage() };
  }

  finishStage() {
    const { provider, custom } = this.serverless.service;
    const resources = provider.compiledCloudFormationTemplate.Resources;
    const deployments = Object.keys(resources).filter((id) => resources[id].Type === 'AWS::ApiGateway::Deployment');
    if (deployments.length !== 1) {
      throw new Error(`rest-api: expected one API deployment, found ${deployments.length}`);
    }
    applyCorsOrigin(resources, custom && custom.corsOrigin);
    const deploymentId = /** @type {string} */ (deployments[0]);
    const deployment = resources[deploymentId];

    const gatewayResponses = Object.keys(resources).filter((id) => resources[id].Type === 'AWS::ApiGateway::GatewayResponse');
    const dependsOn = [deployment.DependsOn || []].flat();
    deployment.DependsOn = [...new Set([...dependsOn, ...gatewayResponses])];

    const { StageName, StageDescription, ...deploymentProperties } = deployment.Properties;
    if (StageDescription) throw new Error('rest-api: the deployment already has a StageDescription');
    deployment.Properties = deploymentProperties;
    if (resources.ApiGatewayStage) throw new Error('rest-api: the template already has an ApiGatewayStage');
    resources.ApiGatewayStage = {
      Type: 'AWS::ApiGateway::Stage',
      Properties: {
        RestApiId: deploymentProperties.RestApiId,
        DeploymentId: { Ref: deploymentId },
        StageName,
        MethodSettings: methodSettings(custom && custom.apiThrottle),
      },
    };
  }
}

/**
 * Sets the allowed origin of every preflight response to `origin` (a string or a CloudFormation value).
 * @param {Record<string, any>} resources
 * @param {unknown} origin
 */
function applyCorsOrigin(resources, origin) {
  if (origin === undefined) throw new Error('rest-api: custom.corsOrigin is not set');
  const header = 'method.response.header.Access-Control-Allow-Origin';
  const quoted = { 'Fn::Join': ['', ["'", origin, "'"]] };
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::ApiGateway::Method' || resource.Properties.HttpMethod !== 'OPTIONS') continue;
    for (const response of resource.Properties.Integration.IntegrationResponses || []) {
      if (response.ResponseParameters && header in response.ResponseParameters) response.ResponseParameters[header] = quoted;
    }
  }
}

/**
 * Throttling for every method of the stage, or none when `custom.apiThrottle` is not set.
 * @param {{ rateLimit: unknown, burstLimit: unknown } | undefined} throttle
 */
function methodSettings(throttle) {
  if (!throttle) return [];
  const rate = Number(throttle.rateLimit);
  const burst = Number(throttle.burstLimit);
  if (!(rate > 0) || !Number.isInteger(burst) || burst <= 0) {
    throw new Error(`rest-api: custom.apiThrottle needs a positive rateLimit and burstLimit, got ${JSON.stringify(throttle)}`);
  }
  return [{ ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: rate, ThrottlingBurstLimit: burst }];
}

module.exports = ApiStageSettings;
