/** Reads from the mysfits table: the whole list (Scan or an alignment index Query, every page) and single items. */
import { GetCommand, paginateQuery, paginateScan } from '@aws-sdk/lib-dynamodb';
import { MYSFITS_TABLE } from './mysfitsTable';
import { dynamodb } from './dynamodb';
import { mysfitKey, toMysfit, type Mysfit, type MysfitFilter, type MysfitItem } from './mysfitItem';

const INDEX_BY_FILTER = {
  GoodEvil: { index: 'GoodEvilIndex', attribute: 'GoodEvil' },
  LawChaos: { index: 'LawChaosIndex', attribute: 'LawChaos' },
} as const;

/** Every mysfit, or those of one alignment; reads every page, so the list is whole however large the table. */
export async function listMysfits(filter?: MysfitFilter): Promise<Mysfit[]> {
  const pages = filter
    ? paginateQuery(
        { client: dynamodb },
        {
          TableName: MYSFITS_TABLE,
          IndexName: INDEX_BY_FILTER[filter.filter].index,
          KeyConditionExpression: '#alignment = :value',
          ExpressionAttributeNames: { '#alignment': INDEX_BY_FILTER[filter.filter].attribute },
          ExpressionAttributeValues: { ':value': filter.value },
        },
      )
    : paginateScan({ client: dynamodb }, { TableName: MYSFITS_TABLE });

  const mysfits: Mysfit[] = [];
  for await (const page of pages) {
    for (const item of page.Items ?? []) mysfits.push(toMysfit(item as MysfitItem));
  }
  return mysfits.sort((a, b) => a.name.localeCompare(b.name) || a.mysfitId.localeCompare(b.mysfitId));
}

export async function getMysfit(mysfitId: string): Promise<Mysfit | undefined> {
  const { Item } = await dynamodb.send(new GetCommand({ TableName: MYSFITS_TABLE, Key: mysfitKey(mysfitId) }));
  return Item ? toMysfit(Item as MysfitItem) : undefined;
}

/** The like count, read consistently (a transaction returns no attributes, so a write is followed by this). */
export async function getLikeCount(mysfitId: string): Promise<number | undefined> {
  const { Item } = await dynamodb.send(
    new GetCommand({
      TableName: MYSFITS_TABLE,
      Key: mysfitKey(mysfitId),
      ProjectionExpression: 'Likes',
      ConsistentRead: true,
    }),
  );
  return Item ? Number(Item.Likes ?? 0) : undefined;
}
