/**
 * The local stand-in for the clicks delivery stream: answers PutRecordBatch and PutRecord as Firehose does, runs the
 * transformation on what it buffered, and writes the result as the stream writes S3: Ok records concatenated under
 * clicks/year=/month=/day=/, failures as JSON lines under errors/processing-failed/.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { FirehoseClient, PutRecordBatchCommand, PutRecordCommand, ResourceNotFoundException } from '@aws-sdk/client-firehose';
import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { startFirehoseStandIn, type FirehoseStandIn } from '../../../local/firehose';
import { freePort } from '../../../dev/ports';
import { LOCAL_CREDENTIALS } from '../../../shared/localCredentials';
import { fakeDateOnly } from '../../support/fixtures';

const STREAM = 'mysfits-local-clicks';
const REGION = 'us-east-1';
/** Delivery happens at this instant (a date whose month and day need padding). */
const NOW = new Date('2026-03-07T09:08:07.000Z');
const PARTITION = 'year=2026/month=03/day=07';
const OBJECT_NAME = new RegExp(`^${STREAM}-1-2026-03-07-09-08-07-[0-9a-f-]{36}$`);

const KNOWN = '4e53920c-505a-4a90-a694-b9300791f0ae';
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

let outputDir: string;
let standIn: FirehoseStandIn | undefined;
/** The events the transformation was given. */
let invocations: FirehoseTransformationEvent[];

/** A fake enrichClicks: known ids get a name and end in a newline, the others are ProcessingFailed. */
async function fakeTransform(event: FirehoseTransformationEvent): Promise<FirehoseTransformationResult> {
  invocations.push(event);
  return {
    records: event.records.map((record) => {
      const click = JSON.parse(Buffer.from(record.data, 'base64').toString('utf8')) as { mysfitId?: string };
      return click.mysfitId === KNOWN
        ? {
            recordId: record.recordId,
            result: 'Ok',
            data: Buffer.from(`${JSON.stringify({ ...click, name: 'Evangeline' })}\n`).toString('base64'),
          }
        : { recordId: record.recordId, result: 'ProcessingFailed', data: record.data };
    }),
  };
}

async function start(transform = fakeTransform, flushIntervalMs = 60_000): Promise<FirehoseStandIn> {
  standIn = await startFirehoseStandIn({
    port: await freePort(),
    streamName: STREAM,
    outputDir,
    transform,
    flushIntervalMs,
    region: REGION,
  });
  return standIn;
}

beforeEach(() => {
  outputDir = mkdtempSync(join(tmpdir(), 'mysfits-firehose-'));
  invocations = [];
  // The Date only: the server, the SDK and the flush timer keep real timers.
  fakeDateOnly(NOW);
});

afterEach(async () => {
  await standIn?.stop();
  standIn = undefined;
  jest.useRealTimers();
  rmSync(outputDir, { recursive: true, force: true });
});

// ------------------------------------------------------------------ helpers

/** Every file under the output folder, as slash-separated paths relative to it. */
function filesWritten(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) =>
      statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [relative(outputDir, join(dir, name)).split('\\').join('/')],
    );
  return walk(outputDir).sort();
}

const read = (path: string) => readFileSync(join(outputDir, path), 'utf8');
const line = (click: object) => `${JSON.stringify(click)}\n`;
const base64 = (text: string) => Buffer.from(text).toString('base64');
const view = (mysfitId: string, userId = 'ada') => ({ action: 'view', mysfitId, userId });

