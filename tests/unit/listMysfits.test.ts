/** GET /mysfits: the whole list (Scan) or one alignment (index Query), every page, validated filters. */
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { handler } from '../../functions/listMysfits';
import { CORS_ORIGIN, MYSFITS_TABLE, UNAVAILABLE_FAILURES, commandsSent, mysfitItem, pageByPage } from '../support/fixtures';
import { call, describeHttpFailures, expectJsonError, mockDocumentClient, type Route } from '../support/routeCases';

const ddb = mockDocumentClient();
const route: Route = { name: 'listMysfits', handler, ddb };

const EVANGELINE = mysfitItem({ Likes: 7 });
const BLUE = mysfitItem({
  MysfitId: 'b41ff031-141e-4a8d-bb56-158a22bea0b3',
  Name: 'Blue',
  Species: 'Dragon',
  Age: 2,
  GoodEvil: 'Evil',
  LawChaos: 'Chaotic',
  Adopted: true,
});
const SNOWFLAKE = mysfitItem({
  MysfitId: '3f0f196c-4a7b-43af-9e29-6522a715342d',
  Name: 'Snowflake',
  Species: 'Yeti',
  Age: 13,
  GoodEvil: 'Good',
  LawChaos: 'Neutral',
});

describe('with the sample event (filter=GoodEvil&value=Evil)', () => {
  test('queries GoodEvilIndex for Evil and returns the mysfits in the workshop field names, by name', async () => {
    // Arrange
    ddb.on(QueryCommand).resolves({ Items: [EVANGELINE, BLUE] });
    // Act
    const res = await call(route);
    // Assert
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['Access-Control-Allow-Origin']).toBe(CORS_ORIGIN);
    expect(res.headers?.['Content-Type']).toBe('application/json');
    expect(res.json).toEqual({
      mysfits: [
        {
          mysfitId: BLUE.MysfitId,
          name: 'Blue',
          species: 'Dragon',
          age: 2,
          description: BLUE.Description,
          goodevil: 'Evil',
          lawchaos: 'Chaotic',
          thumbImageUri: BLUE.ThumbImageUri,
          profileImageUri: BLUE.ProfileImageUri,
          likes: 0,
          adopted: true,
        },
        {
          mysfitId: EVANGELINE.MysfitId,
          name: 'Evangeline',
          species: 'Chimera',
          age: 43,
          description: EVANGELINE.Description,
          goodevil: 'Evil',
          lawchaos: 'Lawful',
          thumbImageUri: EVANGELINE.ThumbImageUri,
          profileImageUri: EVANGELINE.ProfileImageUri,
          likes: 7,
          adopted: false,
        },
      ],
    });
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      TableName: MYSFITS_TABLE,
      IndexName: 'GoodEvilIndex',
      KeyConditionExpression: '#alignment = :value',
      ExpressionAttributeNames: { '#alignment': 'GoodEvil' },
      ExpressionAttributeValues: { ':value': 'Evil' },
    });
    expect(ddb).not.toHaveReceivedCommand(ScanCommand);
  });
});

test.each([
  { filter: 'GoodEvil', value: 'Good', index: 'GoodEvilIndex' },
  { filter: 'GoodEvil', value: 'Neutral', index: 'GoodEvilIndex' },
  { filter: 'GoodEvil', value: 'Evil', index: 'GoodEvilIndex' },
  { filter: 'LawChaos', value: 'Lawful', index: 'LawChaosIndex' },
  { filter: 'LawChaos', value: 'Neutral', index: 'LawChaosIndex' },
  { filter: 'LawChaos', value: 'Chaotic', index: 'LawChaosIndex' },
])('filter=$filter&value=$value queries $index on the $filter attribute', async ({ filter, value, index }) => {
  // Arrange
  ddb.on(QueryCommand).resolves({ Items: [SNOWFLAKE] });
  // Act
  const res = await call(route, { queryStringParameters: { filter, value } });
  // Assert
  expect(res.statusCode).toBe(200);
  expect(res.json).toEqual({ mysfits: [expect.objectContaining({ mysfitId: SNOWFLAKE.MysfitId })] });
  expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
    TableName: MYSFITS_TABLE,
    IndexName: index,
    KeyConditionExpression: '#alignment = :value',
    ExpressionAttributeNames: { '#alignment': filter },
    ExpressionAttributeValues: { ':value': value },
  });
  expect(commandsSent(ddb)).toEqual(['QueryCommand']);
});

