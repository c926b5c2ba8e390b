/**
 * The delivery stream's data transformation: adds each click's mysfit (name, species, alignment) from the mysfits
 * table, with one batched read per invocation and a cache kept across invocations. A record whose mysfit is unknown
 * (or that is not a click at all) is marked ProcessingFailed, which sends it to the error prefix instead of failing
 * the batch. Output records are newline-delimited JSON.
 */
import { BatchGetCommand, type BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { FirehoseTransformationEvent, FirehoseTransformationResult, FirehoseTransformationResultRecord } from 'aws-lambda';
import { MYSFITS_TABLE } from './mysfitsTable';
import { backOff } from './backoff';
import { dynamodb } from './dynamodb';
import { count } from './metrics';
import { mysfitKey } from './mysfitItem';

export interface MysfitAttributes {
  name: string;
  species: string;
  goodevil: string;
  lawchaos: string;
}

const KNOWN_TTL_MS = 10 * 60_000;
// Unknown ids are remembered briefly too, so a burst of bad ids does not read the table again and again.
const UNKNOWN_TTL_MS = 60_000;
const BATCH_GET_LIMIT = 100;
const MAX_ROUNDS = 5;

// One per function instance (tests start a new instance with jest's module isolation: tests/unit/enrichClicks.test.ts).
const cache = new Map<string, { expires: number; attributes: MysfitAttributes | null }>();

async function readMysfits(ids: string[]): Promise<Map<string, MysfitAttributes>> {
  const found = new Map<string, MysfitAttributes>();
  for (let start = 0; start < ids.length; start += BATCH_GET_LIMIT) {
    let keys: Array<Record<string, unknown>> | undefined = ids.slice(start, start + BATCH_GET_LIMIT).map(mysfitKey);
    for (let round = 1; keys && keys.length > 0; round++) {
      const { Responses, UnprocessedKeys }: BatchGetCommandOutput = await dynamodb.send(
        new BatchGetCommand({
          RequestItems: {
            [MYSFITS_TABLE]: {
              Keys: keys,
              ProjectionExpression: 'MysfitId, #name, Species, GoodEvil, LawChaos',
              ExpressionAttributeNames: { '#name': 'Name' },
            },
          },
        }),
      );
      for (const item of Responses?.[MYSFITS_TABLE] ?? []) {
        found.set(String(item.MysfitId), {
          name: String(item.Name),
          species: String(item.Species),
          goodevil: String(item.GoodEvil),
          lawchaos: String(item.LawChaos),
        });
      }
      keys = UnprocessedKeys?.[MYSFITS_TABLE]?.Keys;
      if (keys && keys.length > 0 && round >= MAX_ROUNDS) throw new Error(`${keys.length} mysfits could not be read (throttled)`);
      if (keys && keys.length > 0) await backOff(round, { baseMs: 20 });
    }
  }
  return found;
}

/** The attributes of each id (null for an unknown one), from the cache or one batched read of the missing ones. */
export async function mysfitAttributes(ids: string[], now = Date.now()): Promise<Map<string, MysfitAttributes | null>> {
  const result = new Map<string, MysfitAttributes | null>();
  const missing: string[] = [];
  for (const id of new Set(ids)) {
    const hit = cache.get(id);
    if (hit && hit.expires > now) result.set(id, hit.attributes);
    else missing.push(id);
  }
  if (missing.length > 0) {
    const found = await readMysfits(missing);
    for (const id of missing) {
      const attributes = found.get(id) ?? null;
      cache.set(id, { expires: now + (attributes ? KNOWN_TTL_MS : UNKNOWN_TTL_MS), attributes });
      result.set(id, attributes);
    }
  }
  return result;
}

function decode(data: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const failed = (recordId: string, data: string): FirehoseTransformationResultRecord => ({ recordId, result: 'ProcessingFailed', data });

export async function enrichClicks(event: FirehoseTransformationEvent): Promise<FirehoseTransformationResult> {
  const decoded = event.records.map((record) => ({ record, click: decode(record.data) }));
  const ids = decoded.flatMap(({ click }) => (typeof click?.mysfitId === 'string' ? [click.mysfitId] : []));
  const attributes = await mysfitAttributes(ids);
  const result: FirehoseTransformationResult = {
    records: decoded.map(({ record, click }) => {
      if (!click || typeof click.action !== 'string') return failed(record.recordId, record.data);
      let enriched: Record<string, unknown> = click;
      if (click.mysfitId !== undefined) {
        const mysfit = attributes.get(String(click.mysfitId));
        if (!mysfit) return failed(record.recordId, record.data);
        enriched = { ...click, ...mysfit };
      }
      return { recordId: record.recordId, result: 'Ok', data: Buffer.from(`${JSON.stringify(enriched)}\n`).toString('base64') };
    }),
  };
  count('EnrichmentFailures', result.records.filter((r) => r.result === 'ProcessingFailed').length);
  return result;
}
