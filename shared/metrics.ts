/**
 * The business metrics (Powertools Metrics, CloudWatch's embedded metric format: a JSON log line that CloudWatch
 * turns into metrics, no API call). Counted where the outcome is known; written once per invocation by the
 * middleware below (shared/http.ts, functions/enrichClicks.ts), with the cold start. The names: shared/metricNames.ts.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { METRIC_NAMES, METRICS_NAMESPACE, type MetricName } from './metricNames';

export { METRIC_NAMES, METRICS_NAMESPACE, type MetricName };

export const metrics = new Metrics({
  namespace: METRICS_NAMESPACE,
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'mysfits',
});

/** Counts `n` of something that happened in this invocation. */
export function count(name: MetricName, n = 1): void {
  if (n > 0) metrics.addMetric(name, MetricUnit.Count, n);
}

/**
 * The middleware that writes them: the cold start once, then what the invocation counted, after it (also when it
 * failed: a conflict is counted and then thrown). Not Powertools' `logMetrics`: that one warns on every invocation
 * that counted nothing, which is every read.
 */
export function writeMetrics<Event, Result>(): MiddlewareObj<Event, Result, Error, Context> {
  const flush = () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return {
    before: (request) => {
      metrics.captureColdStartMetric(request.context.functionName);
    },
    after: flush,
    onError: flush,
  };
}