test.each([
  ['no query string', null],
  ['a query string without filter or value (a cache buster)', { _: '1795788300000' }],
])('%s scans the whole table', async (_label, queryStringParameters) => {
  // Arrange
  ddb.on(ScanCommand).resolves({ Items: [SNOWFLAKE, EVANGELINE] });
  // Act
  const res = await call(route, { queryStringParameters });
  // Assert
  expect(res.statusCode).toBe(200);
  expect((res.json.mysfits as Array<{ name: string }>).map((m) => m.name)).toEqual(['Evangeline', 'Snowflake']);
  expect(ddb).toHaveReceivedCommandTimes(ScanCommand, 1);
  expect(ddb).toHaveReceivedCommandWith(ScanCommand, { TableName: MYSFITS_TABLE });
  expect(ddb).not.toHaveReceivedCommand(QueryCommand);
});

test('an empty table is an empty list, not a 404', async () => {
  // Arrange
  ddb.on(ScanCommand).resolves({ Items: [] });
  // Act
  const res = await call(route, { queryStringParameters: null });
  // Assert
  expect(res.statusCode).toBe(200);
  expect(res.json).toEqual({ mysfits: [] });
});

test('a mysfit the legacy service wrote without Likes or Adopted shows 0 likes, not adopted', async () => {
  // Arrange
  const legacy: Record<string, unknown> = { ...SNOWFLAKE };
  delete legacy.Likes;
  delete legacy.Adopted;
  ddb.on(ScanCommand).resolves({ Items: [legacy] });
  // Act
  const res = await call(route, { queryStringParameters: null });
  // Assert
  expect(res.json).toEqual({ mysfits: [expect.objectContaining({ likes: 0, adopted: false })] });
});

test('mysfits with the same name are ordered by id, so the order is stable', async () => {
  // Arrange
  const twinB = mysfitItem({ MysfitId: 'bbbbbbbb-0000-4000-8000-000000000000', Name: 'Twin' });
  const twinA = mysfitItem({ MysfitId: 'aaaaaaaa-0000-4000-8000-000000000000', Name: 'Twin' });
  ddb.on(ScanCommand).resolves({ Items: [twinB, twinA] });
  // Act
  const res = await call(route, { queryStringParameters: null });
  // Assert
  expect((res.json.mysfits as Array<{ mysfitId: string }>).map((m) => m.mysfitId)).toEqual([twinA.MysfitId, twinB.MysfitId]);
});

describe('pagination: every page is read, so the list is whole', () => {
  test('a Scan follows LastEvaluatedKey across three pages', async () => {
    // Arrange
    const scan = pageByPage(
      { Items: [EVANGELINE], LastEvaluatedKey: { MysfitId: EVANGELINE.MysfitId } },
      { Items: [BLUE], LastEvaluatedKey: { MysfitId: BLUE.MysfitId } },
      { Items: [SNOWFLAKE] },
    );
    ddb.on(ScanCommand).callsFake(scan.respond);
    // Act
    const res = await call(route, { queryStringParameters: null });
    // Assert
    expect(res.statusCode).toBe(200);
    expect((res.json.mysfits as Array<{ name: string }>).map((m) => m.name)).toEqual(['Blue', 'Evangeline', 'Snowflake']);
    expect(ddb).toHaveReceivedCommandTimes(ScanCommand, 3);
    expect(ddb).toHaveReceivedCommandWith(ScanCommand, { TableName: MYSFITS_TABLE });
    expect(scan.startKeys).toEqual([undefined, { MysfitId: EVANGELINE.MysfitId }, { MysfitId: BLUE.MysfitId }]);
  });

  test('an index Query follows LastEvaluatedKey across two pages', async () => {
    // Arrange
    const pageKey = { GoodEvil: 'Evil', MysfitId: BLUE.MysfitId };
    const query = pageByPage({ Items: [BLUE], LastEvaluatedKey: pageKey }, { Items: [EVANGELINE] });
    ddb.on(QueryCommand).callsFake(query.respond);
    // Act
    const res = await call(route);
    // Assert
    expect((res.json.mysfits as Array<{ name: string }>).map((m) => m.name)).toEqual(['Blue', 'Evangeline']);
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 2);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, { IndexName: 'GoodEvilIndex', ExpressionAttributeValues: { ':value': 'Evil' } });
    expect(query.startKeys).toEqual([undefined, pageKey]);
  });
});

