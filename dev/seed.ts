/**
 * The twelve mysfits (data/mysfits.json) into a mysfits table. Idempotent: facts are (re)written where they differ,
 * likes and adoptions kept. Their pictures' addresses point at the stage's own website (web/pictures, published
 * under content-hashed names, web/assets.cjs), so seeding again after a site moved (another port, a new
 * distribution) updates them.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { isDeepStrictEqual } from 'node:util';
import { DynamoDBDocumentClient, paginateScan, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import seed from '../data/mysfits.json';
import { seedItemUpdate, toMysfit, type MysfitFacts, type MysfitItem } from '../shared/mysfitItem';
import { pictureUrl } from '../web/assets.cjs';

/** A mysfit as data/mysfits.json holds it: its facts, and its picture's file in web/pictures. */
export type SeedMysfit = Omit<MysfitFacts, 'thumbImageUri' | 'profileImageUri'> & { picture: string };

export const SEED_MYSFITS: readonly SeedMysfit[] = seed.mysfits;

/** The facts the table gets on a site at `siteUrl`: one picture serves both sizes (an SVG drawn for both). */
export function seedFacts(siteUrl: string): MysfitFacts[] {
  return SEED_MYSFITS.map(({ picture, ...facts }) => {
    const uri = pictureUrl(siteUrl, picture);
    return { ...facts, thumbImageUri: uri, profileImageUri: uri };
  });
}

/**
 * Writes the mysfits whose facts in the table differ from the seed's (all of them in a new table, none on a restart
 * with the same site): one Scan, then those updates side by side. Returns how many it wrote.
 */
export async function seedMysfits(client: DynamoDBClient, tableName: string, siteUrl: string): Promise<number> {
  const documents = DynamoDBDocumentClient.from(client);
  const stored = new Map<string, MysfitItem>();
  for await (const page of paginateScan({ client: documents }, { TableName: tableName })) {
    for (const item of (page.Items ?? []) as MysfitItem[]) stored.set(item.MysfitId, item);
  }
  const changed = seedFacts(siteUrl).filter((facts) => !isSeeded(stored.get(facts.mysfitId), facts));
  await Promise.all(changed.map((facts) => documents.send(new UpdateCommand(seedItemUpdate(tableName, facts)))));
  return changed.length;
}

/** Whether the item holds these facts already, and the counters the seed would otherwise start. */
function isSeeded(item: MysfitItem | undefined, facts: MysfitFacts): boolean {
  if (!item || item.Likes === undefined || item.Adopted === undefined) return false;
  const held = toMysfit(item);
  return (Object.keys(facts) as Array<keyof MysfitFacts>).every((key) => isDeepStrictEqual(held[key], facts[key]));
}
