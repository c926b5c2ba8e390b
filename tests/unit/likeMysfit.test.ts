/** POST /mysfits/{mysfitId}/like: the like record and the count change in one transaction; a repeat changes nothing. */
import { GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { handler } from '../../functions/likeMysfit';
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
import { consistentCountRead, describeLikeCases } from '../support/likeCases';
import { call, mockDocumentClient } from '../support/routeCases';

// No waiting between transaction retries.
const ddb = mockDocumentClient({ instantRetries: true });
const route = { name: 'likeMysfit', handler, ddb };

/** The one transaction a like sends: the user's LIKE record only if absent, and +1 only on a mysfit that exists. */
function transactionFor(userId: string): TransactWriteCommandInput {
  return {
    TransactItems: [
      {
        Put: {
          TableName: ACTIVITY_TABLE,
          Item: {
            UserId: userId,
            Activity: `LIKE#${MYSFIT_ID}`,
            Kind: 'LIKE',
            MysfitId: MYSFIT_ID,
            CreatedAt: expect.stringMatching(ISO_TIMESTAMP),
          },
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
  };
}

const state = (likes: number) => ({ mysfitId: MYSFIT_ID, likes, liked: true });

test('a first like writes the record and +1 in one transaction, then reads the count consistently', async () => {
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

test('a repeat like (the record exists) is a 200 with the unchanged count, and is not retried', async () => {
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

describeLikeCases({ route, action: 'like', first: 'a first like', who: 'the liker', state, delta: 1, transactionFor });