describe('a page at a time: limit and cursor', () => {
  const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  test('limit asks DynamoDB for that many, and a nextCursor says where the next page starts', async () => {
    // Arrange
    ddb.on(ScanCommand).resolves({ Items: [EVANGELINE, BLUE], LastEvaluatedKey: { MysfitId: BLUE.MysfitId } });
    // Act
    const res = await call(route, { queryStringParameters: { limit: '2' } });
    // Assert
    expect(res.statusCode).toBe(200);
    expect((res.json.mysfits as Array<{ name: string }>).map((m) => m.name)).toEqual(['Blue', 'Evangeline']);
    expect(ddb).toHaveReceivedCommandTimes(ScanCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(ScanCommand, { TableName: MYSFITS_TABLE, Limit: 2 });
    expect(res.json.nextCursor).toEqual(expect.any(String));
  });

  test('its nextCursor, given back, goes on from where the page ended; the last page has none', async () => {
    // Arrange
    ddb
      .on(ScanCommand)
      .resolvesOnce({ Items: [EVANGELINE], LastEvaluatedKey: { MysfitId: EVANGELINE.MysfitId } })
      .resolvesOnce({ Items: [BLUE] });
    const first = await call(route, { queryStringParameters: { limit: '1' } });
    // Act
    const second = await call(route, { queryStringParameters: { limit: '1', cursor: String(first.json.nextCursor) } });
    // Assert
    expect(ddb.commandCalls(ScanCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual({ MysfitId: EVANGELINE.MysfitId });
    expect(second.json).toEqual({ mysfits: [expect.objectContaining({ name: 'Blue' })] });
  });

  test('with a filter, the index key is in the cursor and the query goes on from it', async () => {
    const pageKey = { GoodEvil: 'Evil', MysfitId: BLUE.MysfitId };
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [BLUE], LastEvaluatedKey: pageKey })
      .resolvesOnce({ Items: [EVANGELINE] });
    const first = await call(route, { queryStringParameters: { filter: 'GoodEvil', value: 'Evil', limit: '1' } });
    await call(route, { queryStringParameters: { filter: 'GoodEvil', value: 'Evil', limit: '1', cursor: String(first.json.nextCursor) } });
    expect(ddb.commandCalls(QueryCommand)[1]?.args[0].input).toMatchObject({
      Limit: 1,
      ExclusiveStartKey: pageKey,
      IndexName: 'GoodEvilIndex',
    });
  });

  test(`without a limit, at most ${1000} mysfits, with a nextCursor beyond them`, async () => {
    // Arrange: pages of 400 from a table far larger
    const many = (n: number, from: number) =>
      Array.from({ length: n }, (_, i) =>
        mysfitItem({ MysfitId: `00000000-0000-4000-8000-${String(from + i).padStart(12, '0')}`, Name: `M${from + i}` }),
      );
    ddb
      .on(ScanCommand)
      .resolvesOnce({ Items: many(400, 0), LastEvaluatedKey: { MysfitId: 'a' } })
      .resolvesOnce({ Items: many(400, 400), LastEvaluatedKey: { MysfitId: 'b' } })
      .resolvesOnce({ Items: many(200, 800), LastEvaluatedKey: { MysfitId: '00000000-0000-4000-8000-000000000999' } });
    // Act
    const res = await call(route, { queryStringParameters: null });
    // Assert
    expect((res.json.mysfits as unknown[]).length).toBe(1000);
    expect(ddb.commandCalls(ScanCommand).map((c) => c.args[0].input.Limit)).toEqual([1000, 600, 200]);
    expect(res.json.nextCursor).toEqual(expect.any(String));
  });

  test.each<{ description: string; query: Record<string, string>; problem: string }>([
    { description: 'limit 0', query: { limit: '0' }, problem: 'limit must be a whole number from 1 to 100' },
    { description: 'limit 101', query: { limit: '101' }, problem: 'limit must be a whole number from 1 to 100' },
    { description: 'a limit that is not a number', query: { limit: 'ten' }, problem: 'limit must be a whole number from 1 to 100' },
    { description: 'a fractional limit', query: { limit: '1.5' }, problem: 'limit must be a whole number from 1 to 100' },
    { description: 'a negative limit', query: { limit: '-3' }, problem: 'limit must be a whole number from 1 to 100' },
    { description: 'a cursor that is not base64 JSON', query: { cursor: 'not-a-cursor' }, problem: 'cursor is not one this list gave' },
    {
      description: 'a cursor of another list (a filter)',
      query: { cursor: cursorOf({ v: 1, list: 'GoodEvil=Evil', key: { MysfitId: BLUE.MysfitId, GoodEvil: 'Evil' } }) },
      problem: 'cursor is not one this list gave',
    },
    {
      description: 'a cursor of another filter value',
      query: {
        filter: 'GoodEvil',
        value: 'Good',
        cursor: cursorOf({ v: 1, list: 'GoodEvil=Evil', key: { MysfitId: BLUE.MysfitId, GoodEvil: 'Evil' } }),
      },
      problem: 'cursor is not one this list gave',
    },
    {
      description: 'a forged key with another attribute',
      query: { cursor: cursorOf({ v: 1, list: 'all', key: { MysfitId: BLUE.MysfitId, Name: 'x' } }) },
      problem: 'cursor is not one this list gave',
    },
    {
      description: 'a forged key that is not a mysfit id',
      query: { cursor: cursorOf({ v: 1, list: 'all', key: { MysfitId: { S: 'x' } } }) },
      problem: 'cursor is not one this list gave',
    },
    {
      description: "an index key whose alignment is not the filter's",
      query: {
        filter: 'GoodEvil',
        value: 'Evil',
        cursor: cursorOf({ v: 1, list: 'GoodEvil=Evil', key: { MysfitId: BLUE.MysfitId, GoodEvil: 'Good' } }),
      },
      problem: 'cursor is not one this list gave',
    },
    {
      description: 'a cursor of another version',
      query: { cursor: cursorOf({ v: 2, list: 'all', key: { MysfitId: BLUE.MysfitId } }) },
      problem: 'cursor is not one this list gave',
    },
  ])('$description is a 400, and nothing is read', async ({ query, problem }) => {
    const res = await call(route, { queryStringParameters: query });
    expectJsonError(res, 400, `Invalid query string: ${problem}`);
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('an invalid query string is a 400 that names the problem, and nothing is read', () => {
  test.each<{ description: string; query: Record<string, string>; problem: string }>([
    {
      description: 'an unknown filter',
      query: { filter: 'Species', value: 'Chimera' },
      problem: 'filter must be one of GoodEvil, LawChaos',
    },
    {
      description: 'a filter in the wrong case',
      query: { filter: 'goodevil', value: 'Evil' },
      problem: 'filter must be one of GoodEvil, LawChaos',
    },
    { description: 'an empty filter', query: { filter: '', value: 'Evil' }, problem: 'filter must be one of GoodEvil, LawChaos' },
    {
      description: 'an unknown GoodEvil value',
      query: { filter: 'GoodEvil', value: 'Chaotic' },
      problem: 'value must be one of Good, Neutral, Evil for GoodEvil',
    },
    {
      description: 'an unknown LawChaos value',
      query: { filter: 'LawChaos', value: 'Evil' },
      problem: 'value must be one of Lawful, Neutral, Chaotic for LawChaos',
    },
    {
      description: 'a value in the wrong case',
      query: { filter: 'LawChaos', value: 'lawful' },
      problem: 'value must be one of Lawful, Neutral, Chaotic for LawChaos',
    },
    {
      description: 'a filter without a value',
      query: { filter: 'GoodEvil' },
      problem: 'value must be one of Good, Neutral, Evil for GoodEvil',
    },
    { description: 'a value without a filter', query: { value: 'Evil' }, problem: 'filter is required with value' },
  ])('$description', async ({ query, problem }) => {
    // Arrange
    const changes = { queryStringParameters: query };
    // Act
    const res = await call(route, changes);
    // Assert
    expectJsonError(res, 400, `Invalid query string: ${problem}`);
    expect(ddb.calls()).toHaveLength(0);
  });
});

describeHttpFailures(route, { arrange: (error) => ddb.on(QueryCommand).rejects(error) }, () => {
  test('a failure on a later page fails the whole request rather than returning part of the list', async () => {
    // Arrange
    ddb
      .on(ScanCommand)
      .resolvesOnce({ Items: [EVANGELINE], LastEvaluatedKey: { MysfitId: EVANGELINE.MysfitId } })
      .rejectsOnce(UNAVAILABLE_FAILURES[1]![1]());
    // Act
    const res = await call(route, { queryStringParameters: null });
    // Assert
    expect(res.statusCode).toBe(503);
    expect(res.json).not.toHaveProperty('mysfits');
  });
});
