/**
 * The business metrics each handler writes (CloudWatch embedded metric format, shared/metrics.ts): names, units,
 * namespace and dimensions, written once per invocation; a failure writes none of the success ones, and a read
 * writes nothing (and no warning either).
 */
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { FirehoseTransformationEvent } from 'aws-lambda';
import { context, eventFor, invoke, sampleEvent } from '../../dev/sampleEvents';
import { handler as adoptMysfit } from '../../functions/adoptMysfit';
import { handler as enrichClicks } from '../../functions/enrichClicks';
import { handler as getMysfit } from '../../functions/getMysfit';
import { handler as likeMysfit } from '../../functions/likeMysfit';
import { handler as recordClicks } from '../../functions/recordClicks';
import { handler as unlikeMysfit } from '../../functions/unlikeMysfit';
import { METRIC_NAMES, METRICS_NAMESPACE } from '../../shared/metrics';
import { cancelled, mysfitItem, MYSFIT_ID, reason } from '../support/fixtures';
import { serveSalts } from '../support/saltTable';
import { coldStart } from '../support/coldStart';
import { SAMPLE_USER } from '../../dev/sampleUser';

const ddb = mockClient(DynamoDBDocumentClient);
const firehose = mockClient(FirehoseClient);

interface Emitted {
  namespace: string;
  dimensions: string[][];
  metrics: Array<{ name: string; unit: string; value: unknown }>;
  line: Record<string, unknown>;
}

/** Runs `work` and returns the embedded-metric-format lines it wrote, and anything written to stderr. */
async function emitted(work: () => Promise<unknown>): Promise<{ lines: Emitted[]; stderr: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
  try {
    await work();
  } finally {
    jest.restoreAllMocks();
  }
  const lines = out
    .join('')
    .split('\n')
    .filter((l) => l.includes('"_aws"'))
    .map(
      (l) =>
        JSON.parse(l) as Record<string, unknown> & {
          _aws: { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }> };
        },
    )
    .map((line) => {
      const [directive] = line._aws.CloudWatchMetrics;
      return {
        namespace: String(directive?.Namespace),
        dimensions: directive?.Dimensions ?? [],
        metrics: (directive?.Metrics ?? []).map((m) => ({ name: m.Name, unit: m.Unit, value: line[m.Name] })),
        line,
      };
    });
  return { lines, stderr: err };
}

/** The single line an invocation wrote, as `{ name: value }`, checked for namespace, unit and the service dimension. */
function counted(lines: Emitted[]): Record<string, unknown> {
  expect(lines).toHaveLength(1);
  const [line] = lines as [Emitted];
  expect(line.namespace).toBe(METRICS_NAMESPACE);
  expect(line.dimensions).toEqual([['service']]);
  expect(line.line.service).toBe('mysfits');
  for (const metric of line.metrics) {
    expect(METRIC_NAMES).toContain(metric.name);
    expect(metric.unit).toBe('Count');
  }
  return Object.fromEntries(line.metrics.map((m) => [m.name, m.value]));
}

const signedIn = { claims: { sub: SAMPLE_USER.sub, email: SAMPLE_USER.email, token_use: 'id' } };

beforeEach(() => {
  ddb.reset();
  firehose.reset();
  jest.spyOn(Math, 'random').mockReturnValue(0); // no waiting between retries
});

describe('likes', () => {
  test('a new like counts one Like', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(GetCommand).resolves({ Item: mysfitItem({ Likes: 3 }) });
    const { lines } = await emitted(() => invoke(likeMysfit, eventFor('likeMysfit', signedIn)));
    expect(counted(lines)).toEqual({ Likes: 1 });
  });

  test('a repeat like changes nothing and counts nothing', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled(reason.conditionFailed(), reason.none()));
    ddb.on(GetCommand).resolves({ Item: mysfitItem({ Likes: 3 }) });
    const { lines, stderr } = await emitted(() => invoke(likeMysfit, eventFor('likeMysfit', signedIn)));
    expect(lines).toEqual([]);
    expect(stderr).toEqual([]);
  });

  test('a like of a mysfit that does not exist (404) counts nothing', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled(reason.none(), reason.conditionFailed()));
    const { lines } = await emitted(async () => expect((await invoke(likeMysfit, eventFor('likeMysfit', signedIn))).statusCode).toBe(404));
    expect(lines).toEqual([]);
  });

  test('an unlike counts one Unlike; a failed one nothing', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(GetCommand).resolves({ Item: mysfitItem({ Likes: 2 }) });
    const ok = await emitted(() => invoke(unlikeMysfit, eventFor('unlikeMysfit', signedIn)));
    expect(counted(ok.lines)).toEqual({ Unlikes: 1 });
    ddb.on(TransactWriteCommand).rejects(new Error('database down'));
    const failed = await emitted(async () => expect((await invoke(unlikeMysfit, eventFor('unlikeMysfit', signedIn))).statusCode).toBe(500));
    expect(failed.lines).toEqual([]);
  });
});

