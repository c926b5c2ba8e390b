/**
 * The delivery stream's transformation: each click gets its mysfit's name, species and alignment from one batched
 * read per invocation (cached across invocations); an unknown id or a record that is not a click is ProcessingFailed
 * on its own; the output is newline-delimited JSON.
 */
import type { BatchGetCommandInput } from '@aws-sdk/lib-dynamodb';
import type { FirehoseTransformationEvent, FirehoseTransformationResult, FirehoseTransformationResultRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { handler as Handler } from '../../functions/enrichClicks';
import { SEED_MYSFITS } from '../../dev/seed';
import { AWS_INTERNAL_DETAIL, MYSFITS_TABLE, MYSFIT_ID, USER_ID, UNAVAILABLE_FAILURES } from '../support/fixtures';
import { context, transformationEvent } from '../../dev/sampleEvents';
import { coldStart } from '../support/coldStart';

// Each test starts a new instance of the function (its cache empty), with the DynamoDB client of that instance mocked.
let handler: typeof Handler;
type Sdk = typeof import('@aws-sdk/lib-dynamodb');
const mockOf = (sdk: Sdk) => mockClient(sdk.DynamoDBDocumentClient);
let BatchGetCommand: Sdk['BatchGetCommand'];
let ddb: ReturnType<typeof mockOf>;

/** The twelve mysfits of the seed data, as the mysfits table holds them. */
const MYSFITS = SEED_MYSFITS;
const TABLE = new Map(
  MYSFITS.map((m) => [m.mysfitId, { MysfitId: m.mysfitId, Name: m.name, Species: m.species, GoodEvil: m.goodevil, LawChaos: m.lawchaos }]),
);
const PAULY = '2b473002-36f8-4b87-954e-9a377e0ccbec';
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const EVANGELINE = { name: 'Evangeline', species: 'Chimera', goodevil: 'Evil', lawchaos: 'Lawful' };
const PAULY_ATTRIBUTES = { name: 'Pauly', species: 'Cyclops', goodevil: 'Neutral', lawchaos: 'Lawful' };

const PROJECTION = { ProjectionExpression: 'MysfitId, #name, Species, GoodEvil, LawChaos', ExpressionAttributeNames: { '#name': 'Name' } };

/** BatchGetItem against TABLE: the requested keys that exist, nothing unprocessed. */
function answerFromTable(input: BatchGetCommandInput) {
  const keys = input.RequestItems?.[MYSFITS_TABLE]?.Keys ?? [];
  return { Responses: { [MYSFITS_TABLE]: keys.flatMap((key) => TABLE.get(String(key.MysfitId)) ?? []) }, UnprocessedKeys: {} };
}

beforeEach(async () => {
  const instance = await coldStart({}, async () => ({
    fn: await import('../../functions/enrichClicks'),
    sdk: await import('@aws-sdk/lib-dynamodb'),
  }));
  handler = instance.fn.handler;
  BatchGetCommand = instance.sdk.BatchGetCommand;
  ddb = mockOf(instance.sdk);
});

afterEach(() => jest.useRealTimers());

// ------------------------------------------------------------------ helpers

const encode = (value: unknown) => Buffer.from(typeof value === 'string' ? value : `${JSON.stringify(value)}\n`).toString('base64');
const decode = (data: string | undefined) => Buffer.from(data ?? '', 'base64').toString('utf8');

/** A click record as POST /clicks writes it. */
const click = (fields: Record<string, unknown>) => ({
  eventTime: '2026-11-27T14:04:51.250Z',
  receivedAt: '2026-11-27T14:05:00.000Z',
  userId: USER_ID,
  signedIn: true,
  ...fields,
});
const viewOf = (mysfitId: string) => click({ action: 'view', mysfitId });

/** A transformation event of these record payloads (objects become JSON lines; strings are sent as they are). */
function eventOf(...payloads: unknown[]): FirehoseTransformationEvent {
  const sample = transformationEvent('enrichClicks');
  return {
    ...sample,
    records: payloads.map((payload, i) => ({
      recordId: `record-${i}`,
      approximateArrivalTimestamp: 1795788300412 + i,
      data: encode(payload),
    })),
  };
}

async function transform(event: FirehoseTransformationEvent): Promise<FirehoseTransformationResult> {
  const result = await handler(event, context);
  if (!result) throw new Error('the handler returned nothing');
  return result;
}

/** The keys each BatchGetItem asked for, in order. */
const keysRead = () =>
  ddb
    .commandCalls(BatchGetCommand)
    .map((call) => (call.args[0].input.RequestItems?.[MYSFITS_TABLE]?.Keys ?? []).map((key) => String(key.MysfitId)));

const failed = (record: { recordId: string; data: string }): FirehoseTransformationResultRecord => ({
  recordId: record.recordId,
  result: 'ProcessingFailed',
  data: record.data,
});

// ------------------------------------------------------------------ the sample event

describe('the sample event (two known mysfits, one unknown)', () => {
  test("known mysfits' clicks are Ok with their attributes, as base64 JSON lines; the unknown one is ProcessingFailed as it came", async () => {
    // Arrange
    ddb.on(BatchGetCommand).callsFake(answerFromTable);
    const event = transformationEvent('enrichClicks');
    const [evangeline, pauly, unknown] = event.records.map((r) => JSON.parse(decode(r.data)) as Record<string, unknown>);
    // Act
    const result = await transform(event);
    // Assert
    expect(result.records.map((r) => [r.recordId, r.result])).toEqual(
      event.records.map((r, i) => [r.recordId, i < 2 ? 'Ok' : 'ProcessingFailed']),
    );
    const [first, second, third] = result.records;
    expect(decode(first?.data)).toMatch(/^\{[^\n]*\}\n$/);
    expect(decode(second?.data)).toMatch(/^\{[^\n]*\}\n$/);
    expect(JSON.parse(decode(first?.data))).toEqual({ ...evangeline, ...EVANGELINE });
    expect(JSON.parse(decode(second?.data))).toEqual({ ...pauly, ...PAULY_ATTRIBUTES });
    expect(third).toEqual(failed(event.records[2]!));
    expect(unknown?.mysfitId).toBe(UNKNOWN_ID);
  });

  test('reads the three ids in one BatchGetItem of the mysfits table, projecting only what it adds', async () => {
    // Arrange
    ddb.on(BatchGetCommand).callsFake(answerFromTable);
    // Act
    await transform(transformationEvent('enrichClicks'));
    // Assert
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(BatchGetCommand, {
      RequestItems: { [MYSFITS_TABLE]: { Keys: [{ MysfitId: MYSFIT_ID }, { MysfitId: PAULY }, { MysfitId: UNKNOWN_ID }], ...PROJECTION } },
    });
  });
});

// ------------------------------------------------------------------ records

describe('each record', () => {
  test('a filter click passes through unchanged (as a JSON line) without a read', async () => {
    // Arrange
    const filter = click({ action: 'filter', filter: 'GoodEvil', value: 'Evil' });
    // Act
    const result = await transform(eventOf(filter, filter));
    // Assert
    expect(result.records.map((r) => r.result)).toEqual(['Ok', 'Ok']);
    expect(result.records.map((r) => decode(r.data))).toEqual([`${JSON.stringify(filter)}\n`, `${JSON.stringify(filter)}\n`]);
    expect(ddb.calls()).toHaveLength(0);
  });

  test('every action on a mysfit is enriched', async () => {
    // Arrange
    ddb.on(BatchGetCommand).callsFake(answerFromTable);
    const clicks = ['view', 'like', 'unlike', 'adopt'].map((action) => click({ action, mysfitId: PAULY }));
    // Act
    const result = await transform(eventOf(...clicks));
    // Assert
    expect(result.records.map((r) => JSON.parse(decode(r.data)) as unknown)).toEqual(clicks.map((c) => ({ ...c, ...PAULY_ATTRIBUTES })));
  });

  test.each<[string, unknown]>([
    ['not JSON', 'view Evangeline\n'],
    ['JSON that is not an object', '42\n'],
    ['a JSON list', '[{"action":"view"}]\n'],
    ['JSON null', 'null\n'],
    ['an object without an action', { userId: USER_ID, mysfitId: MYSFIT_ID }],
    ['an action that is not a string', { userId: USER_ID, action: 7 }],
  ])('%s is ProcessingFailed with its original data; the others are Ok', async (_description, payload) => {
    // Arrange
    ddb.on(BatchGetCommand).callsFake(answerFromTable);
    const event = eventOf(viewOf(MYSFIT_ID), payload, viewOf(PAULY));
    // Act
    const result = await transform(event);
    // Assert
    expect(result.records.map((r) => r.result)).toEqual(['Ok', 'ProcessingFailed', 'Ok']);
    expect(result.records[1]).toEqual(failed(event.records[1]!));
  });

  test('an unknown mysfit id is ProcessingFailed with its original data, and does not fail the batch', async () => {
    // Arrange
    ddb.on(BatchGetCommand).callsFake(answerFromTable);
    const event = eventOf(viewOf(UNKNOWN_ID), viewOf(MYSFIT_ID), viewOf(UNKNOWN_ID));
    // Act
    const result = await transform(event);
    // Assert
    expect(result.records).toEqual([
      failed(event.records[0]!),
      { recordId: 'record-1', result: 'Ok', data: encode({ ...viewOf(MYSFIT_ID), ...EVANGELINE }) },
      failed(event.records[2]!),
    ]);
  });

  test('a mysfit id that is not a string is ProcessingFailed without a read', async () => {
    // Arrange
    ddb.on(BatchGetCommand).callsFake(answerFromTable);
    const event = eventOf(click({ action: 'view', mysfitId: 42 }));
    // Act
    const result = await transform(event);
    // Assert
    expect(result.records).toEqual([failed(event.records[0]!)]);
    expect(ddb.calls()).toHaveLength(0);
  });

  test('every record of the event is answered once, by its recordId, in order', async () => {
    // Arrange
    ddb.on(BatchGetCommand).callsFake(answerFromTable);
    const event = eventOf(...MYSFITS.map((m) => viewOf(m.mysfitId)), 'garbage', viewOf(UNKNOWN_ID));
    // Act
    const result = await transform(event);
    // Assert
    expect(result.records.map((r) => r.recordId)).toEqual(event.records.map((r) => r.recordId));
  });
});

// ------------------------------------------------------------------ reads

describe('reading the mysfits', () => {
  test('many records with repeated ids are ONE BatchGetItem of the unique ids', async () => {
    // Arrange
    ddb.on(BatchGetCommand).callsFake(answerFromTable);
    const ids = [MYSFIT_ID, PAULY, MYSFIT_ID, UNKNOWN_ID, PAULY, MYSFIT_ID, UNKNOWN_ID];
    // Act
    const result = await transform(eventOf(...ids.map(viewOf)));
    // Assert
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 1);
    expect(keysRead()).toEqual([[MYSFIT_ID, PAULY, UNKNOWN_ID]]);
    expect(ddb).toHaveReceivedCommandWith(BatchGetCommand, { RequestItems: { [MYSFITS_TABLE]: expect.objectContaining(PROJECTION) } });
    expect(result.records.map((r) => r.result)).toEqual(['Ok', 'Ok', 'Ok', 'ProcessingFailed', 'Ok', 'Ok', 'ProcessingFailed']);
  });

  test('a second invocation with the same ids reads nothing (the cache outlives the invocation), unknown ids included', async () => {
    // Arrange
    ddb.on(BatchGetCommand).callsFake(answerFromTable);
    const event = eventOf(viewOf(MYSFIT_ID), viewOf(PAULY), viewOf(UNKNOWN_ID));
    const first = await transform(event);
    // Act
    const second = await transform(event);
    // Assert
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 1);
    expect(second).toEqual(first);
  });

  test('a later invocation reads only the ids it has not seen', async () => {
    // Arrange
    ddb.on(BatchGetCommand).callsFake(answerFromTable);
    await transform(eventOf(viewOf(MYSFIT_ID)));
    // Act
    await transform(eventOf(viewOf(MYSFIT_ID), viewOf(PAULY)));
    // Assert
    expect(keysRead()).toEqual([[MYSFIT_ID], [PAULY]]);
  });

  test.each([
    { what: 'a known mysfit', id: MYSFIT_ID, fresh: 10 * 60_000 - 1, stale: 10 * 60_000 },
    { what: 'an unknown id', id: UNKNOWN_ID, fresh: 60_000 - 1, stale: 60_000 },
  ])('$what is remembered for $stale ms, then read again', async ({ id, fresh, stale }) => {
    // Arrange
    const start = new Date('2026-11-27T14:05:00.000Z').getTime();
    jest.useFakeTimers({
      now: start,
      doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval'],
    });
    ddb.on(BatchGetCommand).callsFake(answerFromTable);
    await transform(eventOf(viewOf(id)));
    // Act
    jest.setSystemTime(start + fresh);
    await transform(eventOf(viewOf(id)));
    const readsWhileFresh = ddb.commandCalls(BatchGetCommand).length;
    jest.setSystemTime(start + stale);
    await transform(eventOf(viewOf(id)));
    // Assert
    expect(readsWhileFresh).toBe(1);
    expect(keysRead()).toEqual([[id], [id]]);
  });

  test('150 distinct ids are two BatchGetItems, of 100 and 50 keys (the BatchGetItem limit)', async () => {
    // Arrange
    ddb.on(BatchGetCommand).callsFake(answerFromTable);
    const ids = Array.from({ length: 150 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    // Act
    const result = await transform(eventOf(...ids.map(viewOf)));
    // Assert
    expect(keysRead().map((keys) => keys.length)).toEqual([100, 50]);
    expect(keysRead().flat()).toEqual(ids);
    expect(result.records).toHaveLength(150);
  });

  test('UnprocessedKeys are read again until every key is read', async () => {
    // Arrange
    const item = (id: string) => TABLE.get(id)!;
    ddb
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { [MYSFITS_TABLE]: [item(MYSFIT_ID)] },
        UnprocessedKeys: { [MYSFITS_TABLE]: { Keys: [{ MysfitId: PAULY }, { MysfitId: UNKNOWN_ID }], ...PROJECTION } },
      })
      .resolvesOnce({
        Responses: { [MYSFITS_TABLE]: [] },
        UnprocessedKeys: { [MYSFITS_TABLE]: { Keys: [{ MysfitId: PAULY }], ...PROJECTION } },
      })
      .resolvesOnce({ Responses: { [MYSFITS_TABLE]: [item(PAULY)] }, UnprocessedKeys: {} });
    // Act
    const result = await transform(eventOf(viewOf(MYSFIT_ID), viewOf(PAULY), viewOf(UNKNOWN_ID)));
    // Assert
    expect(keysRead()).toEqual([[MYSFIT_ID, PAULY, UNKNOWN_ID], [PAULY, UNKNOWN_ID], [PAULY]]);
    expect(result.records.map((r) => r.result)).toEqual(['Ok', 'Ok', 'ProcessingFailed']);
    expect(JSON.parse(decode(result.records[1]?.data))).toEqual({ ...viewOf(PAULY), ...PAULY_ATTRIBUTES });
  });

  test('keys still unprocessed after five reads reject the invocation (Firehose retries the whole batch)', async () => {
    // Arrange
    ddb.on(BatchGetCommand).callsFake((input: BatchGetCommandInput) => ({ Responses: {}, UnprocessedKeys: input.RequestItems }));
    // Act
    const transforming = transform(eventOf(viewOf(MYSFIT_ID)));
    // Assert
    await expect(transforming).rejects.toThrow('1 mysfits could not be read (throttled)');
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 5);
  });

  test.each([
    ...UNAVAILABLE_FAILURES,
    ['an unexpected error', () => new TypeError(`boom ${AWS_INTERNAL_DETAIL}`)] as (typeof UNAVAILABLE_FAILURES)[number],
  ])('a DynamoDB failure (%s) rejects the invocation, so Firehose retries the whole batch', async (_name, failure) => {
    // Arrange
    const error = failure();
    ddb.on(BatchGetCommand).rejects(error);
    // Act
    const transforming = transform(eventOf(viewOf(MYSFIT_ID), viewOf(PAULY)));
    // Assert
    await expect(transforming).rejects.toBe(error);
  });

  test('after a failed read nothing is cached: the next invocation reads again', async () => {
    // Arrange
    ddb.on(BatchGetCommand).rejectsOnce(UNAVAILABLE_FAILURES[0]![1]()).callsFake(answerFromTable);
    await expect(transform(eventOf(viewOf(MYSFIT_ID)))).rejects.toThrow();
    // Act
    const result = await transform(eventOf(viewOf(MYSFIT_ID)));
    // Assert
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 2);
    expect(result.records.map((r) => r.result)).toEqual(['Ok']);
  });
});
