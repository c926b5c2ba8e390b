/**
 * The day's secret salt for visitors' pseudonyms, as privacy-first analytics keep it (Plausible's daily salt): a
 * random value per UTC day, kept server-side in one DynamoDB item, shared by every concurrent instance of the
 * function (the first to need it creates it with a conditional write; the others read that one), cached in memory
 * for the day, and deleted after it by the table's TTL. It is never logged and never written to a click.
 */
import { randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** An hour past midnight, for requests that began on the day; DynamoDB's TTL deletes the item some time after. */
const GRACE_SECONDS = 3_600;

export interface DailySalts {
  /** The salt of `day` (YYYY-MM-DD, UTC). */
  saltFor(day: string): Promise<Buffer>;
}

/** When the salt of `day` stops being needed: the next midnight UTC plus the grace, in epoch seconds. */
export function expiresAt(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / 1000 + 86_400 + GRACE_SECONDS;
}

export function dailySalts(documents: DynamoDBDocumentClient, tableName: string): DailySalts {
  // One day at a time: the promise itself is cached, so concurrent invocations of an instance ask DynamoDB once.
  let cached: { day: string; salt: Promise<Buffer> } | undefined;

  const read = async (day: string): Promise<Buffer | undefined> => {
    const { Item } = await documents.send(new GetCommand({ TableName: tableName, Key: { Day: day }, ConsistentRead: true }));
    return typeof Item?.Salt === 'string' ? Buffer.from(Item.Salt, 'base64') : undefined;
  };

  const create = async (day: string): Promise<Buffer> => {
    const salt = randomBytes(32);
    try {
      await documents.send(
        new PutCommand({
          TableName: tableName,
          Item: { Day: day, Salt: salt.toString('base64'), ExpiresAt: expiresAt(day) },
          ConditionExpression: 'attribute_not_exists(#day)',
          ExpressionAttributeNames: { '#day': 'Day' },
        }),
      );
      return salt;
    } catch (error) {
      // Another instance was first: its salt is the day's.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const theirs = await read(day);
      if (!theirs) throw new Error(`the salt of ${day} was written but cannot be read`, { cause: error });
      return theirs;
    }
  };

  return {
    saltFor(day) {
      if (cached?.day !== day) {
        const salt = (async () => (await read(day)) ?? create(day))();
        cached = { day, salt };
        // A failure is not kept: the next request asks again.
        salt.catch(() => {
          if (cached?.salt === salt) cached = undefined;
        });
      }
      return cached.salt;
    },
  };
}
