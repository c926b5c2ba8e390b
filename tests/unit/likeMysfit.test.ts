/** POST /mysfits/{mysfitId}/like: the like record and the count change in one transaction; a repeat changes nothing. */
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../functions/likeMysfit';
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

/** The transaction a like must send: the user's record only if absent, and +1 only on a mysfit that exists. */
const likeTransaction = (userId: string) => ({
  TransactItems: [
    {
      Put: {
        TableName: ACTIVITY_TABLE,
        Item: { UserId: userId, Activity: `LIKE#${MYSFIT_ID}`, Kind: 'LIKE', MysfitId: MYSFIT_ID, CreatedAt: expect.stringMatching(ISO_TIMESTAMP) },
        ConditionExpression: 'attribute_not_exists(UserId)',
      },
    },
    {
      Update: {
        TableName: MYSFITS_TABLE,
        Key: { MysfitId: MYSFIT_ID },
        UpdateExpression: 'ADD Likes :one',
        ConditionExpression: 'attribute_exists(MysfitId)',
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
  ],
});

const consistentCountRead = { TableName: MYSFITS_TABLE, Key: { MysfitId: MYSFIT_ID }, ProjectionExpression: 'Likes', ConsistentRead: true };

beforeEach(() => {
  ddb.reset();
  // No waiting between transaction retries.
  jest.spyOn(Math, 'random').mockReturnValue(0);
});

afterEach(() => jest.restoreAllMocks());

test('a first like writes the record and +1 in one transaction, then reads the count consistently', async () => {
  // Arrange
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(GetCommand).resolves({ Item: { Likes: 8 } });
  // Act
  const res = await invoke(handler, eventFor('likeMysfit'));
  // Assert
  expect(res.statusCode).toBe(200);
  expect(res.json).toEqual({ mysfitId: MYSFIT_ID, likes: 8, liked: true });
  expect(res.headers?.['Access-Control-Allow-Origin']).toBe(CORS_ORIGIN);
  expect(commandsSent(ddb)).toEqual(['TransactWriteCommand', 'GetCommand']);
  expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, likeTransaction(USER_ID));
  expect(ddb).toHaveReceivedCommandWith(GetCommand, consistentCountRead);
});

test('a repeat like (the record exists) is a 200 with the unchanged count, and is not retried', async () => {
  // Arrange
  ddb.on(TransactWriteCommand).rejects(cancelled(reason.conditionFailed(), reason.none()));
  ddb.on(GetCommand).resolves({ Item: { Likes: 8 } });
  // Act
  const res = await invoke(handler, eventFor('likeMysfit'));
  // Assert
  expect(res.statusCode).toBe(200);
  expect(res.json).toEqual({ mysfitId: MYSFIT_ID, likes: 8, liked: true });
  expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  expect(ddb).toHaveReceivedCommandWith(GetCommand, consistentCountRead);
});

test.each([
  ['a first like', [reason.none(), reason.conditionFailed()]],
  ['a repeat like', [reason.conditionFailed(), reason.conditionFailed()]],
])('%s of an unknown mysfit is a 404, and the count is not read', async (_description, reasons) => {
  // Arrange
  ddb.on(TransactWriteCommand).rejects(cancelled(...reasons));
  // Act
  const res = await invoke(handler, eventFor('likeMysfit'));
  // Assert
  expect(res.statusCode).toBe(404);
  expect(res.json).toEqual({ message: `No mysfit with id ${MYSFIT_ID}` });
  expect(res.headers?.['Access-Control-Allow-Origin']).toBe(CORS_ORIGIN);
  expect(ddb).not.toHaveReceivedCommand(GetCommand);
});

test('a mysfit deleted between the like and the count read is a 404', async () => {
  // Arrange
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(GetCommand).resolves({});
  // Act
  const res = await invoke(handler, eventFor('likeMysfit'));
  // Assert
  expect(res.statusCode).toBe(404);
  expect(res.json).toEqual({ message: `No mysfit with id ${MYSFIT_ID}` });
});

test('a transaction conflict with a concurrent like is retried, and the like then counts once', async () => {
  // Arrange
  ddb
    .on(TransactWriteCommand)
    .rejectsOnce(cancelled(reason.none(), reason.conflict()))
    .resolvesOnce({});
  ddb.on(GetCommand).resolves({ Item: { Likes: 9 } });
  // Act
  const res = await invoke(handler, eventFor('likeMysfit'));
  // Assert
  expect(res.statusCode).toBe(200);
  expect(res.json).toEqual({ mysfitId: MYSFIT_ID, likes: 9, liked: true });
  expect(commandsSent(ddb)).toEqual(['TransactWriteCommand', 'TransactWriteCommand', 'GetCommand']);
});

describe('identity', () => {
  test.each(UNAUTHENTICATED)('%s is a 401 JSON and nothing is sent', async (_description, changes) => {
    // Arrange
    const event = eventFor('likeMysfit', changes);
    // Act
    const res = await invoke(handler, event);
    // Assert
    expect(res.statusCode).toBe(401);
    expect(res.json).toEqual({ message: 'Unauthorized' });
    expect(res.headers?.['Access-Control-Allow-Origin']).toBe(CORS_ORIGIN);
    expect(ddb.calls()).toHaveLength(0);
  });

  test('the liker is the verified sub; a body, header or query naming another user changes nothing', async () => {
    // Arrange
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(GetCommand).resolves({ Item: { Likes: 1 } });
    // Act
    const res = await invoke(handler, eventFor('likeMysfit', IMPERSONATION));
    // Assert
    expect(res.statusCode).toBe(200);
    expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, likeTransaction(USER_ID));
    expect(everythingSent(ddb)).not.toContain(INTRUDER_ID);
  });

  test('another verified sub likes as that user', async () => {
    // Arrange
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(GetCommand).resolves({ Item: { Likes: 1 } });
    // Act
    await invoke(handler, eventFor('likeMysfit', { claims: { sub: INTRUDER_ID } }));
    // Assert
    expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, likeTransaction(INTRUDER_ID));
  });
});

