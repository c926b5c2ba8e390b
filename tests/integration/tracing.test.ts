/**
 * The AWS SDK calls' X-Ray subsegments, with the real SDK against DynamoDB Local: a like sends its `## handler` and
 * one `DynamoDB` subsegment per call under it (the transaction, then the read of the count), each naming its
 * operation, table, status and request id.
 */
import { eventFor, invoke } from '../../dev/sampleEvents';
import { handler as likeMysfit } from '../../functions/likeMysfit';
import { SEED_MYSFITS } from '../../dev/seed';
import { FUNCTION_SEGMENT, startXRayDaemon, TRACE_ROOT, tracedInvocation, untraced, type XRayDaemon } from '../support/xrayDaemon';
import { createSeededTables } from './database';

let daemon: XRayDaemon;

beforeAll(async () => {
  await createSeededTables();
  daemon = await startXRayDaemon();
});
afterAll(async () => {
  untraced();
  await daemon.close();
});

test('a like: `## handler`, and under it the transaction and the read, each a DynamoDB subsegment', async () => {
  // Arrange
  const mysfitId = SEED_MYSFITS[0]?.mysfitId as string;
  tracedInvocation(daemon);
  // Act
  const res = await invoke(
    likeMysfit,
    eventFor('likeMysfit', { pathParameters: { mysfitId }, claims: { sub: 'sub-traced', email: 't@example.com', token_use: 'id' } }),
  );
  const documents = await daemon.received(3);
  // Assert
  expect(res.statusCode).toBe(200);
  const handler = documents.find((d) => d.name === '## handler');
  expect(handler).toMatchObject({
    trace_id: TRACE_ROOT,
    parent_id: FUNCTION_SEGMENT,
    annotations: { route: 'POST /mysfits/{mysfitId}/like', outcome: 'success' },
  });
  const calls = documents.filter((d) => d.name === 'DynamoDB').sort((a, b) => a.start_time - b.start_time);
  expect(calls.map((c) => c.aws?.operation)).toEqual(['TransactWriteItems', 'GetItem']);
  for (const call of calls) {
    expect(call).toMatchObject({
      type: 'subsegment',
      namespace: 'aws',
      trace_id: TRACE_ROOT,
      parent_id: handler?.id,
      http: { response: { status: 200 } },
    });
    expect(call.aws?.request_id).toEqual(expect.any(String));
    expect(call.start_time).toBeGreaterThanOrEqual(handler?.start_time ?? Infinity);
    expect(call.end_time).toBeLessThanOrEqual(handler?.end_time ?? 0);
  }
  expect(calls[1]?.aws?.table_name).toBe(process.env.MYSFITS_TABLE);
  expect(documents).toHaveLength(3);
});

test('a failed call is a faulted subsegment with its cause, and the handler a server error', async () => {
  // Arrange: a table that does not exist
  daemon.clear();
  tracedInvocation(daemon);
  const table = process.env.MYSFITS_TABLE;
  process.env.MYSFITS_TABLE = 'no-such-table';
  let documents;
  try {
    // The module read its table name at load: a fresh one reads the wrong name.
    let fresh: typeof likeMysfit | undefined;
    await jest.isolateModulesAsync(async () => {
      fresh = (await import('../../functions/getMysfit')).handler;
    });
    const res = await invoke(fresh as typeof likeMysfit, eventFor('getMysfit'));
    documents = await daemon.received(2);
    expect(res.statusCode).toBe(500);
  } finally {
    process.env.MYSFITS_TABLE = table;
  }
  // Assert
  const call = documents.find((d) => d.name === 'DynamoDB');
  expect(call).toMatchObject({
    error: true,
    aws: { operation: 'GetItem', table_name: 'no-such-table' },
    http: { response: { status: 400 } },
  });
  expect(call?.cause?.exceptions[0]).toMatchObject({ type: 'ResourceNotFoundException' });
  expect(documents.find((d) => d.name === '## handler')).toMatchObject({
    fault: true,
    annotations: { outcome: 'server error', status: 500 },
  });
});
