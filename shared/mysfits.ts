/** Reads from the mysfits table: the list (Scan, or an alignment index Query), a page at a time, and single items. */
import { GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { byName, type MysfitList } from './contract';
import { BadRequest } from './errors';
import { mysfitIdSchema } from './validation';
import { MYSFITS_TABLE } from './mysfitsTable';
import { dynamodb } from './dynamodb';
import { mysfitKey, toMysfit, type Mysfit, type MysfitFilter, type MysfitItem } from './mysfitItem';

const INDEX_BY_FILTER = {
  GoodEvil: { index: 'GoodEvilIndex', attribute: 'GoodEvil' },
  LawChaos: { index: 'LawChaosIndex', attribute: 'LawChaos' },
} as const;

/**
 * Without a `limit`, the answer holds up to this many mysfits (today's whole list, for the workshop's front end),
 * with a `nextCursor` beyond it: a body well under Lambda's 6 MB response limit whatever the table holds.
 */
export const UNPAGED_CAP = 1_000;

type Key = Record<string, unknown>;

/**
 * Mysfits, or those of one alignment, one page at a time: `limit` of them (all up to UNPAGED_CAP without one), from
 * where `cursor` (a nextCursor of the same list) left off.
 */
export async function listMysfits(filter?: MysfitFilter, page: { limit?: number; cursor?: string } = {}): Promise<MysfitList> {
  let startKey: Key | undefined = page.cursor === undefined ? undefined : readCursor(page.cursor, filter);
  const wanted = page.limit ?? UNPAGED_CAP;
  const mysfits: Mysfit[] = [];
  do {
    const Limit = wanted - mysfits.length;
    const out = filter
      ? await dynamodb.send(
          new QueryCommand({
            TableName: MYSFITS_TABLE,
            IndexName: INDEX_BY_FILTER[filter.filter].index,
            KeyConditionExpression: '#alignment = :value',
            ExpressionAttributeNames: { '#alignment': INDEX_BY_FILTER[filter.filter].attribute },
            ExpressionAttributeValues: { ':value': filter.value },
            Limit,
            ExclusiveStartKey: startKey,
          }),
        )
      : await dynamodb.send(new ScanCommand({ TableName: MYSFITS_TABLE, Limit, ExclusiveStartKey: startKey }));
    for (const item of out.Items ?? []) mysfits.push(toMysfit(item as MysfitItem));
    startKey = out.LastEvaluatedKey;
  } while (startKey && mysfits.length < wanted);
  mysfits.sort(byName);
  return startKey ? { mysfits, nextCursor: writeCursor(startKey, filter) } : { mysfits };
}

/** Opaque to clients: the list it belongs to and DynamoDB's key to go on from, base64url JSON. */
function writeCursor(key: Key, filter?: MysfitFilter): string {
  return Buffer.from(JSON.stringify({ v: 1, list: filter ? `${filter.filter}=${filter.value}` : 'all', key })).toString('base64url');
}

/**
 * The key a cursor goes on from, or a 400: only a cursor of this very list (same filter and value), whose key is
 * exactly what DynamoDB gave (a mysfit id, plus the alignment for an index), is taken. Never a DynamoDB error.
 */
function readCursor(cursor: string, filter?: MysfitFilter): Key {
  const refused = new BadRequest('Invalid query string: cursor is not one this list gave');
  let parsed: { v?: unknown; list?: unknown; key?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as typeof parsed;
  } catch {
    throw refused;
  }
  const list = filter ? `${filter.filter}=${filter.value}` : 'all';
  if (!parsed || parsed.v !== 1 || parsed.list !== list || !parsed.key || typeof parsed.key !== 'object') throw refused;
  const key = parsed.key as Key;
  const expected = filter ? ['MysfitId', INDEX_BY_FILTER[filter.filter].attribute] : ['MysfitId'];
  const names = Object.keys(key);
  if (names.length !== expected.length || !expected.every((name) => names.includes(name))) throw refused;
  // A mysfit id exactly as stored (lower case), as DynamoDB gave it.
  const id = z.safeParse(mysfitIdSchema, key.MysfitId);
  if (!id.success || id.data !== key.MysfitId) throw refused;
  if (filter && key[INDEX_BY_FILTER[filter.filter].attribute] !== filter.value) throw refused;
  return key;
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
