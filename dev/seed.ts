/**
 * The twelve mysfits (data/mysfits.json) into a mysfits table. Idempotent: facts are (re)written, likes and adoptions
 * kept. Their pictures' addresses point at the stage's own website (web/pictures, published under content-hashed
 * names, web/assets.cjs), so seeding again after a site moved (another port, a new distribution) updates them.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import seed from '../data/mysfits.json';
import { seedItemUpdate, type MysfitFacts } from '../shared/mysfitItem';
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

export async function seedMysfits(client: DynamoDBClient, tableName: string, siteUrl: string): Promise<number> {
  const facts = seedFacts(siteUrl);
  const documents = DynamoDBDocumentClient.from(client);
  await Promise.all(facts.map((one) => documents.send(new UpdateCommand(seedItemUpdate(tableName, one)))));
  return facts.length;
}
