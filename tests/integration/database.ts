/** This test file's tables in DynamoDB Local: create and seed them, and read them back raw. */
import { DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { createTables, localTables } from '../../dev/tables';
import { seedMysfits } from '../../dev/seed';

export const tables = {
  mysfits: process.env.MYSFITS_TABLE as string,
  activity: process.env.ACTIVITY_TABLE as string,
  visitorSalts: process.env.VISITOR_SALTS_TABLE as string,
};

/** The site the seeded pictures point at (no website runs in this tier). */
export const SITE_URL = 'http://127.0.0.1:8080';

export const client = new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT });

export async function createSeededTables(): Promise<void> {
  await createTables(
    client,
    await localTables({ mysfitsTableName: tables.mysfits, activityTableName: tables.activity, visitorSaltsTableName: tables.visitorSalts }),
  );
  await seedMysfits(client, tables.mysfits, SITE_URL);
}

export async function scanAll(tableName: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateScan({ client }, { TableName: tableName, ConsistentRead: true })) {
    for (const item of page.Items ?? []) items.push(unmarshall(item));
  }
  return items;
}

/** Both tables, sorted, for before/after comparisons. */
export async function snapshot() {
  const sortKey = (item: Record<string, unknown>) => JSON.stringify(item);
  const [mysfits, activity] = await Promise.all([scanAll(tables.mysfits), scanAll(tables.activity)]);
  return {
    mysfits: mysfits.sort((a, b) => sortKey(a).localeCompare(sortKey(b))),
    activity: activity.sort((a, b) => sortKey(a).localeCompare(sortKey(b))),
  };
}
