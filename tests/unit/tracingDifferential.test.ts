/**
 * shared/tracing.ts against Powertools Tracer (aws-xray-sdk-core), the library it stands in for: the same invocations
 * traced once by each, both sending to one stand-in daemon, and every field X-Ray reads compared. The clients are
 * the real AWS SDK clients with their whole middleware stack; only the HTTP answers are canned (DynamoDB's and
 * Firehose's JSON protocols), so a throttle or a missing table is exactly what the SDK would see.
 */
import { Readable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { HttpResponse, type HttpRequest } from '@smithy/core/protocols';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { InvokeStore, InvokeStoreBase } from '@aws/lambda-invoke-store';
import { captureClient, traceInvocation, withTraceContext, type Subsegment } from '../../shared/tracing';
import { coldStart } from '../support/coldStart';
import { FUNCTION_SEGMENT, startXRayDaemon, TRACE_ROOT, type XRayDaemon } from '../support/xrayDaemon';

const TABLE = 'mysfits-test-mysfits';
const STREAM = 'mysfits-test-clicks';
const HANDLER = 'functions/likeMysfit.handler';
const REQUEST_ID = 'R3QU35T1D0000000000000000000000000000000000000000000';

// ------------------------------------------------------------------ canned HTTP answers, per operation

type Answer = { status: number; body: object };
const answers = new Map<string, Answer[]>();
const answer = (operation: string, ...list: Answer[]) => answers.set(operation, list);
const awsError = (type: string, status = 400): Answer => ({
  status,
  body: { __type: `com.amazonaws.dynamodb.v20120810#${type}`, message: `${type} here` },
});

/** An HTTP handler that answers each operation (from its X-Amz-Target) as the service would. */
const cannedHttp = {
  handle: async (request: HttpRequest) => {
    const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    const queue = answers.get(operation) ?? [];
    const next = (queue.length > 1 ? queue.shift() : queue[0]) ?? { status: 200, body: {} };
    return {
      response: new HttpResponse({
        statusCode: next.status,
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': REQUEST_ID },
        body: Readable.from([Buffer.from(JSON.stringify(next.body))]),
      }),
    };
  },
};

const clientOptions = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  requestHandler: cannedHttp,
  maxAttempts: 2,
};

/** What each invocation is handed: the calls to make with the tracer's clients. */
interface Invocation {
  run: (clients: Clients) => Promise<unknown>;
}

interface Clients {
  dynamodb: DynamoDBDocumentClient;
  firehose: FirehoseClient;
}

// ------------------------------------------------------------------ the invocations, as the functions make them

const scenarios: Array<{ name: string; arrange: () => void; run: (clients: Clients) => Promise<unknown> }> = [
  {
    name: 'a like: the transaction, then the read of the count',
    arrange: () => {
      answer('TransactWriteItems', { status: 200, body: {} });
      answer('GetItem', { status: 200, body: { Item: { Likes: { N: '3' } } } });
    },
    run: async ({ dynamodb }) => {
      await dynamodb.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: `${TABLE}-activity`, Item: { UserId: 'u', Activity: 'LIKE#m' } } },
            {
              Update: {
                TableName: TABLE,
                Key: { MysfitId: 'm' },
                UpdateExpression: 'ADD Likes :one',
                ExpressionAttributeValues: { ':one': 1 },
              },
            },
          ],
        }),
      );
      await dynamodb.send(
        new GetCommand({ TableName: TABLE, Key: { MysfitId: 'm' }, ProjectionExpression: 'Likes', ConsistentRead: true }),
      );
    },
  },
  {
    name: 'a DynamoDB call that fails (no such table)',
    arrange: () => answer('UpdateItem', awsError('ResourceNotFoundException')),
    run: ({ dynamodb }) =>
      dynamodb.send(
        new UpdateCommand({
          TableName: 'no-such-table',
          Key: { MysfitId: 'm' },
          UpdateExpression: 'SET Adopted = :t',
          ExpressionAttributeValues: { ':t': true },
        }),
      ),
  },
  {
    name: 'a throttled DynamoDB call (retried once, then given up)',
    arrange: () => answer('GetItem', awsError('ProvisionedThroughputExceededException')),
    run: ({ dynamodb }) => dynamodb.send(new GetCommand({ TableName: TABLE, Key: { MysfitId: 'm' } })),
  },
  {
    name: 'a DynamoDB call that meets a server error',
    arrange: () => answer('GetItem', awsError('InternalServerError', 500)),
    run: ({ dynamodb }) => dynamodb.send(new GetCommand({ TableName: TABLE, Key: { MysfitId: 'm' } })),
  },
  {
    name: 'a handler that throws after a call',
    arrange: () => answer('GetItem', { status: 200, body: {} }),
    run: async ({ dynamodb }) => {
      await dynamodb.send(new GetCommand({ TableName: TABLE, Key: { MysfitId: 'm' } }));
      throw new TypeError("Cannot read properties of undefined (reading 'Likes')");
    },
  },
  {
    name: 'a Firehose batch',
    arrange: () => answer('PutRecordBatch', { status: 200, body: { FailedPutCount: 0, RequestResponses: [{ RecordId: 'r1' }] } }),
    run: ({ firehose }) =>
      firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: STREAM, Records: [{ Data: Buffer.from('{}\n') }] })),
  },
];

