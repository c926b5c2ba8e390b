/** shared/metrics.ts without Powertools Metrics, for the bench's "without the tools" build: same names, no output. */
export { METRIC_NAMES, METRICS_NAMESPACE } from '../../../shared/metricNames';
export const count = (): void => undefined;
// middy wants a middleware to have at least one step.
export const writeMetrics = (): object => ({ after: () => undefined });
