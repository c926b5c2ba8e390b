/**
 * X-Ray inside an invocation (shared/tracing.ts): the `## handler` subsegment each route sends to the daemon, with
 * its route and outcome, only when the invocation is sampled and a daemon is there. (The SDK calls' subsegments need
 * the real SDK: tests/integration/tracing.test.ts.)
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { eventFor, invoke, sampleEvent } from '../../dev/sampleEvents';
import { handler as getMysfit } from '../../functions/getMysfit';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { jwksFetcher } from '../../shared/idToken';
import { daemonAddress, traceHeader, traceInvocation, withTraceContext } from '../../shared/tracing';
import { coldStart } from '../support/coldStart';
import { mysfitItem } from '../support/fixtures';
import { mockDocumentClient } from '../support/routeCases';
import { FUNCTION_SEGMENT, startXRayDaemon, TRACE_ROOT, tracedInvocation, untraced, type XRayDaemon } from '../support/xrayDaemon';

const ddb = mockDocumentClient();
let daemon: XRayDaemon;

beforeAll(async () => {
  daemon = await startXRayDaemon();
});
afterAll(async () => {
  untraced();
  await daemon.close();
});
beforeEach(() => daemon.clear());

test('the trace header and the daemon address are read as Lambda writes them', () => {
  const header = (value: string) => traceHeader(Object.fromEntries(value.split(';').map((part) => part.split('=', 2))));
  expect(header(`Root=${TRACE_ROOT};Parent=${FUNCTION_SEGMENT};Sampled=1`)).toEqual({
    root: TRACE_ROOT,
    parent: FUNCTION_SEGMENT,
    sampled: true,
  });
  expect(header(`Root=${TRACE_ROOT};Parent=${FUNCTION_SEGMENT};Sampled=0`)?.sampled).toBe(false);
  expect(header('Root=only')).toBeUndefined();
  expect(traceHeader(undefined)).toBeUndefined();
  // By default, from the environment (or Lambda's per-invocation store: below).
  process.env._X_AMZN_TRACE_ID = `Root=${TRACE_ROOT};Parent=${FUNCTION_SEGMENT};Sampled=1`;
  expect(traceHeader()).toEqual({ root: TRACE_ROOT, parent: FUNCTION_SEGMENT, sampled: true });
  untraced();
  expect(daemonAddress('169.254.79.129:2000')).toEqual({ host: '169.254.79.129', port: 2000 });
  expect(daemonAddress('tcp:10.0.0.1:2000 udp:10.0.0.2:2001')).toEqual({ host: '10.0.0.2', port: 2001 });
  expect(daemonAddress('nonsense')).toBeUndefined();
});

test.each([
  { outcome: 'success', status: 200, arrange: () => ddb.on(GetCommand).resolves({ Item: mysfitItem() }), flag: {} },
  { outcome: 'client error', status: 404, arrange: () => ddb.on(GetCommand).resolves({}), flag: { error: true } },
  { outcome: 'server error', status: 500, arrange: () => ddb.on(GetCommand).rejects(new TypeError('boom')), flag: { fault: true } },
])(
  'a sampled invocation sends `## handler` under the function segment, annotated $outcome ($status)',
  async ({ outcome, status, arrange, flag }) => {
    // Arrange
    arrange();
    tracedInvocation(daemon);
    // Act
    const res = await invoke(getMysfit, sampleEvent('getMysfit'));
    const documents = await daemon.received(1);
    // Assert
    expect(res.statusCode).toBe(status);
    expect(documents).toHaveLength(1);
    const [handler] = documents;
    expect(handler).toMatchObject({
      type: 'subsegment',
      name: '## handler',
      trace_id: TRACE_ROOT,
      parent_id: FUNCTION_SEGMENT,
      annotations: { route: 'GET /mysfits/{mysfitId}', outcome, status, Service: 'mysfits' },
      ...flag,
    });
    expect(handler?.id).toMatch(/^[0-9a-f]{16}$/);
    expect(handler?.end_time).toBeGreaterThanOrEqual(handler?.start_time ?? Infinity);
    expect(handler?.start_time).toBeCloseTo(Date.now() / 1000, -1);
  },
);

test('an invocation that is not sampled, or has no daemon, sends nothing and answers the same', async () => {
  ddb.on(GetCommand).resolves({ Item: mysfitItem() });
  tracedInvocation(daemon, false);
  expect((await invoke(getMysfit, sampleEvent('getMysfit'))).statusCode).toBe(200);
  untraced();
  expect((await invoke(getMysfit, eventFor('getMysfit'))).statusCode).toBe(200);
  expect(await daemon.received(1)).toEqual([]);
});

test("the function's request log carries the trace id, so one request is followed from the access log to the trace", async () => {
  // Arrange: the handler as a cold start loads it, logging at INFO
  const fresh = (await coldStart({ POWERTOOLS_LOG_LEVEL: 'INFO' }, () => import('../../functions/getMysfit'))).handler;
  ddb.on(GetCommand).resolves({ Item: mysfitItem() });
  tracedInvocation(daemon);
  const lines: string[] = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true));
  // Act
  try {
    await invoke(fresh, sampleEvent('getMysfit'));
  } finally {
    jest.restoreAllMocks();
  }
  // Assert
  const request = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.message === 'request');
  expect(request).toMatchObject({ xray_trace_id: TRACE_ROOT, requestId: expect.any(String), apiRequestId: expect.any(String) });
});

test("a handler that fails carries its exception, as X-Ray's cause (not remote: it is the function's own)", async () => {
  // Arrange
  ddb.on(GetCommand).rejects(new TypeError('boom'));
  tracedInvocation(daemon);
  // Act
  await invoke(getMysfit, sampleEvent('getMysfit'));
  const [handler] = await daemon.received(1);
  // Assert
  expect(handler).toMatchObject({ fault: true, cause: { working_directory: process.cwd() } });
  expect(handler?.cause?.exceptions).toEqual([
    { id: expect.stringMatching(/^[0-9a-f]{16}$/), type: 'TypeError', message: 'boom', remote: false },
  ]);
});

describe("the pool's JWKS fetch is a remote subsegment of the handler's", () => {
  const JWKS = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TEST00001/.well-known/jwks.json';
  const fetching = withTraceContext(
    middy()
      .use(
        traceInvocation(
          () => 'POST /clicks',
          (_result, error) => (error ? 500 : 200),
        ),
      )
      .handler(() => jwksFetcher.fetch(JWKS).catch(() => undefined)),
  );
  afterEach(() => jest.restoreAllMocks());

  test.each([
    { answer: () => Promise.resolve(new Response('{"keys":[]}')), status: 200, flags: {} },
    { answer: () => Promise.resolve(new Response('no', { status: 503 })), status: 503, flags: { fault: true } },
  ])('answered $status', async ({ answer, status, flags }) => {
    // Arrange
    jest.spyOn(global, 'fetch').mockImplementation(answer);
    tracedInvocation(daemon);
    // Act
    await fetching({}, {} as Context);
    const documents = await daemon.received(2);
    // Assert
    const handler = documents.find((d) => d.name.startsWith('## '));
    const call = documents.find((d) => d.namespace === 'remote');
    expect(call).toMatchObject({
      name: 'cognito-idp.us-east-1.amazonaws.com',
      parent_id: handler?.id,
      trace_id: TRACE_ROOT,
      http: { request: { url: JWKS, method: 'GET' }, response: { status } },
      ...flags,
    });
  });

  test('not answered at all: a fault with its remote cause', async () => {
    jest.spyOn(global, 'fetch').mockRejectedValue(new TypeError('fetch failed'));
    tracedInvocation(daemon);
    await fetching({}, {} as Context);
    const call = (await daemon.received(2)).find((d) => d.namespace === 'remote');
    expect(call).toMatchObject({ fault: true, http: { request: { url: JWKS, method: 'GET' } } });
    expect(call?.cause?.exceptions[0]).toMatchObject({ type: 'TypeError', message: 'fetch failed', remote: true });
  });
});
