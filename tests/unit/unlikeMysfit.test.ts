/** DELETE /mysfits/{mysfitId}/like: the like record goes and the count drops in one transaction; a repeat changes nothing. */
import { GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { handler } from '../../functions/unlikeMysfit';
import { ACTIVITY_TABLE, CORS_ORIGIN, MYSFITS_TABLE, MYSFIT_ID, USER_ID, cancelled, commandsSent, reason } from '../support/fixtures';
import { consistentCountRead, describeLikeCases } from '../support/likeCases';
import { call, mockDocumentClient } from '../support/routeCases';

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

const state = (likes: number) => ({ mysfitId: MYSFIT_ID, likes, liked: false });

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

describeLikeCases({ route, action: 'unlike', first: 'an unlike', who: 'the unliker', state, delta: -1, transactionFor });
