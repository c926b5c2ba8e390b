/** shared/metrics.ts without Powertools Metrics, for the bench's "without the tools" build: same names, no output. */
export const METRIC_NAMES = [
  'Likes',
  'Unlikes',
  'Adoptions',
  'AdoptionConflicts',
  'ClicksAccepted',
  'ClicksRejected',
  'EnrichmentFailures',
] as const;
export const METRICS_NAMESPACE = 'Mysfits';
export const count = (): void => undefined;
// middy wants a middleware to have at least one step.
export const writeMetrics = (): object => ({ after: () => undefined });
