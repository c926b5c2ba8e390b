/** The clicks delivery stream's data transformation: each click gets its mysfit's name, species and alignment. */
import middy from '@middy/core';
import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { enrichClicks } from '../shared/enrichment';
import { writeMetrics } from '../shared/metrics';
import { traceInvocation, withTraceContext } from '../shared/tracing';

// Its metrics (EnrichmentFailures, the cold start) are written once per buffer, after the answer.
export const handler = withTraceContext(
  middy<FirehoseTransformationEvent, FirehoseTransformationResult>()
    .use(writeMetrics())
    .use(
      traceInvocation(
        () => 'enrichClicks',
        (_result, error) => (error ? 500 : 200),
      ),
    )
    .handler((event) => enrichClicks(event)),
);
