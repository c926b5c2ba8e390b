/** POST /mysfits/{mysfitId}/adopt: one conditional transaction; a mysfit has at most one adopter. */
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../functions/adoptMysfit';
import {
  ACTIVITY_TABLE,
  AWS_INTERNAL_DETAIL,
  CORS_ORIGIN,
  IMPERSONATION,
  INTRUDER_ID,
  MYSFITS_TABLE,
  MYSFIT_ID,
  UNAUTHENTICATED,
  UNAVAILABLE_FAILURES,
  UNAVAILABLE_MESSAGE,
  USER_ID,
  cancelled,
  commandsSent,
  everythingSent,
  reason,
  unexpectedError,
} from '../support/fixtures';
import { eventFor, invoke } from '../support/lambda';

const ddb = mockClient(DynamoDBDocumentClient);
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const OTHER_ADOPTER = 'a2c4e6f8-0000-4000-8000-000000000000';

/** The transaction an adoption must send: the mysfit only if free or already this user's, and the user's record. */
const adoptTransaction = (userId: string) => ({
  TransactItems: [
    {
      Update: {
        TableName: MYSFITS_TABLE,
        Key: { MysfitId: MYSFIT_ID },
        ConditionExpression: 'attribute_exists(MysfitId) AND (AdoptedBy = :userId OR NOT Adopted = :true)',
        UpdateExpression: 'SET Adopted = :true, AdoptedBy = :userId, AdoptedAt = if_not_exists(AdoptedAt, :now)',
        ExpressionAttributeValues: { ':true': true, ':userId': userId, ':now': expect.stringMatching(ISO_TIMESTAMP) },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    {
      Update: {
        TableName: ACTIVITY_TABLE,
        Key: { UserId: userId, Activity: `ADOPT#${MYSFIT_ID}` },
        UpdateExpression: 'SET Kind = :kind, MysfitId = :mysfitId, CreatedAt = if_not_exists(CreatedAt, :now)',
        ExpressionAttributeValues: { ':kind': 'ADOPT', ':mysfitId': MYSFIT_ID, ':now': expect.stringMatching(ISO_TIMESTAMP) },
      },
    },
  ],
});

/** The mysfit as DynamoDB returns it with a failed condition: raw AttributeValues. */
const adoptedByAnother = {
  MysfitId: { S: MYSFIT_ID },
  Name: { S: 'Evangeline' },
  Adopted: { BOOL: true },
  AdoptedBy: { S: OTHER_ADOPTER },
  AdoptedAt: { S: '2026-11-01T10:00:00.000Z' },
};

beforeEach(() => {
  ddb.reset();
  // No waiting between transaction retries.
  jest.spyOn(Math, 'random').mockReturnValue(0);
});

afterEach(() => jest.restoreAllMocks());

test('an adoption writes the mysfit and the adopter\'s record in one conditional transaction', async () => {
  // Arrange
  ddb.on(TransactWriteCommand).resolves({});
  // Act
  const res = await invoke(handler, eventFor('adoptMysfit'));
  // Assert
  expect(res.statusCode).toBe(200);
  expect(res.json).toEqual({ mysfitId: MYSFIT_ID, adopted: true, adoptedByYou: true });
  expect(res.headers?.['Access-Control-Allow-Origin']).toBe(CORS_ORIGIN);
  expect(commandsSent(ddb)).toEqual(['TransactWriteCommand']);
  expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, adoptTransaction(USER_ID));
});

test('both writes carry the same timestamp', async () => {
  // Arrange
  ddb.on(TransactWriteCommand).resolves({});
  // Act
  await invoke(handler, eventFor('adoptMysfit'));
  // Assert
  const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
  const [mysfit, record] = items.map((item) => item.Update?.ExpressionAttributeValues?.[':now'] as unknown);
  expect(mysfit).toEqual(expect.stringMatching(ISO_TIMESTAMP));
  expect(record).toBe(mysfit);
});

test('a mysfit adopted by someone else is a 409 that does not name the adopter', async () => {
  // Arrange
  ddb.on(TransactWriteCommand).rejects(cancelled(reason.conditionFailed(adoptedByAnother), reason.none()));
  // Act
  const res = await invoke(handler, eventFor('adoptMysfit'));
  // Assert
  expect(res.statusCode).toBe(409);
  expect(res.json).toEqual({ message: `Mysfit ${MYSFIT_ID} has already been adopted by someone else` });
  expect(res.headers?.['Access-Control-Allow-Origin']).toBe(CORS_ORIGIN);
  expect(res.body).not.toContain(OTHER_ADOPTER);
  expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
});

test('an unknown mysfit (the condition failed on no item) is a 404', async () => {
  // Arrange
  ddb.on(TransactWriteCommand).rejects(cancelled(reason.conditionFailed(), reason.none()));
  // Act
  const res = await invoke(handler, eventFor('adoptMysfit'));
  // Assert
  expect(res.statusCode).toBe(404);
  expect(res.json).toEqual({ message: `No mysfit with id ${MYSFIT_ID}` });
  expect(res.headers?.['Access-Control-Allow-Origin']).toBe(CORS_ORIGIN);
});

test('a transaction conflict with a concurrent adoption is retried before anything is decided', async () => {
  // Arrange
  ddb
    .on(TransactWriteCommand)
    .rejectsOnce(cancelled(reason.conflict(), reason.none()))
    .rejectsOnce(cancelled(reason.conditionFailed(adoptedByAnother), reason.none()));
  // Act
  const res = await invoke(handler, eventFor('adoptMysfit'));
  // Assert
  expect(res.statusCode).toBe(409);
  expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 2);
});

