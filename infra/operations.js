'use strict';
/**
 * A small local Serverless plugin: what tells someone when the deployed system goes wrong, made from the compiled
 * template so that a new function, route or table is watched without anyone listing it again.
 * - an SNS topic for every alarm, with an email subscription when `custom.operations.alarmEmail` is given (what goes
 *   into ALARM or out of it: not the INSUFFICIENT_DATA -> OK every new alarm makes);
 * - no metric-math alarm past CloudWatch's hard limit of 10 metrics (refused when packaging);
 * - alarms: the API's 5XX rate and p99 latency (thresholds from stage params), errors and throttles of every
 *   function, throttled requests and system errors of every table, failed deliveries of every delivery stream, and
 *   clicks the transformation could not enrich (the EnrichmentFailures metric);
 * - 429s per route: API Gateway has no metric of its own for them (4XXError counts 400, 401, 404 and 429 alike), so a
 *   metric filter on the access log counts the lines with status 429 by route (`<namespace>/Api` TooManyRequests);
 *   an alarm per route over `throttledThreshold` in 5 minutes;
 * - blocked requests of every rule of every web ACL (./waf.js, when the firewall is on): an alarm per rule over
 *   `wafBlockedThreshold` in 5 minutes (AWS/WAFV2 BlockedRequests by WebACL, Rule and Region);
 * - one dashboard: requests, errors and p50/p99 per route, 429s per route, blocked requests per rule, likes and
 *   adoptions, clicks, Lambda concurrency, and DynamoDB capacity and throttles.
 * The business metrics' names and namespace are shared/metricNames.ts's, loaded when packaging.
 * Plain CloudFormation rather than serverless-plugin-aws-alerts: the per-route widgets and the API-wide alarms need
 * the stage this project makes itself (./rest-api.js), and what is generated here is tested like any resource.
 */

const { loadTypeScript } = require('./typescript');

/** The DynamoDB operations the functions use: a table's system errors are summed over these. */
const TABLE_OPERATIONS = ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'TransactWriteItems'];
const PERIOD = 300;
/** CloudWatch: an alarm's metric math may use at most 10 metrics, and 10 expressions (a hard limit). */
const MAX_ALARM_METRICS = 10;
/**
 * The alarm email's SNS filter, on CloudWatch's notification (a JSON body with OldStateValue and NewStateValue):
 * a change into ALARM, or out of it. Not INSUFFICIENT_DATA -> OK, which every new alarm makes once.
 */
const EMAIL_FILTER = { $or: [{ NewStateValue: ['ALARM'] }, { OldStateValue: ['ALARM'] }] };

class Operations {
  /** @param {any} serverless the Serverless instance */
  constructor(serverless) {
    this.serverless = serverless;
    // After ./rest-api.js has made the stage (plugin order), before the template is saved.
    this.hooks = { 'before:aws:package:finalize:saveServiceState': () => this.addOperations() };
  }

