/**
 * Data access for the user activity table: one record per like and per adoption, keyed by the user,
 * so a user's likes and adoptions are one Query and the mysfits table only ever holds mysfits.
 */
import { paginateQuery } from '@aws-sdk/lib-dynamodb';
import { ACTIVITY_TABLE } from './activityTable';
import { dynamodb } from './dynamodb';

export type ActivityKind = 'LIKE' | 'ADOPT';

/** Key of one user's like or adoption record: `UserId` + `Activity` = `LIKE#<mysfitId>`. */
export const activityKey = (userId: string, kind: ActivityKind, mysfitId: string) => ({
  UserId: userId,
  Activity: `${kind}#${mysfitId}`,
});

export interface UserActivity {
  liked: string[];
  adopted: string[];
}

export async function getUserActivity(userId: string): Promise<UserActivity> {
  const pages = paginateQuery(
    { client: dynamodb },
    {
      TableName: ACTIVITY_TABLE,
      KeyConditionExpression: 'UserId = :userId',
      ExpressionAttributeValues: { ':userId': userId },
      ProjectionExpression: 'Kind, MysfitId',
    },
  );
  const activity: UserActivity = { liked: [], adopted: [] };
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      if (item.Kind === 'LIKE') activity.liked.push(String(item.MysfitId));
      if (item.Kind === 'ADOPT') activity.adopted.push(String(item.MysfitId));
    }
  }
  return activity;
}
