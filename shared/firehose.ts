/** Puts records into the clicks delivery stream, resending the ones Firehose reports as failed. */
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { backOff } from './backoff';
import { clicksConfig } from './clicksConfig';
import { ServiceUnavailable } from './errors';
import { LOCAL_CREDENTIALS } from './localCredentials';
import { captureClient } from './tracing';

const firehose = captureClient(
  new FirehoseClient({
    endpoint: clicksConfig.firehoseEndpoint,
    // The local stand-in accepts any credentials; local runners give handlers none.
    ...(clicksConfig.firehoseEndpoint ? { credentials: LOCAL_CREDENTIALS } : {}),
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
  }),
  'Firehose',
);

const MAX_ATTEMPTS = 3;

/** Sends every record (newline-terminated JSON) in one PutRecordBatch, then only the failed ones, a few times. */
export async function putRecords(records: object[]): Promise<void> {
  let pending = records.map((record) => ({ Data: Buffer.from(`${JSON.stringify(record)}\n`) }));
  for (let attempt = 1; pending.length > 0; attempt++) {
    const { FailedPutCount = 0, RequestResponses = [] } = await firehose.send(
      new PutRecordBatchCommand({ DeliveryStreamName: clicksConfig.streamName, Records: pending }),
    );
    if (FailedPutCount === 0) return;
    pending = pending.filter((_, index) => RequestResponses[index]?.ErrorCode !== undefined);
    if (attempt >= MAX_ATTEMPTS) throw new ServiceUnavailable(`${pending.length} clicks could not be recorded; try again`);
    await backOff(attempt, { baseMs: 50 });
  }
}
