/** The twelve mysfits (data/mysfits.json) into a mysfits table. Idempotent: facts are (re)written, likes and adoptions kept. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import seed from '../data/mysfits.json';
import { seedItemUpdate, type MysfitFacts } from '../shared/mysfitItem';

export const SEED_MYSFITS: readonly MysfitFacts[] = seed.mysfits;

export async function seedMysfits(client: DynamoDBClient, tableName: string): Promise<number> {
  const documents = DynamoDBDocumentClient.from(client);
  await Promise.all(SEED_MYSFITS.map((facts) => documents.send(new UpdateCommand(seedItemUpdate(tableName, facts)))));
  return SEED_MYSFITS.length;
}
