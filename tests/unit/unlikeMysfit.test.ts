/** DELETE /mysfits/{mysfitId}/like: the like record goes and the count drops in one transaction; a repeat changes nothing. */
import { GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { handler } from '../../functions/unlikeMysfit';
import {
  ACTIVITY_TABLE,
  CORS_ORIGIN,
  INTRUDER_ID,
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
  itAnswers503WhenUnavailable,
  itAnswersCancelledTransactions,
  mockDocumentClient,
} from '../support/routeCases';

// No waiting between transaction retries.
const ddb = mockDocumentClient({ instantRetries: true });
const route = { name: 'unlikeMysfit', handler, ddb };

/** The one transaction an unlike sends: the user's LIKE record deleted only if present, and -1 only on a mysfit that exists. */
function transactionFor(userId: string): TransactWriteCommandInput {
  return {
    TransactItems: [
      {
        Delete: {
          TableName: ACTIVITY_TABLE,
          Key: { UserId: userId, Activity: `LIKE#${MYSFIT_ID}` },
          ConditionExpression: 'attribute_exists(UserId)',
        },
      },
      {
        Update: {
          TableName: MYSFITS_TABLE,
          Key: { MysfitId: MYSFIT_ID },
          UpdateExpression: 'ADD Likes :minusOne',
          ConditionExpression: 'attribute_exists(MysfitId)',
          ExpressionAttributeValues: { ':minusOne': -1 },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
    ],
  };
}

const consistentCountRead = { TableName: MYSFITS_TABLE, Key: { MysfitId: MYSFIT_ID }, ProjectionExpression: 'Likes', ConsistentRead: true };
const state = (likes: number) => ({ mysfitId: MYSFIT_ID, likes, liked: false });
const countNotRead = () => expect(ddb).not.toHaveReceivedCommand(GetCommand);

test('an unlike deletes the record and -1 in one transaction, then reads the count consistently', async () => {
  // Arrange
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(GetCommand).resolves({ Item: { Likes: 8 } });
  // Act
  const res = await call(route);
  // Assert
  expect(res.statusCode).toBe(200);
  expect(res.json).toEqual(state(8));
  expect(res.headers?.['Access-Control-Allow-Origin']).toBe(CORS_ORIGIN);
  expect(commandsSent(ddb)).toEqual(['TransactWriteCommand', 'GetCommand']);
  expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, transactionFor(USER_ID));
  expect(ddb).toHaveReceivedCommandWith(GetCommand, consistentCountRead);
});

test('a repeat unlike (no record) is a 200 with the unchanged count, and is not retried', async () => {
  // Arrange
  ddb.on(TransactWriteCommand).rejects(cancelled(reason.conditionFailed(), reason.none()));
  ddb.on(GetCommand).resolves({ Item: { Likes: 8 } });
  // Act
  const res = await call(route);
  // Assert
  expect(res.statusCode).toBe(200);
  expect(res.json).toEqual(state(8));
  expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  expect(ddb).toHaveReceivedCommandWith(GetCommand, consistentCountRead);
});

test.each([
  ['an unlike', [reason.none(), reason.conditionFailed()]],
  ['a repeat unlike', [reason.conditionFailed(), reason.conditionFailed()]],
])('%s of an unknown mysfit is a 404, and the count is not read', async (_description, reasons) => {
  // Arrange
  ddb.on(TransactWriteCommand).rejects(cancelled(...reasons));
  // Act
  const res = await call(route);
  // Assert
  expectJsonError(res, 404, `No mysfit with id ${MYSFIT_ID}`);
  countNotRead();
});

test('a mysfit deleted between the unlike and the count read is a 404', async () => {
  // Arrange
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(GetCommand).resolves({});
  // Act
  const res = await call(route);
  // Assert
  expectJsonError(res, 404, `No mysfit with id ${MYSFIT_ID}`);
});

test('a transaction conflict with a concurrent like is retried, and the unlike then counts once', async () => {
  // Arrange
  ddb.on(TransactWriteCommand).rejectsOnce(cancelled(reason.none(), reason.conflict())).resolvesOnce({});
  ddb.on(GetCommand).resolves({ Item: { Likes: 8 - 1 } });
  // Act
  const res = await call(route);
  // Assert
  expect(res.statusCode).toBe(200);
  expect(res.json).toEqual(state(8 - 1));
  expect(commandsSent(ddb)).toEqual(['TransactWriteCommand', 'TransactWriteCommand', 'GetCommand']);
});

const transactionSucceeds = () => {
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(GetCommand).resolves({ Item: { Likes: 1 } });
};

describeIdentity(
  route,
  {
    who: 'the unliker',
    arrange: transactionSucceeds,
    assert: (res) => {
      expect(res.statusCode).toBe(200);
      expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, transactionFor(USER_ID));
    },
  },
  () => {
    test('another verified sub unlikes as that user', async () => {
      // Arrange
      transactionSucceeds();
      // Act
      await call(route, { claims: { sub: INTRUDER_ID } });
      // Assert
      expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, transactionFor(INTRUDER_ID));
    });
  },
);

describeMalformedMysfitIds(route, [
  ['not a UUID', 'evangeline'],
  ['a path traversal', '../adopt'],
]);

describeHttpFailures(
  route,
  { on: ' on the transaction', arrange: (error) => ddb.on(TransactWriteCommand).rejects(error), assert: countNotRead },
  () => {
    itAnswers503WhenUnavailable(route, {
      on: ' on the count read',
      arrange: (error) => {
        ddb.on(TransactWriteCommand).resolves({});
        ddb.on(GetCommand).rejects(error);
      },
    });

    itAnswersCancelledTransactions(route, {
      throttled: [
        ['ProvisionedThroughputExceeded', [reason.none(), reason.code('ProvisionedThroughputExceeded')]],
        ['ThrottlingError', [reason.code('ThrottlingError'), reason.none()]],
      ],
      unexpected: [reason.none(), reason.code('ValidationError')],
      assert: countNotRead,
    });
  },
);
