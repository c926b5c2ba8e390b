/**
 * Running it in production, on the prod template: every alarm (metric, statistic, threshold, topic), the dashboard's
 * widgets, tracing on every function and the stage, the API's access log, and a retention on every log group.
 */
import { FUNCTIONS, ROUTES } from '../../dev/functions';
import { resolvedServiceSync, stageParams } from '../../dev/service';
import { METRIC_NAMES, METRICS_NAMESPACE } from '../../shared/metrics';
import { onlyResourceOfType, packageProd, properties, resourcesOfType, type Packaged, type Template } from './package';

const PROD = stageParams(resolvedServiceSync('prod'), 'prod');
const SERVICE = resolvedServiceSync('prod');
const ALARM_EMAIL = 'ops@example.com';

let template: Template;
let withEmail: Packaged;

beforeAll(async () => {
  let plain: Packaged;
  [plain, withEmail] = await Promise.all([packageProd(), packageProd({ alarmEmail: ALARM_EMAIL })]);
  template = plain.template;
}, 120_000);

interface Alarm {
  Namespace?: string;
  MetricName?: string;
  Statistic?: string;
  ExtendedStatistic?: string;
  Dimensions?: Array<{ Name: string; Value: unknown }>;
  Threshold: number;
  ComparisonOperator: string;
  AlarmActions: unknown[];
  OKActions: unknown[];
  Metrics?: Array<{
    Id: string;
    Expression?: string;
    MetricStat?: { Metric: { MetricName: string; Dimensions: Array<{ Name: string; Value: unknown }> }; Stat: string };
  }>;
  TreatMissingData: string;
}

const alarms = () => resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(([id, r]) => [id, r.Properties as unknown as Alarm] as const);
const alarm = (id: string) => properties(template, id) as unknown as Alarm;
const functionName = (key: string) => String(SERVICE.functions[key]?.name);
const stageName = () => String(onlyResourceOfType(template, 'AWS::ApiGateway::Stage')[1].Properties?.StageName);
const apiName = () => properties(template, 'ApiGatewayRestApi').Name;