describe('adoptions', () => {
  test('an adoption counts one Adoption', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const { lines } = await emitted(() => invoke(adoptMysfit, eventFor('adoptMysfit', signedIn)));
    expect(counted(lines)).toEqual({ Adoptions: 1 });
  });

  test('a mysfit someone else adopted (409) counts an AdoptionConflict and no Adoption', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejects(
        cancelled(
          reason.conditionFailed({ MysfitId: { S: MYSFIT_ID }, Adopted: { BOOL: true }, AdoptedBy: { S: 'someone-else' } }),
          reason.none(),
        ),
      );
    const { lines } = await emitted(async () =>
      expect((await invoke(adoptMysfit, eventFor('adoptMysfit', signedIn))).statusCode).toBe(409),
    );
    expect(counted(lines)).toEqual({ AdoptionConflicts: 1 });
  });
});

describe('clicks', () => {
  test('an accepted batch counts its clicks', async () => {
    serveSalts(ddb);
    firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 0, RequestResponses: [] });
    const event = sampleEvent('recordClicks');
    const clicks = (JSON.parse(String(event.body)) as { clicks: unknown[] }).clicks.length;
    const { lines } = await emitted(async () => expect((await invoke(recordClicks, event)).statusCode).toBe(202));
    expect(counted(lines)).toEqual({ ClicksAccepted: clicks });
  });

  test('a refused batch counts its clicks as rejected, and none accepted', async () => {
    const body = JSON.stringify({ clicks: [{ action: 'teleport' }, { action: 'view' }] });
    const { lines } = await emitted(async () =>
      expect((await invoke(recordClicks, eventFor('recordClicks', { body }))).statusCode).toBe(400),
    );
    expect(counted(lines)).toEqual({ ClicksRejected: 2 });
  });

  test('the transformation counts the records it could not enrich', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { 'test-mysfits': [mysfitItem()] } });
    const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');
    const event = {
      invocationId: 'i',
      deliveryStreamArn: 'arn:aws:firehose:us-east-1:123456789012:deliverystream/test-clicks',
      region: 'us-east-1',
      records: [
        { recordId: '1', approximateArrivalTimestamp: 1, data: encode({ action: 'view', mysfitId: MYSFIT_ID }) },
        {
          recordId: '2',
          approximateArrivalTimestamp: 2,
          data: encode({ action: 'view', mysfitId: '00000000-0000-4000-8000-000000000000' }),
        },
        { recordId: '3', approximateArrivalTimestamp: 3, data: Buffer.from('not json').toString('base64') },
      ],
    } satisfies FirehoseTransformationEvent;
    const { lines } = await emitted(() => enrichClicks(event, context));
    expect(counted(lines)).toEqual({ EnrichmentFailures: 2 });
  });
});

test('a read counts nothing and warns about nothing', async () => {
  ddb.on(GetCommand).resolves({ Item: mysfitItem() });
  const { lines, stderr } = await emitted(() => invoke(getMysfit, sampleEvent('getMysfit')));
  expect(lines).toEqual([]);
  expect(stderr).toEqual([]);
});

test("a cold start writes one ColdStart, with the function's name, apart from the business metrics", async () => {
  // Arrange: a fresh module registry, started as Lambda starts an on-demand instance (read when the modules load)
  const fresh = (await coldStart({ AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand' }, () => import('../../functions/getMysfit'))).handler;
  ddb.on(GetCommand).resolves({ Item: mysfitItem() });
  // Act
  const first = await emitted(() => invoke(fresh, sampleEvent('getMysfit')));
  const second = await emitted(() => invoke(fresh, sampleEvent('getMysfit')));
  // Assert
  expect(first.lines).toHaveLength(1);
  expect(first.lines[0]).toMatchObject({ namespace: METRICS_NAMESPACE, metrics: [{ name: 'ColdStart', unit: 'Count', value: 1 }] });
  expect(first.lines[0]?.dimensions).toEqual([['service', 'function_name']]);
  expect(first.lines[0]?.line.function_name).toBe(context.functionName);
  expect(second.lines).toEqual([]);
});