  addOperations() {
    const { service } = this.serverless;
    const settings = (service.custom && service.custom.operations) || {};
    const resources = service.provider.compiledCloudFormationTemplate.Resources;
    const stage = resources.ApiGatewayStage;
    const api = resources.ApiGatewayRestApi;
    if (!stage || !api) throw new Error('operations: the template has no API stage (./rest-api.js runs first)');
    const errorRate = positive(settings.apiErrorRate, 'apiErrorRate');
    const throttledThreshold = atLeastZero(settings.throttledThreshold, 'throttledThreshold');
    const blockedThreshold = atLeastZero(settings.wafBlockedThreshold, 'wafBlockedThreshold');
    const latency = positive(settings.apiLatencyP99Ms, 'apiLatencyP99Ms');
    /** @type {{ METRIC_GROUPS: Record<string, string[]>, METRIC_NAMES: string[], METRICS_NAMESPACE: string }} */
    const { METRIC_GROUPS, METRIC_NAMES, METRICS_NAMESPACE: namespace } = loadTypeScript('shared/metricNames.ts');
    const metricNamed = (/** @type {string} */ name) => {
      if (!METRIC_NAMES.includes(name)) throw new Error(`operations: shared/metricNames.ts has no metric ${name}`);
      return name;
    };

    const email = String(settings.alarmEmail || '');
    if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
      throw new Error(`operations: alarmEmail ${JSON.stringify(email)} is not an email address`);
    const add = (/** @type {string} */ id, /** @type {any} */ resource) => {
      if (resources[id]) throw new Error(`operations: the template already has a resource ${id}`);
      resources[id] = resource;
    };
    add('AlarmTopic', { Type: 'AWS::SNS::Topic', Properties: { TopicName: `${service.service}-${stage.Properties.StageName}-alarms` } });
    if (email) {
      add('AlarmEmailSubscription', {
        Type: 'AWS::SNS::Subscription',
        Properties: {
          TopicArn: { Ref: 'AlarmTopic' },
          Protocol: 'email',
          Endpoint: email,
          // A new alarm starts in INSUFFICIENT_DATA and, with no failure, moves to OK, which fires its OK action: one
          // "OK" mail per alarm a deploy adds. The address gets what goes into ALARM or out of it (a real recovery).
          FilterPolicyScope: 'MessageBody',
          FilterPolicy: EMAIL_FILTER,
        },
      });
    }

    const apiDimensions = [
      { Name: 'ApiName', Value: api.Properties.Name },
      { Name: 'Stage', Value: stage.Properties.StageName },
    ];
    const alarm = (/** @type {string} */ id, /** @type {string} */ description, /** @type {any} */ metric) => {
      if (metric.Metrics) withinMetricMathLimits(id, metric.Metrics);
      return add(id, {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          AlarmDescription: description,
          AlarmActions: [{ Ref: 'AlarmTopic' }],
          OKActions: [{ Ref: 'AlarmTopic' }],
          // No traffic is not a failure.
          TreatMissingData: 'notBreaching',
          EvaluationPeriods: 1,
          ...metric,
        },
      });
    };

