/**
 * The names of the business metrics (shared/metrics.ts writes them). Apart from the writer so that what only needs
 * the names does not load Powertools Metrics. The alarms and the dashboard (infra/operations.js) are held to these
 * names by tests/infra/operations.test.ts.
 */

/** Every metric the functions emit, in the namespace below, with the `service` dimension. */
export const METRIC_NAMES = [
  'Likes',
  'Unlikes',
  'Adoptions',
  'AdoptionConflicts',
  'ClicksAccepted',
  'ClicksRejected',
  'EnrichmentFailures',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** The CloudWatch namespace (serverless.yml's custom.operations.metricsNamespace says the same: the infra test checks). */
export const METRICS_NAMESPACE = 'Mysfits';
