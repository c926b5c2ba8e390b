/**
 * X-Ray inside an invocation (shared/tracing.ts): the `## handler` subsegment each route sends to the daemon, with
 * its route and outcome, only when the invocation is sampled and a daemon is there. (The SDK calls' subsegments need
 * the real SDK: tests/integration/tracing.test.ts.)
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { eventFor, invoke, sampleEvent } from '../../dev/sampleEvents';
import { handler as getMysfit } from '../../functions/getMysfit';
import { daemonAddress, traceHeader } from '../../shared/tracing';
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
  expect(traceHeader(`Root=${TRACE_ROOT};Parent=${FUNCTION_SEGMENT};Sampled=1`)).toEqual({
    root: TRACE_ROOT,
    parent: FUNCTION_SEGMENT,
    sampled: true,
  });
  expect(traceHeader(`Root=${TRACE_ROOT};Parent=${FUNCTION_SEGMENT};Sampled=0`)?.sampled).toBe(false);
  expect(traceHeader('Root=only')).toBeUndefined();
  expect(traceHeader(undefined)).toBeUndefined();
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