    alarm('ApiErrorRateAlarm', `More than ${errorRate * 100} % of API requests answered 5XX in ${PERIOD / 60} minutes`, {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5XXError',
      Dimensions: apiDimensions,
      Statistic: 'Average',
      Period: PERIOD,
      Threshold: errorRate,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    alarm('ApiLatencyAlarm', `The API's p99 latency over ${latency} ms in ${PERIOD / 60} minutes`, {
      Namespace: 'AWS/ApiGateway',
      MetricName: 'Latency',
      Dimensions: apiDimensions,
      ExtendedStatistic: 'p99',
      Period: PERIOD,
      Threshold: latency,
      ComparisonOperator: 'GreaterThanThreshold',
    });

    const functions = ofType(resources, 'AWS::Lambda::Function');
    for (const [id, fn] of functions) {
      const name = fn.Properties.FunctionName;
      for (const metric of ['Errors', 'Throttles']) {
        alarm(`${id}${metric}Alarm`, `${name}: ${metric.toLowerCase()} in ${PERIOD / 60} minutes`, {
          Namespace: 'AWS/Lambda',
          MetricName: metric,
          Dimensions: [{ Name: 'FunctionName', Value: name }],
          Statistic: 'Sum',
          Period: PERIOD,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
        });
      }
    }

    const tables = ofType(resources, 'AWS::DynamoDB::Table');
    for (const [id, table] of tables) {
      const name = table.Properties.TableName;
      const dimensions = [{ Name: 'TableName', Value: name }];
      const stat = (/** @type {string} */ metricId, /** @type {string} */ metricName, /** @type {any[]} */ extra = []) => ({
        Id: metricId,
        ReturnData: false,
        MetricStat: {
          Metric: { Namespace: 'AWS/DynamoDB', MetricName: metricName, Dimensions: [...dimensions, ...extra] },
          Period: PERIOD,
          Stat: 'Sum',
        },
      });
      alarm(`${id}ThrottlesAlarm`, `${name}: throttled reads or writes in ${PERIOD / 60} minutes`, {
        Metrics: [
          { Id: 'throttled', Expression: 'reads + writes', Label: 'throttled requests' },
          stat('reads', 'ReadThrottleEvents'),
          stat('writes', 'WriteThrottleEvents'),
        ],
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
      const perOperation = TABLE_OPERATIONS.map((operation, i) =>
        stat(`op${i}`, 'SystemErrors', [{ Name: 'Operation', Value: operation }]),
      );
      alarm(`${id}SystemErrorsAlarm`, `${name}: DynamoDB system errors (HTTP 500) in ${PERIOD / 60} minutes`, {
        Metrics: [{ Id: 'errors', Expression: perOperation.map((m) => m.Id).join(' + '), Label: 'system errors' }, ...perOperation],
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    }

    const streams = ofType(resources, 'AWS::KinesisFirehose::DeliveryStream');
    for (const [id, stream] of streams) {
      const name = stream.Properties.DeliveryStreamName;
      alarm(`${id}DeliveryAlarm`, `${name}: records that failed to reach S3 in ${PERIOD / 60} minutes`, {
        Namespace: 'AWS/Firehose',
        MetricName: 'DeliveryToS3.Success',
        Dimensions: [{ Name: 'DeliveryStreamName', Value: name }],
        Statistic: 'Minimum',
        Period: PERIOD,
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
      });
    }
    // 429s per route, counted from the access log (API Gateway's own metrics do not tell them from other 4XX).
    const apiNamespace = `${namespace}/Api`;
    if (!resources.ApiAccessLogGroup) throw new Error('operations: the template has no ApiAccessLogGroup (./rest-api.js runs first)');
    add('TooManyRequestsMetricFilter', {
      Type: 'AWS::Logs::MetricFilter',
      Properties: {
        LogGroupName: { Ref: 'ApiAccessLogGroup' },
        FilterPattern: '{ $.status = "429" }',
        MetricTransformations: [
          {
            MetricNamespace: apiNamespace,
            MetricName: 'TooManyRequests',
            MetricValue: '1',
            Unit: 'Count',
            Dimensions: [{ Key: 'route', Value: '$.route' }],
          },
        ],
      },
    });
    const routes = routesOf(service);
    for (const { method, path } of routes) {
      const route = `${method} ${path}`;
      alarm(
        `${alarmId(route)}TooManyRequestsAlarm`,
        `${route}: more than ${throttledThreshold} requests answered 429 in ${PERIOD / 60} minutes`,
        {
          Namespace: apiNamespace,
          MetricName: 'TooManyRequests',
          Dimensions: [{ Name: 'route', Value: route }],
          Statistic: 'Sum',
          Period: PERIOD,
          Threshold: throttledThreshold,
          ComparisonOperator: 'GreaterThanThreshold',
        },
      );
    }

    // Blocked requests of every web firewall rule: a sudden rise is an attack, or a rule refusing the site's own calls.
    const firewallRules = ofType(resources, 'AWS::WAFv2::WebACL').flatMap(([aclId, acl]) =>
      acl.Properties.Rules.map((/** @type {any} */ rule) => ({
        aclId,
        webAcl: String(acl.Properties.VisibilityConfig.MetricName),
        rule: String(rule.Name),
        metric: String(rule.VisibilityConfig.MetricName),
      })),
    );
    for (const { aclId, webAcl, rule, metric } of firewallRules) {
      alarm(
        `${aclId}${alarmId(rule)}BlockedAlarm`,
        `${webAcl} ${rule}: more than ${blockedThreshold} requests blocked in ${PERIOD / 60} minutes`,
        {
          Namespace: 'AWS/WAFV2',
          MetricName: 'BlockedRequests',
          Dimensions: [
            { Name: 'WebACL', Value: webAcl },
            { Name: 'Rule', Value: metric },
            { Name: 'Region', Value: { Ref: 'AWS::Region' } },
          ],
          Statistic: 'Sum',
          Period: PERIOD,
          Threshold: blockedThreshold,
          ComparisonOperator: 'GreaterThanThreshold',
        },
      );
    }

    const serviceDimension = [{ Name: 'service', Value: service.service }];
    alarm('EnrichmentFailuresAlarm', `Clicks the transformation could not enrich in ${PERIOD / 60} minutes`, {
      Namespace: namespace,
      MetricName: metricNamed('EnrichmentFailures'),
      Dimensions: serviceDimension,
      Statistic: 'Sum',
      Period: PERIOD,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });

    add('OperationsDashboard', {
      Type: 'AWS::CloudWatch::Dashboard',
      Properties: {
        DashboardName: `${service.service}-${stage.Properties.StageName}`,
        DashboardBody: {
          'Fn::Sub': JSON.stringify(
            dashboard({
              routes,
              api: apiDimensions,
              apiNamespace,
              firewallRules,
              namespace,
              metricGroups: METRIC_GROUPS,
              serviceName: service.service,
              functions: functions.map(([, fn]) => fn.Properties.FunctionName),
              tables: tables.map(([, t]) => t.Properties.TableName),
            }),
          ),
        },
      },
    });
  }
}

/**
 * CloudWatch's hard limits for an alarm on metric math: at most 10 metrics (MetricStat) and 10 expressions, exactly one
 * of which it watches. Past them the deploy fails in CloudFormation; here it fails at package time, naming the alarm.
 * @param {string} id @param {Array<{ Id: string, MetricStat?: unknown, Expression?: string, ReturnData?: boolean }>} metrics
 */
function withinMetricMathLimits(id, metrics) {
  const stats = metrics.filter((m) => m.MetricStat).length;
  const expressions = metrics.filter((m) => m.Expression !== undefined).length;
  const watched = metrics.filter((m) => m.Expression !== undefined && m.ReturnData !== false).length;
  if (stats > MAX_ALARM_METRICS) {
    throw new Error(
      `operations: alarm ${id} would sum ${stats} metrics; CloudWatch allows at most ${MAX_ALARM_METRICS} in an alarm's metric math (a hard limit): split it`,
    );
  }
  if (expressions > MAX_ALARM_METRICS || watched !== 1) {
    throw new Error(
      `operations: alarm ${id} needs one watched expression and at most ${MAX_ALARM_METRICS} in all (has ${expressions}, ${watched} watched)`,
    );
  }
}

/** @param {unknown} value @param {string} name */
function atLeastZero(value, name) {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0)
    throw new Error(`operations: custom.operations.${name} must be a whole number, 0 or more, got ${JSON.stringify(value)}`);
  return number;
}

/** A route or rule name as part of a logical id: `POST /mysfits/{mysfitId}/like` is `PostMysfitsMysfitidLike`. @param {string} name */
const alarmId = (name) =>
  name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');

/** @param {unknown} value @param {string} name */
function positive(value, name) {
  const number = Number(value);
  if (!(number > 0)) throw new Error(`operations: custom.operations.${name} must be a positive number, got ${JSON.stringify(value)}`);
  return number;
}

/** @param {Record<string, any>} resources @param {string} type @returns {Array<[string, any]>} */
const ofType = (resources, type) => Object.entries(resources).filter(([, r]) => r.Type === type);

/** Every HTTP route of serverless.yml: `{ method: 'GET', path: '/mysfits/{mysfitId}' }`. @param {any} service */
function routesOf(service) {
  return service.getAllFunctions().flatMap((/** @type {string} */ key) =>
    (service.getFunction(key).events || [])
      .filter((/** @type {any} */ e) => e.http)
      .map((/** @type {any} */ e) => ({
        method: String(e.http.method).toUpperCase(),
        path: `/${String(e.http.path).replace(/^\//, '')}`,
      })),
  );
}

/**
 * The dashboard's widgets, in CloudWatch's dashboard body format (`${AWS::Region}` is filled in by Fn::Sub).
 * @param {{ routes: Array<{ method: string, path: string }>, api: Array<{ Name: string, Value: string }>, namespace: string,
 *   metricGroups: Record<string, string[]>, apiNamespace: string, firewallRules: Array<{ webAcl: string, rule: string, metric: string }>,
 *   serviceName: string, functions: string[], tables: string[] }} parts
 */
function dashboard({ routes, api, namespace, metricGroups, apiNamespace, firewallRules, serviceName, functions, tables }) {
  const region = '${AWS::Region}';
  const apiDims = api.flatMap((d) => [d.Name, d.Value]);
  /** @param {string} title @param {any[]} metrics @param {Record<string, unknown>} [extra] */
  const widget = (title, metrics, extra = {}) => ({
    type: 'metric',
    width: 12,
    height: 6,
    properties: { title, region, metrics, period: PERIOD, view: 'timeSeries', stacked: false, ...extra },
  });
  const perRoute = routes.map(({ method, path }) => {
    const dims = [...apiDims, 'Resource', path, 'Method', method];
    return widget(`${method} ${path}`, [
      ['AWS/ApiGateway', 'Count', ...dims, { stat: 'Sum', label: 'requests' }],
      ['AWS/ApiGateway', '4XXError', ...dims, { stat: 'Sum', label: '4XX' }],
      ['AWS/ApiGateway', '5XXError', ...dims, { stat: 'Sum', label: '5XX' }],
      ['AWS/ApiGateway', 'Latency', ...dims, { stat: 'p50', label: 'p50 ms', yAxis: 'right' }],
      ['AWS/ApiGateway', 'Latency', ...dims, { stat: 'p99', label: 'p99 ms', yAxis: 'right' }],
    ]);
  });
  const business = (/** @type {string[]} */ names) => names.map((name) => [namespace, name, 'service', serviceName, { stat: 'Sum' }]);
  return {
    widgets: [
      ...perRoute,
      widget(
        '429 answers per route',
        routes.map(({ method, path }) => [apiNamespace, 'TooManyRequests', 'route', `${method} ${path}`, { stat: 'Sum' }]),
      ),
      ...(firewallRules.length
        ? [
            widget(
              'Web firewall: blocked requests per rule',
              firewallRules.map(({ webAcl, rule, metric }) => [
                'AWS/WAFV2',
                'BlockedRequests',
                'WebACL',
                webAcl,
                'Rule',
                metric,
                'Region',
                region,
                { stat: 'Sum', label: `${webAcl} ${rule}` },
              ]),
            ),
          ]
        : []),
      ...Object.entries(metricGroups).map(([title, names]) => widget(title, business(names))),
      widget(
        'Lambda concurrency',
        functions.map((name) => ['AWS/Lambda', 'ConcurrentExecutions', 'FunctionName', name, { stat: 'Maximum' }]),
      ),
      widget('Lambda errors and throttles', [
        ...functions.map((name) => ['AWS/Lambda', 'Errors', 'FunctionName', name, { stat: 'Sum' }]),
        ...functions.map((name) => ['AWS/Lambda', 'Throttles', 'FunctionName', name, { stat: 'Sum' }]),
      ]),
      widget(
        'DynamoDB capacity used',
        tables.flatMap((name) => [
          ['AWS/DynamoDB', 'ConsumedReadCapacityUnits', 'TableName', name, { stat: 'Sum' }],
          ['AWS/DynamoDB', 'ConsumedWriteCapacityUnits', 'TableName', name, { stat: 'Sum' }],
        ]),
      ),
      widget(
        'DynamoDB throttles',
        tables.flatMap((name) => [
          ['AWS/DynamoDB', 'ReadThrottleEvents', 'TableName', name, { stat: 'Sum' }],
          ['AWS/DynamoDB', 'WriteThrottleEvents', 'TableName', name, { stat: 'Sum' }],
        ]),
      ),
    ],
  };
}

module.exports = Operations;
module.exports.withinMetricMathLimits = withinMetricMathLimits;
module.exports.EMAIL_FILTER = EMAIL_FILTER;
