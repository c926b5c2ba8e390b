/**
 * Likes: a user's like record and the mysfit's count change together in one transaction, so the count can
 * never be lost, doubled or negative, and one user counts at most once.
 */
import { activityKey } from './activity';
import type { LikeState } from './contract';
import { MYSFITS_TABLE } from './mysfitsTable';
import { ACTIVITY_TABLE } from './activityTable';
import { NotFound } from './errors';
import { mysfitKey } from './mysfitItem';
import { getLikeCount } from './mysfits';
import { count } from './metrics';
import { transactWrite, type TransactionResult } from './transactions';

/**
 * Makes sense of a cancelled like/unlike transaction (record first, mysfit second): an unknown mysfit is a 404;
 * a record already in the wanted state means a repeat, which changes nothing.
 */
function settle(result: TransactionResult, mysfitId: string): void {
  if (result.committed) return;
  const [record, mysfit] = result.reasons;
  if (mysfit?.code === 'ConditionalCheckFailed' && mysfit.item === undefined) {
    throw new NotFound(`No mysfit with id ${mysfitId}`);
  }
  if (record?.code === 'ConditionalCheckFailed') return;
  throw new Error(`Like transaction cancelled: ${result.reasons.map((r) => r.code).join(', ')}`);
}

async function currentState(mysfitId: string, liked: boolean): Promise<LikeState> {
  const likes = await getLikeCount(mysfitId);
  if (likes === undefined) throw new NotFound(`No mysfit with id ${mysfitId}`);
  return { mysfitId, likes, liked };
}

/** Likes the mysfit for this user; liking it again changes nothing. */
export async function likeMysfit(userId: string, mysfitId: string): Promise<LikeState> {
  const result = await transactWrite({
    TransactItems: [
      {
        Put: {
          TableName: ACTIVITY_TABLE,
          Item: {
            ...activityKey(userId, 'LIKE', mysfitId),
            Kind: 'LIKE',
            MysfitId: mysfitId,
            CreatedAt: new Date().toISOString(),
          },
          ConditionExpression: 'attribute_not_exists(UserId)',
        },
      },
      {
        Update: {
          TableName: MYSFITS_TABLE,
          Key: mysfitKey(mysfitId),
          UpdateExpression: 'ADD Likes :one',
          ConditionExpression: 'attribute_exists(MysfitId)',
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
    ],
  });
  settle(result, mysfitId);
  if (result.committed) count('Likes'); // a repeat changes nothing and counts nothing
  return currentState(mysfitId, true);
}

/** Takes back this user's like; unliking a mysfit the user does not like changes nothing. */
export async function unlikeMysfit(userId: string, mysfitId: string): Promise<LikeState> {
  const result = await transactWrite({
    TransactItems: [
      {
        Delete: {
          TableName: ACTIVITY_TABLE,
          Key: activityKey(userId, 'LIKE', mysfitId),
          ConditionExpression: 'attribute_exists(UserId)',
        },
      },
      {
        Update: {
          TableName: MYSFITS_TABLE,
          Key: mysfitKey(mysfitId),
          UpdateExpression: 'ADD Likes :minusOne',
          ConditionExpression: 'attribute_exists(MysfitId)',
          ExpressionAttributeValues: { ':minusOne': -1 },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
    ],
  });
  settle(result, mysfitId);
  if (result.committed) count('Unlikes');
  return currentState(mysfitId, false);
}
