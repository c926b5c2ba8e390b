/**
 * Adoption: a mysfit has at most one adopter. The mysfit's Adopted/AdoptedBy/AdoptedAt and the adopter's
 * record are written in one conditional transaction; adopting again as the same user changes nothing.
 */
import { activityKey } from './activity';
import type { Adoption } from './contract';
import { MYSFITS_TABLE } from './mysfitsTable';
import { ACTIVITY_TABLE } from './activityTable';
import { Conflict, NotFound } from './errors';
import { mysfitKey } from './mysfitItem';
import { count } from './metrics';
import { transactWrite } from './transactions';

export async function adoptMysfit(userId: string, mysfitId: string): Promise<Adoption> {
  const now = new Date().toISOString();
  const result = await transactWrite({
    TransactItems: [
      {
        Update: {
          TableName: MYSFITS_TABLE,
          Key: mysfitKey(mysfitId),
          // Free (never adopted, or Adopted false as seeded) or already this user's. A mysfit the legacy service
          // marked adopted without an adopter counts as taken.
          ConditionExpression: 'attribute_exists(MysfitId) AND (AdoptedBy = :userId OR NOT Adopted = :true)',
          UpdateExpression: 'SET Adopted = :true, AdoptedBy = :userId, AdoptedAt = if_not_exists(AdoptedAt, :now)',
          ExpressionAttributeValues: { ':true': true, ':userId': userId, ':now': now },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      {
        Update: {
          TableName: ACTIVITY_TABLE,
          Key: activityKey(userId, 'ADOPT', mysfitId),
          UpdateExpression: 'SET Kind = :kind, MysfitId = :mysfitId, CreatedAt = if_not_exists(CreatedAt, :now)',
          ExpressionAttributeValues: { ':kind': 'ADOPT', ':mysfitId': mysfitId, ':now': now },
        },
      },
    ],
  });
  if (!result.committed) {
    const reason = result.reasons[0];
    if (reason?.code === 'ConditionalCheckFailed') {
      if (reason.item === undefined) throw new NotFound(`No mysfit with id ${mysfitId}`);
      count('AdoptionConflicts');
      throw new Conflict(`Mysfit ${mysfitId} has already been adopted by someone else`);
    }
    throw new Error(`Adoption transaction cancelled: ${result.reasons.map((r) => r.code).join(', ')}`);
  }
  count('Adoptions');
  return { mysfitId, adopted: true, adoptedByYou: true };
}
