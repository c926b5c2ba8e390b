/**
 * What a like and an unlike share (shared/likes.ts: one transaction on the user's record and the mysfit's count,
 * then a consistent read of the count), stated once for tests/unit/likeMysfit.test.ts and unlikeMysfit.test.ts.
 */
import { GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { INTRUDER_ID, MYSFITS_TABLE, MYSFIT_ID, USER_ID, cancelled, commandsSent, reason } from './fixtures';
import {
  call,
  describeHttpFailures,
  describeIdentity,
  describeMalformedMysfitIds,
  expectJsonError,
  itAnswers503WhenUnavailable,
  itAnswersCancelledTransactions,
  type Route,
} from './routeCases';

export const consistentCountRead = {
  TableName: MYSFITS_TABLE,
  Key: { MysfitId: MYSFIT_ID },
  ProjectionExpression: 'Likes',
  ConsistentRead: true,
};

export interface LikeRoute {
  route: Route;
  /** In the tests' names: 'like' or 'unlike', and how the first one is called ('a first like', 'an unlike'). */
  action: 'like' | 'unlike';
  first: string;
  /** Who the caller is to the route: 'the liker'. */
  who: string;
  /** What the route answers with `likes` as the count. */
  state(likes: number): { mysfitId: string; likes: number; liked: boolean };
  /** The count's change: +1 or -1. */
  delta: 1 | -1;
  transactionFor(userId: string): TransactWriteCommandInput;
}

export function describeLikeCases({ route, action, first, who, state, delta, transactionFor }: LikeRoute): void {
  const { ddb } = route;
  const countNotRead = () => expect(ddb).not.toHaveReceivedCommand(GetCommand);

  test.each([
    [first, [reason.none(), reason.conditionFailed()]],
    [`a repeat ${action}`, [reason.conditionFailed(), reason.conditionFailed()]],
  ])('%s of an unknown mysfit is a 404, and the count is not read', async (_description, reasons) => {
    // Arrange
    ddb.on(TransactWriteCommand).rejects(cancelled(...reasons));
    // Act
    const res = await call(route);
    // Assert
    expectJsonError(res, 404, `No mysfit with id ${MYSFIT_ID}`);
    countNotRead();
  });

  test(`a mysfit deleted between the ${action} and the count read is a 404`, async () => {
    // Arrange
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(GetCommand).resolves({});
    // Act
    const res = await call(route);
    // Assert
    expectJsonError(res, 404, `No mysfit with id ${MYSFIT_ID}`);
  });

  test(`a transaction conflict with a concurrent like is retried, and the ${action} then counts once`, async () => {
    // Arrange
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled(reason.none(), reason.conflict())).resolvesOnce({});
    ddb.on(GetCommand).resolves({ Item: { Likes: 8 + delta } });
    // Act
    const res = await call(route);
    // Assert
    expect(res.statusCode).toBe(200);
    expect(res.json).toEqual(state(8 + delta));
    expect(commandsSent(ddb)).toEqual(['TransactWriteCommand', 'TransactWriteCommand', 'GetCommand']);
  });

  const transactionSucceeds = () => {
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(GetCommand).resolves({ Item: { Likes: 1 } });
  };

  describeIdentity(
    route,
    {
      who,
      arrange: transactionSucceeds,
      assert: (res) => {
        expect(res.statusCode).toBe(200);
        expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, transactionFor(USER_ID));
      },
    },
    () => {
      test(`another verified sub ${action}s as that user`, async () => {
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
}