// ------------------------------------------------------------------ the two tracers

const lambdaEnvironment = {
  _HANDLER: HANDLER,
  _X_AMZN_TRACE_ID: `Root=${TRACE_ROOT};Parent=${FUNCTION_SEGMENT};Sampled=1`,
  AWS_REGION: 'us-east-1',
  POWERTOOLS_SERVICE_NAME: 'mysfits',
};

let daemon: XRayDaemon;
type Handler = (event: object, context: Context) => Promise<unknown>;
let ours: Handler;
let powertools: Handler;

beforeAll(async () => {
  daemon = await startXRayDaemon();
  const env = {
    ...lambdaEnvironment,
    AWS_XRAY_DAEMON_ADDRESS: daemon.address,
    LAMBDA_TASK_ROOT: '/var/task',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
  };
  Object.assign(process.env, lambdaEnvironment, { AWS_XRAY_DAEMON_ADDRESS: daemon.address });

  const ourClients: Clients = {
    dynamodb: DynamoDBDocumentClient.from(captureClient(new DynamoDBClient(clientOptions), 'DynamoDB')),
    firehose: captureClient(new FirehoseClient(clientOptions), 'Firehose'),
  };
  ours = withTraceContext(
    middy<Invocation, unknown, Error, Context>()
      .use(
        traceInvocation(
          () => 'POST /mysfits/{mysfitId}/like',
          (_result, error) => (error ? 500 : 200),
        ),
      )
      .handler((event) => event.run(ourClients)),
  ) as Handler;

  // Powertools Tracer as its documentation has it, loaded as a Lambda cold start loads it.
  const { Tracer, captureLambdaHandler } = await coldStart(env, async () => ({
    ...(await import('@aws-lambda-powertools/tracer')),
    ...(await import('@aws-lambda-powertools/tracer/middleware')),
  }));
  Object.assign(process.env, env);
  const tracer = new Tracer({ serviceName: 'mysfits', captureHTTPsRequests: false });
  const theirClients: Clients = {
    dynamodb: DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient(clientOptions))),
    firehose: tracer.captureAWSv3Client(new FirehoseClient(clientOptions)),
  };
  powertools = middy<Invocation, unknown, Error, Context>()
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .handler((event) => event.run(theirClients)) as Handler;
  // Both past their cold start (each counts its own; ours is tested in tracing.test.ts), so the annotation compares.
  for (const handler of [ours, powertools]) await handler({ run: async () => undefined }, context);
  await daemon.received(2);
});

afterAll(async () => {
  for (const name of [
    ...Object.keys(lambdaEnvironment),
    'AWS_XRAY_DAEMON_ADDRESS',
    'LAMBDA_TASK_ROOT',
    'AWS_EXECUTION_ENV',
    'AWS_XRAY_CONTEXT_MISSING',
  ]) {
    delete process.env[name];
  }
  await daemon.close();
});

const context = { awsRequestId: 'request-1', functionName: 'mysfits-test-likeMysfit' } as Context;

/** The documents one invocation sends, in the order their calls started. */
async function traced(handler: Handler, scenario: (typeof scenarios)[number], expected: number): Promise<Subsegment[]> {
  daemon.clear();
  scenario.arrange();
  await handler({ run: scenario.run }, context).catch(() => undefined);
  const documents = await daemon.received(expected);
  // The handler first (it opens before its calls, possibly in the same millisecond), then the calls as they started.
  const isHandler = (d: Subsegment) => (d.name.startsWith('## ') ? 0 : 1);
  return documents.sort((a, b) => isHandler(a) - isHandler(b) || a.start_time - b.start_time);
}

// ------------------------------------------------------------------ what is compared

/** Fields that differ by nature (ids, times) or by a choice this module states (each says why). */
const NOT_COMPARED = new Set([
  'id',
  'start_time',
  'end_time',
  'parent_id', // compared as a role below: the function's segment, or the handler's subsegment
  'cause.working_directory',
  'cause.exceptions.id',
  'cause.exceptions.stack', // frames of the SDK's own internals: the type and message say what happened
  'aws.retries', // the X-Ray SDK writes the number of attempts there; X-Ray's documentation says retries
  'http.response.content_length',
  'in_progress',
]);

/** Fields only this module writes, on purpose. */
const OURS_ONLY = new Set(['annotations.route', 'annotations.outcome', 'annotations.status', 'aws.stream_name']);