/** A raw Firehose JSON 1.1 call, as the SDK makes it. */
function callFirehose(endpoint: string, operation: string, body: unknown) {
  return fetch(endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `Firehose_20150804.${operation}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const sdkClient = (endpoint: string) => new FirehoseClient({ endpoint, region: REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });

// ------------------------------------------------------------------ the API

describe('the Firehose API', () => {
  test('PutRecordBatch is answered like Firehose: no failures, a record id per record', async () => {
    // Arrange
    const { endpoint } = await start();
    // Act
    const response = await callFirehose(endpoint, 'PutRecordBatch', {
      DeliveryStreamName: STREAM,
      Records: [{ Data: base64(line(view(KNOWN))) }, { Data: base64(line(view(UNKNOWN))) }],
    });
    // Assert
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    const answer = (await response.json()) as { FailedPutCount: number; Encrypted: boolean; RequestResponses: Array<{ RecordId: string }> };
    expect(answer).toEqual({
      FailedPutCount: 0,
      Encrypted: false,
      RequestResponses: [{ RecordId: expect.any(String) }, { RecordId: expect.any(String) }],
    });
    expect(new Set(answer.RequestResponses.map((r) => r.RecordId)).size).toBe(2);
  });

  test("the AWS SDK's PutRecordBatch and PutRecord work against it", async () => {
    // Arrange
    const { endpoint, flush } = await start();
    const client = sdkClient(endpoint);
    // Act
    const batch = await client.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: STREAM,
        Records: [{ Data: Buffer.from(line(view(KNOWN, 'ada'))) }, { Data: Buffer.from(line(view(KNOWN, 'bob'))) }],
      }),
    );
    const single = await client.send(
      new PutRecordCommand({ DeliveryStreamName: STREAM, Record: { Data: Buffer.from(line(view(KNOWN, 'cy'))) } }),
    );
    await flush();
    // Assert
    expect(batch.FailedPutCount).toBe(0);
    expect(batch.RequestResponses).toHaveLength(2);
    expect(single.RecordId).toEqual(expect.any(String));
    const [object] = filesWritten();
    expect(read(object!)).toBe(['ada', 'bob', 'cy'].map((userId) => line({ ...view(KNOWN, userId), name: 'Evangeline' })).join(''));
    client.destroy();
  });

  test('an unknown stream is a 400 ResourceNotFoundException, to the SDK as well, and nothing is buffered', async () => {
    // Arrange
    const { endpoint, flush } = await start();
    const client = sdkClient(endpoint);
    // Act
    const response = await callFirehose(endpoint, 'PutRecordBatch', {
      DeliveryStreamName: 'another-stream',
      Records: [{ Data: base64(line(view(KNOWN))) }],
    });
    const sdkCall = client.send(
      new PutRecordBatchCommand({ DeliveryStreamName: 'another-stream', Records: [{ Data: Buffer.from(line(view(KNOWN))) }] }),
    );
    // Assert
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ __type: 'ResourceNotFoundException', message: 'Delivery stream another-stream not found' });
    await expect(sdkCall).rejects.toBeInstanceOf(ResourceNotFoundException);
    await flush();
    expect(invocations).toEqual([]);
    expect(filesWritten()).toEqual([]);
    client.destroy();
  });

  test.each([
    ['a body that is not JSON', 'SerializationException', 'PutRecordBatch', '{"DeliveryStreamName":'],
    ['an operation it does not do', 'UnknownOperationException', 'DescribeDeliveryStream', { DeliveryStreamName: STREAM }],
  ])('%s is a 400 %s', async (_description, type, operation, body) => {
    // Arrange
    const { endpoint } = await start();
    // Act
    const response = await callFirehose(endpoint, operation, body);
    // Assert
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ __type: type, message: expect.any(String) });
  });
});

// ------------------------------------------------------------------ delivery

describe('delivery', () => {
  test('flush() runs the transformation once on what is buffered, as Firehose invokes it', async () => {
    // Arrange
    const { endpoint, flush } = await start();
    const data = [base64(line(view(KNOWN))), base64(line(view(UNKNOWN)))];
    const before = Date.now();
    await callFirehose(endpoint, 'PutRecordBatch', { DeliveryStreamName: STREAM, Records: data.map((Data) => ({ Data })) });
    // Act
    await flush();
    // Assert
    expect(invocations).toHaveLength(1);
    expect(invocations[0]).toEqual({
      invocationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      deliveryStreamArn: `arn:aws:firehose:${REGION}:000000000000:deliverystream/${STREAM}`,
      region: REGION,
      records: data.map((d) => ({ recordId: expect.any(String), approximateArrivalTimestamp: before, data: d })),
    });
  });

  test('Ok records land concatenated in one object under clicks/<date partition>/, named as the stream names them', async () => {
    // Arrange
    const { endpoint, flush } = await start();
    const clicks = [view(KNOWN, 'ada'), view(UNKNOWN, 'bob'), view(KNOWN, 'cy')];
    await callFirehose(endpoint, 'PutRecordBatch', { DeliveryStreamName: STREAM, Records: clicks.map((c) => ({ Data: base64(line(c)) })) });
    // Act
    await flush();
    // Assert
    const okObjects = filesWritten().filter((path) => path.startsWith('clicks/'));
    expect(okObjects).toHaveLength(1);
    const [object] = okObjects;
    expect(object!.slice(0, object!.lastIndexOf('/'))).toBe(`clicks/${PARTITION}`);
    expect(object!.slice(object!.lastIndexOf('/') + 1)).toMatch(OBJECT_NAME);
    expect(read(object!)).toBe(line({ ...view(KNOWN, 'ada'), name: 'Evangeline' }) + line({ ...view(KNOWN, 'cy'), name: 'Evangeline' }));
  });

  test('ProcessingFailed records land as JSON lines with their raw data under errors/processing-failed/<date partition>/', async () => {
    // Arrange
    const { endpoint, flush } = await start();
    const rawData = [base64(line(view(UNKNOWN, 'bob'))), base64(line(view(UNKNOWN, 'dee')))];
    const arrival = Date.now();
    await callFirehose(endpoint, 'PutRecordBatch', {
      DeliveryStreamName: STREAM,
      Records: [{ Data: base64(line(view(KNOWN))) }, ...rawData.map((Data) => ({ Data }))],
    });
    // Act
    await flush();
    // Assert
    const errorObjects = filesWritten().filter((path) => path.startsWith('errors/'));
    expect(errorObjects).toHaveLength(1);
    const [object] = errorObjects;
    expect(object!.slice(0, object!.lastIndexOf('/'))).toBe(`errors/processing-failed/${PARTITION}`);
    expect(object!.slice(object!.lastIndexOf('/') + 1)).toMatch(OBJECT_NAME);
    const text = read(object!);
    expect(text.endsWith('\n')).toBe(true);
    expect(
      text
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual(
      rawData.map((data) => ({
        attemptsMade: 1,
        arrivalTimestamp: arrival,
        errorCode: 'Lambda.ProcessingFailedStatus',
        errorMessage: expect.any(String),
        attemptEndingTimestamp: NOW.getTime(),
        rawData: data,
        lambdaArn: expect.any(String),
      })),
    );
  });

  test('a transformation that throws sends every record to errors/ with errorCode Lambda.InvokeFailed', async () => {
    // Arrange
    const { endpoint, flush } = await start(async () => {
      throw new Error('enrichClicks answered 502');
    });
    const rawData = [base64(line(view(KNOWN))), base64(line(view(UNKNOWN)))];
    await callFirehose(endpoint, 'PutRecordBatch', { DeliveryStreamName: STREAM, Records: rawData.map((Data) => ({ Data })) });
    // Act
    await flush();
    // Assert
    const files = filesWritten();
    expect(files).toEqual([expect.stringMatching(new RegExp(`^errors/processing-failed/${PARTITION}/`))]);
    const lines = read(files[0]!)
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.errorCode, l.errorMessage, l.rawData])).toEqual(
      rawData.map((data) => ['Lambda.InvokeFailed', 'enrichClicks answered 502', data]),
    );
  });

  test('a flush with nothing buffered writes nothing and does not run the transformation', async () => {
    // Arrange
    const { flush } = await start();
    // Act
    await flush();
    // Assert
    expect(invocations).toEqual([]);
    expect(filesWritten()).toEqual([]);
  });

  test('each flush delivers only what arrived since the last one', async () => {
    // Arrange
    const { endpoint, flush } = await start();
    await callFirehose(endpoint, 'PutRecordBatch', { DeliveryStreamName: STREAM, Records: [{ Data: base64(line(view(KNOWN, 'ada'))) }] });
    await flush();
    await callFirehose(endpoint, 'PutRecordBatch', { DeliveryStreamName: STREAM, Records: [{ Data: base64(line(view(KNOWN, 'bob'))) }] });
    // Act
    await flush();
    // Assert
    expect(invocations.map((event) => event.records.length)).toEqual([1, 1]);
    expect(filesWritten().map(read).sort()).toEqual([
      line({ ...view(KNOWN, 'ada'), name: 'Evangeline' }),
      line({ ...view(KNOWN, 'bob'), name: 'Evangeline' }),
    ]);
  });

  test('the buffering interval delivers on its own', async () => {
    // Arrange
    const { endpoint } = await start(fakeTransform, 50);
    // Act
    await callFirehose(endpoint, 'PutRecordBatch', { DeliveryStreamName: STREAM, Records: [{ Data: base64(line(view(KNOWN))) }] });
    for (let waited = 0; filesWritten().length === 0 && waited < 2_000; waited += 25)
      await new Promise((resolve) => setTimeout(resolve, 25));
    // Assert
    expect(filesWritten()).toEqual([expect.stringMatching(new RegExp(`^clicks/${PARTITION}/`))]);
  });

  test('stop() delivers what is buffered, then closes the port', async () => {
    // Arrange
    const running = await start();
    await callFirehose(running.endpoint, 'PutRecordBatch', { DeliveryStreamName: STREAM, Records: [{ Data: base64(line(view(KNOWN))) }] });
    // Act
    await running.stop();
    standIn = undefined;
    // Assert
    expect(invocations).toHaveLength(1);
    expect(filesWritten()).toEqual([expect.stringMatching(new RegExp(`^clicks/${PARTITION}/`))]);
    await expect(callFirehose(running.endpoint, 'PutRecordBatch', { DeliveryStreamName: STREAM, Records: [] })).rejects.toThrow();
  });
});
