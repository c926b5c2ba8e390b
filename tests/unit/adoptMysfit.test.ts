/** POST /mysfits/{mysfitId}/adopt: one conditional transaction; a mysfit has at most one adopter. */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { handler } from '../../functions/adoptMysfit';
import {
  ACTIVITY_TABLE,
  CORS_ORIGIN,
  ISO_TIMESTAMP,
  MYSFITS_TABLE,
  MYSFIT_ID,
  USER_ID,
  cancelled,
  commandsSent,
  reason,
} from '../support/fixtures';
import {
  call,
  describeHttpFailures,
  describeIdentity,
  describeMalformedMysfitIds,
  expectJsonError,
  itAnswersCancelledTransactions,
  mockDocumentClient,
  type Route,
} from '../support/routeCases';

// No waiting between transaction retries.
const ddb = mockDocumentClient({ instantRetries: true });
const route: Route = { name: 'adoptMysfit', handler, ddb };
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

test("an adoption writes the mysfit and the adopter's record in one conditional transaction", async () => {
  // Arrange
  ddb.on(TransactWriteCommand).resolves({});
  // Act
  const res = await call(route);
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
  await call(route);
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
  const res = await call(route);
  // Assert
  expectJsonError(res, 409, `Mysfit ${MYSFIT_ID} has already been adopted by someone else`);
  expect(res.body).not.toContain(OTHER_ADOPTER);
  expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
});

test('an unknown mysfit (the condition failed on no item) is a 404', async () => {
  // Arrange
  ddb.on(TransactWriteCommand).rejects(cancelled(reason.conditionFailed(), reason.none()));
  // Act
  const res = await call(route);
  // Assert
  expectJsonError(res, 404, `No mysfit with id ${MYSFIT_ID}`);
});

test('a transaction conflict with a concurrent adoption is retried before anything is decided', async () => {
  // Arrange
  ddb
    .on(TransactWriteCommand)
    .rejectsOnce(cancelled(reason.conflict(), reason.none()))
    .rejectsOnce(cancelled(reason.conditionFailed(adoptedByAnother), reason.none()));
  // Act
  const res = await call(route);
  // Assert
  expect(res.statusCode).toBe(409);
  expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 2);
});

describeIdentity(route, {
  who: 'the adopter',
  arrange: () => ddb.on(TransactWriteCommand).resolves({}),
  assert: (res) => {
    expect(res.statusCode).toBe(200);
    expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, adoptTransaction(USER_ID));
  },
});

describeMalformedMysfitIds(route, [['not a UUID', 'evangeline']]);

describeHttpFailures(route, { arrange: (error) => ddb.on(TransactWriteCommand).rejects(error) }, () => {
  itAnswersCancelledTransactions(route, {
    throttled: [['ThrottlingError', [reason.code('ThrottlingError'), reason.none()]]],
    unexpected: [reason.code('ValidationError'), reason.none()],
  });
});