function flatten(value: unknown, prefix = '', into: Map<string, unknown> = new Map()): Map<string, unknown> {
  if (Array.isArray(value) && value.every((item) => item && typeof item === 'object')) {
    value.forEach((item) => flatten(item, prefix, into));
  } else if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, item] of Object.entries(value)) flatten(item, prefix ? `${prefix}.${key}` : key, into);
  } else if (![...NOT_COMPARED].some((field) => prefix === field || prefix.startsWith(`${field}.`))) {
    into.set(prefix, value);
  }
  return into;
}

function comparable(documents: Subsegment[]) {
  const handler = documents.find((d) => d.name.startsWith('## '));
  return documents.map((document) => ({
    fields: Object.fromEntries(flatten(document)),
    parent:
      document.parent_id === FUNCTION_SEGMENT ? 'function segment' : document.parent_id === handler?.id ? 'handler' : document.parent_id,
    timesInOrder:
      document.end_time >= document.start_time &&
      (document === handler || (document.start_time >= (handler?.start_time ?? Infinity) && document.end_time <= (handler?.end_time ?? 0))),
  }));
}

describe.each(scenarios)('$name', (scenario) => {
  test('sends what Powertools Tracer sends, field for field', async () => {
    // Arrange: Powertools first, to know how many documents to wait for
    const reference = await traced(powertools, scenario, 1);
    // Act
    const mine = await traced(ours, scenario, reference.length);
    // Assert: the same documents, each with every field of the reference, and only the stated extras
    expect(reference.length).toBeGreaterThanOrEqual(1);
    const theirs = comparable(reference);
    const ourDocs = comparable(mine);
    expect(ourDocs.map((d) => d.parent)).toEqual(theirs.map((d) => d.parent));
    ourDocs.forEach((document, index) => {
      const expected = theirs[index]?.fields ?? {};
      const extras = Object.keys(document.fields).filter((field) => !(field in expected));
      expect(extras.filter((field) => !OURS_ONLY.has(field))).toEqual([]);
      const shared = Object.fromEntries(Object.entries(document.fields).filter(([field]) => field in expected));
      expect(shared).toEqual(expected);
      expect(document.timesInOrder).toBe(true);
      expect(theirs[index]?.timesInOrder).toBe(true);
    });
    expect(mine.every((d) => d.trace_id === TRACE_ROOT)).toBe(true);
  });
});

test('the comparison fails on a drift: a changed field or an unstated extra', () => {
  const base = {
    type: 'subsegment',
    id: 'a',
    trace_id: TRACE_ROOT,
    parent_id: FUNCTION_SEGMENT,
    name: 'DynamoDB',
    start_time: 1,
    end_time: 2,
  } as Subsegment;
  const flat = (d: Subsegment) => Object.fromEntries(flatten(d));
  expect(flat({ ...base, aws: { operation: 'GetItem' } })).not.toEqual(flat({ ...base, aws: { operation: 'getItem' } }));
  expect(Object.keys(flat({ ...base, fault: true })).filter((f) => !OURS_ONLY.has(f))).toContain('fault');
  expect(Object.keys(flat({ ...base, aws: { stream_name: 's' } })).filter((f) => !OURS_ONLY.has(f))).not.toContain('aws.stream_name');
});

test('overlapping invocations with different traces (Lambda serving several at once): each document in its own trace', async () => {
  // Arrange: Lambda's per-invocation store, as the runtime sets it up when it runs invocations concurrently
  const store = await InvokeStore.getInstanceAsync(true);
  const traceOf = (n: number) => `1-6747a2f0-00000000000000000000000${n}`;
  const header = (n: number) => `Root=${traceOf(n)};Parent=${String(n).repeat(16)};Sampled=1`;
  answer('GetItem', { status: 200, body: {} });
  daemon.clear();
  delete process.env._X_AMZN_TRACE_ID;
  const slowRead = async ({ dynamodb }: Clients) => {
    await dynamodb.send(new GetCommand({ TableName: TABLE, Key: { MysfitId: 'm' } }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await dynamodb.send(new GetCommand({ TableName: TABLE, Key: { MysfitId: 'm' } }));
  };
  try {
    // Act: two invocations whose calls interleave
    await Promise.all(
      [1, 2].map((n) => store.run({ [InvokeStoreBase.PROTECTED_KEYS.X_RAY_TRACE_ID]: header(n) }, () => ours({ run: slowRead }, context))),
    );
  } finally {
    process.env._X_AMZN_TRACE_ID = lambdaEnvironment._X_AMZN_TRACE_ID;
  }
  const documents = await daemon.received(6);
  // Assert: each trace has its handler (under its own parent) and its two calls under that handler
  expect(documents).toHaveLength(6);
  for (const n of [1, 2]) {
    const trace = documents.filter((d) => d.trace_id === traceOf(n));
    const handler = trace.find((d) => d.name.startsWith('## '));
    expect(trace).toHaveLength(3);
    expect(handler?.parent_id).toBe(String(n).repeat(16));
    expect(trace.filter((d) => d.name === 'DynamoDB').map((d) => d.parent_id)).toEqual([handler?.id, handler?.id]);
  }
});