describe('the alarms', () => {
  test('every alarm reports to the one topic, when it fires and when it clears, and no traffic is not a failure', () => {
    const [topicId] = onlyResourceOfType(template, 'AWS::SNS::Topic');
    expect(alarms().length).toBeGreaterThan(0);
    for (const [, props] of alarms()) {
      expect(props.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(props.OKActions).toEqual([{ Ref: topicId }]);
      expect(props.TreatMissingData).toBe('notBreaching');
    }
  });

  test("the API's 5XX rate: the share of requests answered 5XX over the stage's threshold", () => {
    expect(alarm('ApiErrorRateAlarm')).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: '5XXError',
      Statistic: 'Average',
      Threshold: Number(PROD.apiErrorRateThreshold),
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: [
        { Name: 'ApiName', Value: apiName() },
        { Name: 'Stage', Value: 'prod' },
      ],
    });
  });

  test("the API's p99 latency over the stage's threshold", () => {
    expect(alarm('ApiLatencyAlarm')).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: 'Latency',
      ExtendedStatistic: 'p99',
      Threshold: Number(PROD.apiLatencyP99ThresholdMs),
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  test.each(FUNCTIONS.flatMap((fn) => ['Errors', 'Throttles'].map((metric) => ({ fn, metric }))))('$fn: any $metric', ({ fn, metric }) => {
    const [, found] = alarms().find(([, a]) => a.MetricName === metric && a.Dimensions?.[0]?.Value === functionName(fn)) ?? [];
    expect(found).toMatchObject({ Namespace: 'AWS/Lambda', Statistic: 'Sum', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    expect(found?.Dimensions).toEqual([{ Name: 'FunctionName', Value: functionName(fn) }]);
  });

  const tables = () => resourcesOfType(template, 'AWS::DynamoDB::Table').map(([id, t]) => ({ id, name: t.Properties?.TableName }));

  test('every table: throttled reads or writes, and system errors over every operation the functions use', () => {
    expect(tables()).toHaveLength(3);
    for (const { id, name } of tables()) {
      const throttles = alarm(`${id}ThrottlesAlarm`);
      expect(throttles.Metrics?.filter((m) => m.MetricStat).map((m) => m.MetricStat?.Metric.MetricName)).toEqual([
        'ReadThrottleEvents',
        'WriteThrottleEvents',
      ]);
      const errors = alarm(`${id}SystemErrorsAlarm`);
      const stats = errors.Metrics?.filter((m) => m.MetricStat) ?? [];
      expect(stats.map((m) => m.MetricStat?.Metric.Dimensions.find((d) => d.Name === 'Operation')?.Value)).toEqual(
        expect.arrayContaining(['GetItem', 'Query', 'Scan', 'UpdateItem', 'TransactWriteItems', 'BatchGetItem']),
      );
      // The expression adds up exactly the metrics it lists.
      expect(errors.Metrics?.find((m) => m.Expression)?.Expression).toBe(stats.map((m) => m.Id).join(' + '));
      for (const a of [throttles, errors]) {
        expect(a).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
        for (const m of a.Metrics?.filter((x) => x.MetricStat) ?? []) {
          expect(m.MetricStat?.Stat).toBe('Sum');
          expect(m.MetricStat?.Metric.Dimensions[0]).toEqual({ Name: 'TableName', Value: name });
        }
      }
    }
  });

  test('the clicks delivery stream: any record that did not reach S3', () => {
    const [streamId, stream] = onlyResourceOfType(template, 'AWS::KinesisFirehose::DeliveryStream');
    expect(alarm(`${streamId}DeliveryAlarm`)).toMatchObject({
      Namespace: 'AWS/Firehose',
      MetricName: 'DeliveryToS3.Success',
      Statistic: 'Minimum',
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      Dimensions: [{ Name: 'DeliveryStreamName', Value: stream.Properties?.DeliveryStreamName }],
    });
  });

  test('clicks the transformation could not enrich: the metric enrichClicks writes', () => {
    const props = alarm('EnrichmentFailuresAlarm');
    expect(props).toMatchObject({ Namespace: METRICS_NAMESPACE, MetricName: 'EnrichmentFailures', Statistic: 'Sum', Threshold: 0 });
    expect(METRIC_NAMES).toContain(props.MetricName);
    expect(props.Dimensions).toEqual([{ Name: 'service', Value: SERVICE.service }]);
  });

  test('without an alarm email the topic has no subscription; with one, it is emailed what goes into ALARM or out of it', () => {
    expect(resourcesOfType(template, 'AWS::SNS::Subscription')).toEqual([]);
    const [, subscription] = onlyResourceOfType(withEmail.template, 'AWS::SNS::Subscription');
    expect(subscription.Properties).toEqual({
      TopicArn: { Ref: 'AlarmTopic' },
      Protocol: 'email',
      Endpoint: ALARM_EMAIL,
      FilterPolicyScope: 'MessageBody',
      FilterPolicy: { $or: [{ NewStateValue: ['ALARM'] }, { OldStateValue: ['ALARM'] }] },
    });
  });

  test("a new alarm's first evaluation (INSUFFICIENT_DATA -> OK) is not mailed; a failure and its recovery are", () => {
    // What the email filter lets through, for CloudWatch's notification bodies: SNS's $or of exact matches.
    const [, subscription] = onlyResourceOfType(withEmail.template, 'AWS::SNS::Subscription');
    const filter = (subscription.Properties?.FilterPolicy as { $or: Array<Record<string, string[]>> }).$or;
    const mailed = (OldStateValue: string, NewStateValue: string) =>
      filter.some((clause) =>
        Object.entries(clause).every(([key, values]) => values.includes(key === 'OldStateValue' ? OldStateValue : NewStateValue)),
      );
    expect(mailed('INSUFFICIENT_DATA', 'OK')).toBe(false);
    expect(mailed('INSUFFICIENT_DATA', 'ALARM')).toBe(true);
    expect(mailed('OK', 'ALARM')).toBe(true);
    expect(mailed('ALARM', 'OK')).toBe(true);
  });

  test("every metric-math alarm is within CloudWatch's hard limit: at most 10 metrics and one watched expression", () => {
    const mathAlarms = alarms().filter(([, a]) => a.Metrics);
    expect(mathAlarms.length).toBe(2 * tables().length);
    for (const [, a] of mathAlarms) {
      const metrics = a.Metrics ?? [];
      expect(metrics.filter((m) => m.MetricStat).length).toBeLessThanOrEqual(10);
      expect(metrics.filter((m) => m.Expression)).toHaveLength(1);
    }
    // Today: 2 for throttles, 8 for system errors (one per DynamoDB operation the functions use).
    expect(alarm('MysfitsTableSystemErrorsAlarm').Metrics?.filter((m) => m.MetricStat)).toHaveLength(8);
  });
});

describe('the dashboard', () => {
  type Widget = { properties: { title: string; metrics: unknown[][] } };
  const widgets = (): Widget[] => {
    const [, board] = onlyResourceOfType(template, 'AWS::CloudWatch::Dashboard');
    const body = (board.Properties?.DashboardBody as { 'Fn::Sub': string })['Fn::Sub'];
    return (JSON.parse(body) as { widgets: Widget[] }).widgets;
  };
  const widget = (title: string) => widgets().find((w) => w.properties.title === title);

  test.each(ROUTES.map((r) => ({ route: r.route, method: r.method, path: r.path })))(
    '$route: requests, 4XX, 5XX, p50 and p99',
    ({ route, method, path }) => {
      const metrics = widget(route)?.properties.metrics ?? [];
      const dims = ['ApiName', apiName(), 'Stage', stageName(), 'Resource', path, 'Method', method];
      expect(metrics.map((m) => [m[0], m[1], ...m.slice(2, 10), (m[10] as { stat: string }).stat])).toEqual([
        ['AWS/ApiGateway', 'Count', ...dims, 'Sum'],
        ['AWS/ApiGateway', '4XXError', ...dims, 'Sum'],
        ['AWS/ApiGateway', '5XXError', ...dims, 'Sum'],
        ['AWS/ApiGateway', 'Latency', ...dims, 'p50'],
        ['AWS/ApiGateway', 'Latency', ...dims, 'p99'],
      ]);
    },
  );

  test('likes and adoptions, from the metrics the functions write', () => {
    const names = (widget('Likes and adoptions')?.properties.metrics ?? []).map((m) => m[1]);
    expect(names).toEqual(['Likes', 'Unlikes', 'Adoptions', 'AdoptionConflicts']);
    for (const w of widgets()) {
      for (const m of w.properties.metrics) if (m[0] === METRICS_NAMESPACE) expect(METRIC_NAMES).toContain(m[1]);
    }
  });

  test('Lambda concurrency of every function, and DynamoDB capacity and throttles of every table', () => {
    const names = (title: string, metric: string) =>
      (widget(title)?.properties.metrics ?? []).filter((m) => m[1] === metric).map((m) => m[3]);
    const tables = resourcesOfType(template, 'AWS::DynamoDB::Table').map(([, t]) => t.Properties?.TableName);
    expect(names('Lambda concurrency', 'ConcurrentExecutions').sort()).toEqual(FUNCTIONS.map(functionName).sort());
    expect(names('DynamoDB capacity used', 'ConsumedWriteCapacityUnits').sort()).toEqual([...tables].sort());
    expect(names('DynamoDB throttles', 'WriteThrottleEvents').sort()).toEqual([...tables].sort());
  });
});

describe('traces and logs', () => {
  test.each(FUNCTIONS)('%s is traced by X-Ray', (fn) => {
    const id = Object.entries(template.Resources).find(
      ([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties?.FunctionName === functionName(fn),
    )?.[0];
    expect(properties(template, String(id)).TracingConfig).toEqual({ Mode: 'Active' });
  });

  test('the API stage is traced, with detailed per-route metrics, all set on the stage resource itself', () => {
    const [, stage] = onlyResourceOfType(template, 'AWS::ApiGateway::Stage');
    expect(stage.Properties?.TracingEnabled).toBe(true);
    for (const setting of stage.Properties?.MethodSettings as Array<Record<string, unknown>>) expect(setting.MetricsEnabled).toBe(true);
    const [, deployment] = onlyResourceOfType(template, 'AWS::ApiGateway::Deployment');
    expect(deployment.Properties?.StageDescription).toBeUndefined();
  });

  test("the Framework's post-deploy stage update has nothing to patch: no API tracing or access logs set through it", () => {
    // osls patches the stage after a deploy only for provider.tracing.apiGateway or provider.logs.restApi.
    const provider = SERVICE.provider as { tracing?: { apiGateway?: unknown; lambda?: unknown }; logs?: { restApi?: unknown } };
    expect(provider.tracing?.apiGateway).toBeUndefined();
    expect(provider.logs?.restApi).toBeUndefined();
    expect(provider.tracing?.lambda).toBe(true);
  });

  test("the access log is one JSON line a request: id, route, status, latency, the caller's sub and the trace, and no address", () => {
    const [, stage] = onlyResourceOfType(template, 'AWS::ApiGateway::Stage');
    const setting = stage.Properties?.AccessLogSetting as { DestinationArn: unknown; Format: string };
    const format = JSON.parse(setting.Format) as Record<string, string>;
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      route: '$context.httpMethod $context.resourcePath',
      status: '$context.status',
      latencyMs: '$context.responseLatency',
      sub: '$context.authorizer.claims.sub',
      traceId: '$context.xrayTraceId',
      integrationRequestId: '$context.integration.requestId',
    });
    expect(setting.Format).not.toMatch(/sourceIp|userAgent|identity\./);
    expect(setting.DestinationArn).toEqual({ 'Fn::GetAtt': ['ApiAccessLogGroup', 'Arn'] });
    expect(properties(template, 'ApiAccessLogGroup').RetentionInDays).toBe(Number(PROD.logRetentionInDays));
    // API Gateway writes it with the account's role, which the stack does not set (tests/infra/lifecycle.test.ts).
    expect(resourcesOfType(template, 'AWS::ApiGateway::Account')).toEqual([]);
  });

  test("every log group has the stage's retention (the web firewall's keeps addresses one day: tests/infra/waf.test.ts)", () => {
    const groups = resourcesOfType(template, 'AWS::Logs::LogGroup').filter(([id]) => id !== 'WebFirewallLogGroup');
    expect(groups.length).toBe(FUNCTIONS.length + 1);
    for (const [, group] of groups) expect(group.Properties?.RetentionInDays).toBe(Number(PROD.logRetentionInDays));
  });
});
