'use strict';
/**
 * A small local Serverless plugin that finishes the REST API in the compiled template:
 * - every CORS preflight (the OPTIONS methods the framework makes from each route's `cors:`) allows exactly
 *   `custom.corsOrigin`. The framework takes only a literal origin; in prod the origin is the website's
 *   CloudFront URL, a CloudFormation value, so it is set here.
 * - the stage is a dedicated AWS::ApiGateway::Stage pointing at the newest deployment, carrying the stage-wide
 *   throttling of `custom.apiThrottle` (rate and burst, stage params) and each of its `routes`' own lower limits. The framework's deployment gets a new logical
 *   id on every package, and a deployment that re-points an existing stage may not carry a StageDescription
 *   (CloudFormation: "StageDescription cannot be specified when stage referenced by StageName already exists"), so
 *   the deployment no longer creates the stage itself.
 * - the deployment waits for every gateway response: API Gateway serves only what existed when the deployment was made.
 * - the public reads of `custom.apiCache.routes` are answered from the stage's cache for `ttlSeconds` (0: no cache),
 *   keyed by each route's declared request parameters; every other method is never cached, and a route with an
 *   authorizer cannot be listed.
 * - the stage's own settings live on the stage resource, which CloudFormation owns (so the framework's post-deploy
 *   stage update finds nothing to patch): X-Ray tracing, detailed per-route metrics (the dashboard's), and JSON access
 *   logs to a log group with the functions' retention, which name the request, route, status, latency, the caller's
 *   sub and the trace, and never the visitor's address or user agent (the clickstream keeps those pseudonymous).
 *   API Gateway writes them with the account's CloudWatch Logs role, which this stack neither makes nor sets
 *   (./logging-role.js sees to it before a deploy).
 */
const { CACHE_SIZES } = require('./stage-params');

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
    const naming = this.serverless.getProvider('aws').naming;
    const cache = cacheSettings(custom && custom.apiCache, (route) => methodOf(resources, naming, route));
    const throttled = methodSettings(custom && custom.apiThrottle, (route) => methodOf(resources, naming, route)).map((s) => ({
      ...s,
      MetricsEnabled: true,
    }));
    Object.assign(resources, accessLogResources(this.serverless.service, StageName));
    resources.ApiGatewayStage = {
      Type: 'AWS::ApiGateway::Stage',
      // API Gateway writes access logs with the account's CloudWatch role, which is not this stack's: every REST API
      // of the account and Region shares that one setting, so a stage's remove must not take it (./logging-role.js).
      Properties: {
        RestApiId: deploymentProperties.RestApiId,
        DeploymentId: { Ref: deploymentId },
        StageName,
        TracingEnabled: true,
        AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': ['ApiAccessLogGroup', 'Arn'] }, Format: JSON.stringify(ACCESS_LOG_FORMAT) },
        ...(cache ? { CacheClusterEnabled: true, CacheClusterSize: cache.clusterSize } : {}),
        MethodSettings: cache ? withCache(throttled, cache) : throttled,
      },
    };
  }
}

/**
 * One JSON line per request. `integrationRequestId` is the function's request id (its log lines carry it as
 * `requestId`, and the API's as `apiRequestId`), `traceId` the X-Ray trace: one request, followed across all three.
 */
const ACCESS_LOG_FORMAT = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  traceId: '$context.xrayTraceId',
  route: '$context.httpMethod $context.resourcePath',
  path: '$context.path',
  status: '$context.status',
  latencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integrationLatency',
  integrationRequestId: '$context.integration.requestId',
  integrationStatus: '$context.integration.status',
  sub: '$context.authorizer.claims.sub',
  error: '$context.error.message',
  requestTime: '$context.requestTimeEpoch',
};

/**
 * The access log group, with the functions' retention.
 * @param {any} service @param {string} stageName
 */
function accessLogResources(service, stageName) {
  const retention = Number(service.provider.logRetentionInDays);
  if (!Number.isInteger(retention) || retention <= 0)
    throw new Error('rest-api: provider.logRetentionInDays must be set: every log group has a retention');
  return {
    ApiAccessLogGroup: {
      Type: 'AWS::Logs::LogGroup',
      Properties: { LogGroupName: `/aws/apigateway/${service.service}-${stageName}-access`, RetentionInDays: retention },
    },
  };
}

/**
 * The cache of `custom.apiCache`, or none when it is absent or its TTL is 0. Each listed route's method gets its
 * declared request parameters as the integration's cache key.
 * @param {{ ttlSeconds: unknown, clusterSize: unknown, routes: unknown } | undefined} settings
 * @param {(route: string) => { logicalId: string, method: any }} find
 */
