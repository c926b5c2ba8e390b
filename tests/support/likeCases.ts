/**
 * The cases likeMysfit and unlikeMysfit share, parameterised by direction. Both send one transaction of two items:
 * the user's LIKE record (a like Puts it only if absent, an unlike Deletes it only if present), then ADD Likes of +1 or
 * -1 on a mysfit that exists; then they read the count consistently. Each direction is stated in its handler's test
 * file (tests/unit/likeMysfit.test.ts, tests/unit/unlikeMysfit.test.ts), which registers these cases.
 */
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { CORS_ORIGIN, INTRUDER_ID, MYSFITS_TABLE, MYSFIT_ID, USER_ID, cancelled, commandsSent, reason } from './fixtures';
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

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export interface LikeDirection {
  /** The verb in the test names: "like" or "unlike" (and "a repeat like", "the liker", "likes as that user"). */
  verb: 'like' | 'unlike';
  /** The first call, and what its transaction does, in the test names: "a first like", "writes the record and +1". */
  first: string;
  firstDoes: string;
  /** The repeat, in the test names: "a repeat like (the record exists)". */
  repeat: string;
  /** `liked` in every 200 response. */
  liked: boolean;
  /** The transaction's first item: the user's LIKE record, Put if attribute_not_exists or Deleted if attribute_exists. */
  recordWrite: (userId: string) => TransactItem;
  /** The transaction's second item: ADD Likes <placeholder>, the placeholder being delta (+1 or -1). */
  count: { placeholder: string; delta: 1 | -1 };
}

/** The transaction the direction must send for this user. */
export function likeTransaction(direction: LikeDirection, userId: string): TransactWriteCommandInput {
  const { placeholder, delta } = direction.count;
  return {
    TransactItems: [
      direction.recordWrite(userId),
      {
        Update: {
          TableName: MYSFITS_TABLE,
          Key: { MysfitId: MYSFIT_ID },
          UpdateExpression: `ADD Likes ${placeholder}`,
          ConditionExpression: 'attribute_exists(MysfitId)',
          ExpressionAttributeValues: { [placeholder]: delta },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
    ],
  };
}

const consistentCountRead = { TableName: MYSFITS_TABLE, Key: { MysfitId: MYSFIT_ID }, ProjectionExpression: 'Likes', ConsistentRead: true };

/** Registers every case of a like or unlike route. */
export function describeLikeCases(route: Route, direction: LikeDirection): void {
  const { ddb } = route;
  const { verb, liked } = direction;
  const state = (likes: number) => ({ mysfitId: MYSFIT_ID, likes, liked });
  const countNotRead = () => expect(ddb).not.toHaveReceivedCommand(GetCommand);

  test(`${direction.first} ${direction.firstDoes} in one transaction, then reads the count consistently`, async () => {
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
    expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, likeTransaction(direction, USER_ID));
    expect(ddb).toHaveReceivedCommandWith(GetCommand, consistentCountRead);
  });

  test(`${direction.repeat} is a 200 with the unchanged count, and is not retried`, async () => {
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
    [direction.first, [reason.none(), reason.conditionFailed()]],
    [`a repeat ${verb}`, [reason.conditionFailed(), reason.conditionFailed()]],
  ])('%s of an unknown mysfit is a 404, and the count is not read', async (_description, reasons) => {
    // Arrange
    ddb.on(TransactWriteCommand).rejects(cancelled(...reasons));
    // Act
    const res = await call(route);
    // Assert
    expectJsonError(res, 404, `No mysfit with id ${MYSFIT_ID}`);
    countNotRead();
  });

  test(`a mysfit deleted between the ${verb} and the count read is a 404`, async () => {
    // Arrange
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(GetCommand).resolves({});
    // Act
    const res = await call(route);
    // Assert
    expectJsonError(res, 404, `No mysfit with id ${MYSFIT_ID}`);
  });

  test(`a transaction conflict with a concurrent like is retried, and the ${verb} then counts once`, async () => {
    // Arrange
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(reason.none(), reason.conflict()))
      .resolvesOnce({});
    ddb.on(GetCommand).resolves({ Item: { Likes: 8 + direction.count.delta } });
    // Act
    const res = await call(route);
    // Assert
    expect(res.statusCode).toBe(200);
    expect(res.json).toEqual(state(8 + direction.count.delta));
    expect(commandsSent(ddb)).toEqual(['TransactWriteCommand', 'TransactWriteCommand', 'GetCommand']);
  });

  const transactionSucceeds = () => {
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(GetCommand).resolves({ Item: { Likes: 1 } });
  };

  describeIdentity(
    route,
    {
      who: `the ${verb}r`,
      arrange: transactionSucceeds,
      assert: (res) => {
        expect(res.statusCode).toBe(200);
        expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, likeTransaction(direction, USER_ID));
      },
    },
    () => {
      test(`another verified sub ${verb}s as that user`, async () => {
        // Arrange
        transactionSucceeds();
        // Act
        await call(route, { claims: { sub: INTRUDER_ID } });
        // Assert
        expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, likeTransaction(direction, INTRUDER_ID));
      });
    },
  );

  describeMalformedMysfitIds(route, [
    ['not a UUID', 'evangeline'],
    ['a path traversal', '../adopt'],
  ]);

  describeHttpFailures(route, { on: ' on the transaction', arrange: (error) => ddb.on(TransactWriteCommand).rejects(error), assert: countNotRead }, () => {
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
  });
}