test.each([
  ['not a UUID', 'evangeline'],
  ['a path traversal', '../adopt'],
])('a malformed mysfitId (%s) is a 400 and nothing is sent', async (_description, mysfitId) => {
  // Arrange
  const event = eventFor('likeMysfit', { pathParameters: { mysfitId } });
  // Act
  const res = await invoke(handler, event);
  // Assert
  expect(res.statusCode).toBe(400);
  expect(res.json).toEqual({ message: 'Invalid path: mysfitId must be a UUID' });
  expect(ddb.calls()).toHaveLength(0);
});

describe('when DynamoDB fails', () => {
  test.each(UNAVAILABLE_FAILURES)('%s on the transaction is a 503 with a JSON message and CORS', async (_name, failure) => {
    // Arrange
    ddb.on(TransactWriteCommand).rejects(failure());
    // Act
    const res = await invoke(handler, eventFor('likeMysfit'));
    // Assert
    expect(res.statusCode).toBe(503);
    expect(res.json).toEqual({ message: UNAVAILABLE_MESSAGE });
    expect(res.headers?.['Access-Control-Allow-Origin']).toBe(CORS_ORIGIN);
    expect(ddb).not.toHaveReceivedCommand(GetCommand);
  });

  test.each(UNAVAILABLE_FAILURES)('%s on the count read is a 503', async (_name, failure) => {
    // Arrange
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(GetCommand).rejects(failure());
    // Act
    const res = await invoke(handler, eventFor('likeMysfit'));
    // Assert
    expect(res.statusCode).toBe(503);
    expect(res.json).toEqual({ message: UNAVAILABLE_MESSAGE });
  });

  test.each([
    ['ProvisionedThroughputExceeded', [reason.none(), reason.code('ProvisionedThroughputExceeded')]],
    ['ThrottlingError', [reason.code('ThrottlingError'), reason.none()]],
  ])('a transaction cancelled for %s (the table is throttled) is a 503, not a 500', async (_code, reasons) => {
    // Arrange
    ddb.on(TransactWriteCommand).rejects(cancelled(...reasons));
    // Act
    const res = await invoke(handler, eventFor('likeMysfit'));
    // Assert
    expect(res.statusCode).toBe(503);
    expect(res.json).toEqual({ message: UNAVAILABLE_MESSAGE });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    expect(ddb).not.toHaveReceivedCommand(GetCommand);
  });

  test('a transaction cancelled for a reason the code does not expect is a generic 500', async () => {
    // Arrange
    ddb.on(TransactWriteCommand).rejects(cancelled(reason.none(), reason.code('ValidationError')));
    ddb.on(GetCommand).resolves({ Item: { Likes: 8 } });
    // Act
    const res = await invoke(handler, eventFor('likeMysfit'));
    // Assert
    expect(res.statusCode).toBe(500);
    expect(res.json).toEqual({ message: 'Internal server error' });
    expect(res.body).not.toContain('ValidationError');
    expect(ddb).not.toHaveReceivedCommand(GetCommand);
  });

  test('an unexpected error is a generic 500 without internals', async () => {
    // Arrange
    ddb.on(TransactWriteCommand).rejects(unexpectedError());
    // Act
    const res = await invoke(handler, eventFor('likeMysfit'));
    // Assert
    expect(res.statusCode).toBe(500);
    expect(res.json).toEqual({ message: 'Internal server error' });
    expect(res.body).not.toContain(AWS_INTERNAL_DETAIL);
    expect(res.headers?.['Access-Control-Allow-Origin']).toBe(CORS_ORIGIN);
  });
});
