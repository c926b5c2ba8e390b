/**
 * A local stand-in for the clicks delivery stream. It answers Firehose's PutRecordBatch and PutRecord on
 * 127.0.0.1, buffers the records, runs the stream's data transformation (the enrichClicks function, through
 * serverless offline's Lambda endpoint, exactly the code that runs in AWS), and writes the result under the local
 * data folder as the stream writes to S3: clicks/year=YYYY/month=MM/day=DD/<object>, failures under errors/.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { localUrl } from '../dev/ports';

export interface FirehoseStandInOptions {
  port: number;
  streamName: string;
  /** The "bucket": a folder that gets clicks/ and errors/ as the S3 bucket does. */
  outputDir: string;
  /** Runs the transformation Lambda on a buffer of records. */
  transform: (event: FirehoseTransformationEvent) => Promise<FirehoseTransformationResult>;
  /** How long records wait in the buffer (the stream's buffering interval; short locally). */
  flushIntervalMs: number;
  region: string;
  /** False for a stand-in that must not keep the process alive by itself (one invocation's, say). */
  keepsProcessAlive?: boolean;
}

export interface FirehoseStandIn {
  endpoint: string;
  /** Delivers what is buffered now. */
  flush(): Promise<void>;
  /** Delivers what is buffered, then stops. */
  stop(): Promise<void>;
}

interface Buffered {
  recordId: string;
  data: string;
  arrivedAt: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

function partition(date: Date): string {
  return `year=${date.getUTCFullYear()}/month=${pad(date.getUTCMonth() + 1)}/day=${pad(date.getUTCDate())}`;
}

function objectName(streamName: string, date: Date): string {
  const stamp = [
    date.getUTCFullYear(),
    pad(date.getUTCMonth() + 1),
    pad(date.getUTCDate()),
    pad(date.getUTCHours()),
    pad(date.getUTCMinutes()),
    pad(date.getUTCSeconds()),
  ].join('-');
  return `${streamName}-1-${stamp}-${randomUUID()}`;
}

export function startFirehoseStandIn(options: FirehoseStandInOptions): Promise<FirehoseStandIn> {
  const endpoint = localUrl(options.port);
  const streamArn = `arn:aws:firehose:${options.region}:000000000000:deliverystream/${options.streamName}`;
  let buffer: Buffered[] = [];
  let delivering: Promise<void> = Promise.resolve();

  const deliver = async (records: Buffered[]) => {
    if (records.length === 0) return;
    const now = new Date();
    let result: FirehoseTransformationResult;
    let failure: string | undefined;
    try {
      result = await options.transform({
        invocationId: randomUUID(),
        deliveryStreamArn: streamArn,
        region: options.region,
        records: records.map((r) => ({ recordId: r.recordId, approximateArrivalTimestamp: r.arrivedAt, data: r.data })),
      });
    } catch (error) {
      failure = (error as Error).message;
      result = { records: records.map((r) => ({ recordId: r.recordId, result: 'ProcessingFailed', data: r.data })) };
    }
    const ok = result.records.filter((r) => r.result === 'Ok');
    const failed = result.records.filter((r) => r.result === 'ProcessingFailed');
    if (ok.length > 0) {
      const dir = join(options.outputDir, 'clicks', partition(now));
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, objectName(options.streamName, now)),
        ok.map((r) => Buffer.from(r.data ?? '', 'base64').toString('utf8')).join(''),
      );
    }
    if (failed.length > 0) {
      const dir = join(options.outputDir, 'errors', 'processing-failed', partition(now));
      mkdirSync(dir, { recursive: true });
      const arrival = new Map(records.map((r) => [r.recordId, r]));
      const lines = failed.map((r) =>
        JSON.stringify({
          attemptsMade: 1,
          arrivalTimestamp: arrival.get(r.recordId)?.arrivedAt,
          errorCode: failure ? 'Lambda.InvokeFailed' : 'Lambda.ProcessingFailedStatus',
          errorMessage: failure ?? 'The Lambda function returned ProcessingFailed for this record.',
          attemptEndingTimestamp: now.getTime(),
          rawData: arrival.get(r.recordId)?.data ?? r.data,
          lambdaArn: 'enrichClicks',
        }),
      );
      writeFileSync(join(dir, objectName(options.streamName, now)), `${lines.join('\n')}\n`);
    }
  };

  const flush = () => {
    const records = buffer;
    buffer = [];
    delivering = delivering.then(() => deliver(records));
    return delivering;
  };
  const timer = setInterval(() => void flush(), options.flushIntervalMs);
  if (options.keepsProcessAlive === false) timer.unref();

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(body));
      };
      const target = String(req.headers['x-amz-target'] ?? '');
      let input: { DeliveryStreamName?: string; Records?: Array<{ Data: string }>; Record?: { Data: string } };
      try {
        input = JSON.parse(Buffer.concat(chunks).toString('utf8')) ?? {};
      } catch {
        return reply(400, { __type: 'SerializationException', message: 'The body is not JSON' });
      }
      if (input.DeliveryStreamName !== options.streamName) {
        return reply(400, { __type: 'ResourceNotFoundException', message: `Delivery stream ${input.DeliveryStreamName} not found` });
      }
      const take = (record: { Data: string }) => {
        const recordId = randomUUID();
        buffer.push({ recordId, data: record.Data, arrivedAt: Date.now() });
        return { RecordId: recordId };
      };
      if (target.endsWith('.PutRecordBatch')) {
        return reply(200, { FailedPutCount: 0, Encrypted: false, RequestResponses: (input.Records ?? []).map(take) });
      }
      if (target.endsWith('.PutRecord') && input.Record) return reply(200, { ...take(input.Record), Encrypted: false });
      return reply(400, { __type: 'UnknownOperationException', message: `The stand-in does not do ${target}` });
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    if (options.keepsProcessAlive === false) server.unref();
    server.listen(options.port, '127.0.0.1', () =>
      resolve({
        endpoint,
        flush,
        stop: async () => {
          clearInterval(timer);
          await flush();
          await new Promise<void>((done) => server.close(() => done()));
        },
      }),
    );
  });
}

/** Invokes a function of serverless offline through its Lambda endpoint, as the AWS SDK's Invoke would. */
export function invokeThroughOffline(lambdaPort: number, functionName: string) {
  return async (event: FirehoseTransformationEvent): Promise<FirehoseTransformationResult> => {
    const response = await fetch(`${localUrl(lambdaPort)}/2015-03-31/functions/${functionName}/invocations`, {
      method: 'POST',
      body: JSON.stringify(event),
      signal: AbortSignal.timeout(60_000),
    });
    if (!response.ok) throw new Error(`${functionName} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as FirehoseTransformationResult;
  };
}
