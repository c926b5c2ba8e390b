/** GET /me: the signed-in user's id and email from the verified claims, and their likes and adoptions. */
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../functions/getMe';
import {
  ACTIVITY_TABLE,
  AWS_INTERNAL_DETAIL,
  CORS_ORIGIN,
  IMPERSONATION,
  INTRUDER_ID,
  MYSFIT_ID,
  UNAUTHENTICATED,
  UNAVAILABLE_FAILURES,
  UNAVAILABLE_MESSAGE,
  USER_EMAIL,
  USER_ID,
  commandsSent,
  everythingSent,
  pageByPage,
  unexpectedError,
} from '../support/fixtures';
import { eventFor, invoke } from '../support/lambda';

const ddb = mockClient(DynamoDBDocumentClient);
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

beforeEach(() => ddb.reset());

test('returns the user from the claims and their likes and adoptions, from one query of their records', async () => {
  // Arrange
  ddb.on(QueryCommand).resolves({
    Items: [record('ADOPT', MYSFIT_ID), record('LIKE', MYSFIT_ID), record('LIKE', PAULY), record('LIKE', SNOWFLAKE)],
  });
  // Act
  const res = await invoke(handler, eventFor('getMe'));
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
  const res = await invoke(handler, eventFor('getMe'));
  // Assert
  expect(res.statusCode).toBe(200);
  expect(res.json).toEqual({ userId: USER_ID, email: USER_EMAIL, liked: [], adopted: [] });
});

test('claims without an email give email null', async () => {
  // Arrange
  ddb.on(QueryCommand).resolves({ Items: [] });
  // Act
  const res = await invoke(handler, eventFor('getMe', { claims: { sub: USER_ID } }));
  // Assert
  expect(res.statusCode).toBe(200);
  expect(res.json).toEqual({ userId: USER_ID, email: null, liked: [], adopted: [] });
});

test('records of a kind it does not know are left out', async () => {
  // Arrange
  ddb.on(QueryCommand).resolves({ Items: [record('LIKE', PAULY), { Kind: 'REVIEW', MysfitId: SNOWFLAKE }] });
  // Act
  const res = await invoke(handler, eventFor('getMe'));
  // Assert
  expect(res.json).toEqual({ userId: USER_ID, email: USER_EMAIL, liked: [PAULY], adopted: [] });
});

test('every page of the user\'s records is read', async () => {
  // Arrange
  const pageKey = { UserId: USER_ID, Activity: `LIKE#${PAULY}` };
  const query = pageByPage(
    { Items: [record('ADOPT', MYSFIT_ID), record('LIKE', PAULY)], LastEvaluatedKey: pageKey },
    { Items: [record('LIKE', SNOWFLAKE)] },
  );
  ddb.on(QueryCommand).callsFake(query.respond);
  // Act
  const res = await invoke(handler, eventFor('getMe'));
  // Assert
  expect(res.json).toEqual({ userId: USER_ID, email: USER_EMAIL, liked: [PAULY, SNOWFLAKE], adopted: [MYSFIT_ID] });
  expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 2);
  expect(query.startKeys).toEqual([undefined, pageKey]);
});

describe('identity', () => {
  test.each(UNAUTHENTICATED)('%s is a 401 JSON and nothing is read', async (_description, changes) => {
    // Arrange
    const event = eventFor('getMe', changes);
    // Act
    const res = await invoke(handler, event);
    // Assert
    expect(res.statusCode).toBe(401);
    expect(res.json).toEqual({ message: 'Unauthorized' });
    expect(res.headers?.['Access-Control-Allow-Origin']).toBe(CORS_ORIGIN);
    expect(ddb.calls()).toHaveLength(0);
  });

  test('the user is the verified sub; a body, header or query naming another user changes nothing', async () => {
    // Arrange
    ddb.on(QueryCommand).resolves({ Items: [] });
    // Act
    const res = await invoke(handler, eventFor('getMe', IMPERSONATION));
    // Assert
    expect(res.json).toMatchObject({ userId: USER_ID });
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, activityQuery(USER_ID));
    expect(everythingSent(ddb)).not.toContain(INTRUDER_ID);
  });
});

describe('when DynamoDB fails', () => {
  test.each(UNAVAILABLE_FAILURES)('%s is a 503 with a JSON message and CORS', async (_name, failure) => {
    // Arrange
    ddb.on(QueryCommand).rejects(failure());
    // Act
    const res = await invoke(handler, eventFor('getMe'));
    // Assert
    expect(res.statusCode).toBe(503);
    expect(res.json).toEqual({ message: UNAVAILABLE_MESSAGE });
    expect(res.headers?.['Access-Control-Allow-Origin']).toBe(CORS_ORIGIN);
  });

  test('an unexpected error is a generic 500 without internals', async () => {
    // Arrange
    ddb.on(QueryCommand).rejects(unexpectedError());
    // Act
    const res = await invoke(handler, eventFor('getMe'));
    // Assert
    expect(res.statusCode).toBe(500);
    expect(res.json).toEqual({ message: 'Internal server error' });
    expect(res.body).not.toContain(AWS_INTERNAL_DETAIL);
    expect(res.headers?.['Access-Control-Allow-Origin']).toBe(CORS_ORIGIN);
  });
});