describe('identity', () => {
  test.each(UNAUTHENTICATED)('%s is a 401 JSON and nothing is sent', async (_description, changes) => {
    // Arrange
    const event = eventFor('adoptMysfit', changes);
    // Act
    const res = await invoke(handler, event);
    // Assert
    expect(res.statusCode).toBe(401);
    expect(res.json).toEqual({ message: 'Unauthorized' });
    expect(res.headers?.['Access-Control-Allow-Origin']).toBe(CORS_ORIGIN);
    expect(ddb.calls()).toHaveLength(0);
  });

  test('the adopter is the verified sub; a body, header or query naming another user changes nothing', async () => {
    // Arrange
    ddb.on(TransactWriteCommand).resolves({});
    // Act
    const res = await invoke(handler, eventFor('adoptMysfit', IMPERSONATION));
    // Assert
    expect(res.statusCode).toBe(200);
    expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, adoptTransaction(USER_ID));
    expect(everythingSent(ddb)).not.toContain(INTRUDER_ID);
  });
});

test('a malformed mysfitId is a 400 and nothing is sent', async () => {
  // Arrange
  const event = eventFor('adoptMysfit', { pathParameters: { mysfitId: 'evangeline' } });
  // Act
  const res = await invoke(handler, event);
  // Assert
  expect(res.statusCode).toBe(400);
  expect(res.json).toEqual({ message: 'Invalid path: mysfitId must be a UUID' });
  expect(ddb.calls()).toHaveLength(0);
});

describe('when DynamoDB fails', () => {
  test.each(UNAVAILABLE_FAILURES)('%s is a 503 with a JSON message and CORS', async (_name, failure) => {
    // Arrange
    ddb.on(TransactWriteCommand).rejects(failure());
    // Act
    const res = await invoke(handler, eventFor('adoptMysfit'));
    // Assert
    expect(res.statusCode).toBe(503);
    expect(res.json).toEqual({ message: UNAVAILABLE_MESSAGE });
    expect(res.headers?.['Access-Control-Allow-Origin']).toBe(CORS_ORIGIN);
  });

  test('a transaction cancelled because the table is throttled is a 503', async () => {
    // Arrange
    ddb.on(TransactWriteCommand).rejects(cancelled(reason.code('ThrottlingError'), reason.none()));
    // Act
    const res = await invoke(handler, eventFor('adoptMysfit'));
    // Assert
    expect(res.statusCode).toBe(503);
    expect(res.json).toEqual({ message: UNAVAILABLE_MESSAGE });
  });

  test('a transaction cancelled for a reason the code does not expect is a generic 500', async () => {
    // Arrange
    ddb.on(TransactWriteCommand).rejects(cancelled(reason.code('ValidationError'), reason.none()));
    // Act
    const res = await invoke(handler, eventFor('adoptMysfit'));
    // Assert
    expect(res.statusCode).toBe(500);
    expect(res.json).toEqual({ message: 'Internal server error' });
  });

  test('an unexpected error is a generic 500 without internals', async () => {
    // Arrange
    ddb.on(TransactWriteCommand).rejects(unexpectedError());
    // Act
    const res = await invoke(handler, eventFor('adoptMysfit'));
    // Assert
    expect(res.statusCode).toBe(500);
    expect(res.json).toEqual({ message: 'Internal server error' });
    expect(res.body).not.toContain(AWS_INTERNAL_DETAIL);
    expect(res.headers?.['Access-Control-Allow-Origin']).toBe(CORS_ORIGIN);
  });
});