function cacheSettings(settings, find) {
  if (!settings) return undefined;
  const ttl = Number(settings.ttlSeconds);
  if (!Number.isInteger(ttl) || ttl < 0 || ttl > 3600) {
    throw new Error(
      `rest-api: custom.apiCache.ttlSeconds must be a whole number of seconds from 0 to 3600, got ${JSON.stringify(settings.ttlSeconds)}`,
    );
  }
  if (ttl === 0) return undefined;
  const clusterSize = String(settings.clusterSize);
  if (!CACHE_SIZES.includes(clusterSize)) {
    throw new Error(
      `rest-api: custom.apiCache.clusterSize must be one of ${CACHE_SIZES.join(', ')} (GB), got ${JSON.stringify(settings.clusterSize)}`,
    );
  }
  if (!Array.isArray(settings.routes) || settings.routes.length === 0) throw new Error('rest-api: custom.apiCache.routes lists no route');
  const methods = settings.routes.map((route) => {
    const { logicalId, method } = find(String(route));
    const props = method.Properties;
    if (props.HttpMethod !== 'GET') throw new Error(`rest-api: only GET routes can be cached, not ${route}`);
    if (props.AuthorizationType && props.AuthorizationType !== 'NONE') {
      throw new Error(`rest-api: ${route} has an authorizer: a signed-in answer is never cached`);
    }
    const keys = Object.keys(props.RequestParameters || {});
    if (keys.some((key) => key.startsWith('method.request.header.'))) {
      throw new Error(`rest-api: ${route} declares a header: headers (above all Authorization) are not in a cache key`);
    }
    const integrations = props.Integration['Fn::If'] ? props.Integration['Fn::If'].slice(1) : [props.Integration];
    for (const integration of integrations) integration.CacheKeyParameters = keys;
    return { logicalId, resourcePath: resourcePathOf(route) };
  });
  return { ttl, clusterSize, methods };
}

/**
 * The method resource of a route such as `GET /mysfits/{mysfitId}`, named as the framework names it.
 * @param {Record<string, any>} resources
 * @param {any} naming
 * @param {string} route
 */
function methodOf(resources, naming, route) {
  const match = /^([A-Z]+) (\/\S*)$/.exec(route);
  if (!match) throw new Error(`rest-api: a route is written "GET /path", not ${JSON.stringify(route)}`);
  const httpMethod = /** @type {string} */ (match[1]);
  const path = /** @type {string} */ (match[2]);
  const logicalId = naming.getMethodLogicalId(naming.normalizePath(path.slice(1)), httpMethod.toLowerCase());
  const method = resources[logicalId];
  if (!method || method.Type !== 'AWS::ApiGateway::Method')
    throw new Error(`rest-api: custom.apiCache or custom.apiThrottle names ${route}, which is not a route`);
  return { logicalId, method };
}

/** A route's path as a stage's method settings write it: `/mysfits/{mysfitId}` becomes `/~1mysfits~1{mysfitId}`. */
const resourcePathOf = (/** @type {string} */ route) => `/${String(route.split(' ')[1]).replace(/\//g, '~1')}`;

/**
 * The stage's method settings with the cache: off for every method, on (with the stage's throttling and metrics) for the cached ones.
 * @param {Array<Record<string, unknown>>} throttled
 * @param {{ ttl: number, methods: Array<{ resourcePath: string }> }} cache
 */
function withCache(throttled, cache) {
  const everyMethod = throttled.find((s) => s.ResourcePath === '/*') || { ResourcePath: '/*', HttpMethod: '*' };
  const throttling = Object.fromEntries(
    Object.entries(everyMethod).filter(([key]) => key.startsWith('Throttling') || key === 'MetricsEnabled'),
  );
  return [
    { ...everyMethod, CachingEnabled: false },
    ...throttled.filter((s) => s !== everyMethod),
    ...cache.methods.map((m) => ({
      ResourcePath: m.resourcePath,
      HttpMethod: 'GET',
      ...throttling,
      CachingEnabled: true,
      CacheTtlInSeconds: cache.ttl,
    })),
  ];
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
 * Throttling for every method of the stage, then each route of `throttle.routes` with its own (lower) limits, or none
 * when `custom.apiThrottle` is not set. A route's limits are its method's own bucket: a flood of it takes only that.
 * @param {{ rateLimit: unknown, burstLimit: unknown, routes?: Record<string, { rateLimit: unknown, burstLimit: unknown }> } | undefined} throttle
 * @param {(route: string) => { logicalId: string, method: any }} find
 */
function methodSettings(throttle, find) {
  if (!throttle) return [];
  const limits = (/** @type {any} */ given, /** @type {string} */ what) => {
    const rate = Number(given && given.rateLimit);
    const burst = Number(given && given.burstLimit);
    if (!(rate > 0) || !Number.isInteger(burst) || burst <= 0) {
      throw new Error(`rest-api: ${what} needs a positive rateLimit and burstLimit, got ${JSON.stringify(given)}`);
    }
    return { rate, burst };
  };
  const stage = limits(throttle, 'custom.apiThrottle');
  const routes = Object.entries(throttle.routes || {}).map(([route, given]) => {
    const { rate, burst } = limits(given, `custom.apiThrottle.routes ${route}`);
    if (rate > stage.rate || burst > stage.burst) {
      throw new Error(`rest-api: the throttle of ${route} (${rate}/${burst}) is above the stage's (${stage.rate}/${stage.burst})`);
    }
    find(route);
    return {
      ResourcePath: resourcePathOf(route),
      HttpMethod: String(route.split(' ')[0]),
      ThrottlingRateLimit: rate,
      ThrottlingBurstLimit: burst,
    };
  });
  return [{ ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: stage.rate, ThrottlingBurstLimit: stage.burst }, ...routes];
}

module.exports = ApiStageSettings;
