/** GET /me: the signed-in user's id and email from the verified claims, and their likes and adoptions. */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { handler } from '../../functions/getMe';
import { ACTIVITY_TABLE, CORS_ORIGIN, MYSFIT_ID, USER_EMAIL, USER_ID, commandsSent, pageByPage } from '../support/fixtures';
import { call, describeHttpFailures, describeIdentity, mockDocumentClient, type Route } from '../support/routeCases';

const ddb = mockDocumentClient();
const route: Route = { name: 'getMe', handler, ddb };
const PAULY = '2b473002-36f8-4b87-954e-9a377e0ccbec';
const SNOWFLAKE = '3f0f196c-4a7b-43af-9e29-6522a715342d';

/** A record as the activity table holds it (the query projects only Kind and MysfitId). */
const record = (kind: 'LIKE' | 'ADOPT', mysfitId: string) => ({ Kind: kind, MysfitId: mysfitId });

const activityQuery = (userId: string) => ({
  TableName: ACTIVITY_TABLE,
  KeyConditionExpression: 'UserId = :userId',
  ExpressionAttributeValues: { ':userId': userId },
  ProjectionExpression: 'Kind, MysfitId',
});

test('returns the user from the claims and their likes and adoptions, from one query of their records', async () => {
  // Arrange
  ddb.on(QueryCommand).resolves({
    Items: [record('ADOPT', MYSFIT_ID), record('LIKE', MYSFIT_ID), record('LIKE', PAULY), record('LIKE', SNOWFLAKE)],
  });
  // Act
  const res = await call(route);
  // Assert
  expect(res.statusCode).toBe(200);
  expect(res.json).toEqual({ userId: USER_ID, email: USER_EMAIL, liked: [MYSFIT_ID, PAULY, SNOWFLAKE], adopted: [MYSFIT_ID] });
  expect(res.headers?.['Access-Control-Allow-Origin']).toBe(CORS_ORIGIN);
  expect(commandsSent(ddb)).toEqual(['QueryCommand']);
  expect(ddb).toHaveReceivedCommandWith(QueryCommand, activityQuery(USER_ID));
});

test('a user with no activity has empty lists', async () => {
  // Arrange
  ddb.on(QueryCommand).resolves({ Items: [] });
  // Act
  const res = await call(route);
  // Assert
  expect(res.statusCode).toBe(200);
  expect(res.json).toEqual({ userId: USER_ID, email: USER_EMAIL, liked: [], adopted: [] });
});

test('claims without an email give email null', async () => {
  // Arrange
  ddb.on(QueryCommand).resolves({ Items: [] });
  // Act
  const res = await call(route, { claims: { sub: USER_ID } });
  // Assert
  expect(res.statusCode).toBe(200);
  expect(res.json).toEqual({ userId: USER_ID, email: null, liked: [], adopted: [] });
});

test('records of a kind it does not know are left out', async () => {
  // Arrange
  ddb.on(QueryCommand).resolves({ Items: [record('LIKE', PAULY), { Kind: 'REVIEW', MysfitId: SNOWFLAKE }] });
  // Act
  const res = await call(route);
  // Assert
  expect(res.json).toEqual({ userId: USER_ID, email: USER_EMAIL, liked: [PAULY], adopted: [] });
});

test("every page of the user's records is read", async () => {
  // Arrange
  const pageKey = { UserId: USER_ID, Activity: `LIKE#${PAULY}` };
  const query = pageByPage(
    { Items: [record('ADOPT', MYSFIT_ID), record('LIKE', PAULY)], LastEvaluatedKey: pageKey },
    { Items: [record('LIKE', SNOWFLAKE)] },
  );
  ddb.on(QueryCommand).callsFake(query.respond);
  // Act
  const res = await call(route);
  // Assert
  expect(res.json).toEqual({ userId: USER_ID, email: USER_EMAIL, liked: [PAULY, SNOWFLAKE], adopted: [MYSFIT_ID] });
  expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 2);
  expect(query.startKeys).toEqual([undefined, pageKey]);
});

describeIdentity(route, {
  who: 'the user',
  arrange: () => ddb.on(QueryCommand).resolves({ Items: [] }),
  assert: (res) => {
    expect(res.json).toMatchObject({ userId: USER_ID });
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, activityQuery(USER_ID));
  },
});

describeHttpFailures(route, { arrange: (error) => ddb.on(QueryCommand).rejects(error) });
