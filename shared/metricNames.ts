/**
 * The names of the business metrics (shared/metrics.ts writes them), and their namespace: their one definition.
 * Apart from the writer so that what only needs the names does not load Powertools Metrics; the alarms and the
 * dashboard (infra/operations.js) load this module when packaging, so they cannot name another.
 */

/** Every metric the functions emit, in the namespace below with the `service` dimension, by the dashboard widget showing it. */
export const METRIC_GROUPS = {
  'Likes and adoptions': ['Likes', 'Unlikes', 'Adoptions', 'AdoptionConflicts'],
  Clicks: ['ClicksAccepted', 'ClicksRejected', 'EnrichmentFailures'],
} as const;
export type MetricName = (typeof METRIC_GROUPS)[keyof typeof METRIC_GROUPS][number];
export const METRIC_NAMES: readonly MetricName[] = Object.values(METRIC_GROUPS).flat();

/** The CloudWatch namespace; its API metrics (429s by route, from the access log) are in `<namespace>/Api`. */
export const METRICS_NAMESPACE = 'Mysfits';
