/**
 * GET /mysfits a page at a time on DynamoDB Local, with a table of thousands of mysfits: following nextCursor, every
 * mysfit comes exactly once, for the whole list and for each filter; without a limit, the cap, then the rest.
 */
import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { handler as listMysfits } from '../../functions/listMysfits';
import { FILTER_VALUES, type FilterName } from '../../shared/contract';
import { UNPAGED_CAP } from '../../shared/mysfits';
import { eventFor, invoke } from '../../dev/sampleEvents';
import { mysfitItem } from '../support/fixtures';
import { client, createSeededTables, tables } from './database';

jest.setTimeout(120_000);

const COUNT = 2_500;
/** Every mysfit in the table (the twelve seeded ones and the generated ones), by id, with its alignment. */
const all = new Map<string, { GoodEvil: string; LawChaos: string }>();

beforeAll(async () => {
  await createSeededTables();
  // The seeded twelve are in the table too (read while they are all of it).
  const seeded = await invoke(listMysfits, eventFor('listMysfits', { queryStringParameters: null }));
  for (const m of seeded.json.mysfits as Array<{ mysfitId: string; goodevil: string; lawchaos: string }>)
    all.set(m.mysfitId, { GoodEvil: m.goodevil, LawChaos: m.lawchaos });
  const documents = DynamoDBDocumentClient.from(client);
  const items = Array.from({ length: COUNT }, (_, i) =>
    mysfitItem({
      MysfitId: randomUUID(),
      Name: `Mysfit ${i}`,
      GoodEvil: FILTER_VALUES.GoodEvil[i % 3] as string,
      LawChaos: FILTER_VALUES.LawChaos[Math.floor(i / 3) % 3] as string,
    }),
  );
  for (let i = 0; i < items.length; i += 25) {
    await documents.send(
      new BatchWriteCommand({ RequestItems: { [tables.mysfits]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }),
    );
  }
  for (const item of items) all.set(item.MysfitId, { GoodEvil: item.GoodEvil, LawChaos: item.LawChaos });
});

/** Follows nextCursor from the first page to the last; the ids of every page, in order. */
async function pageThrough(query: Record<string, string>): Promise<{ ids: string[]; pages: number; largest: number }> {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  let largest = 0;
  do {
    const res = await invoke(listMysfits, eventFor('listMysfits', { queryStringParameters: { ...query, ...(cursor ? { cursor } : {}) } }));
    expect(res.statusCode).toBe(200);
    const page = res.json.mysfits as Array<{ mysfitId: string }>;
    ids.push(...page.map((m) => m.mysfitId));
    largest = Math.max(largest, page.length);
    cursor = res.json.nextCursor as string | undefined;
    pages += 1;
    if (pages > 1_000) throw new Error('no last page');
  } while (cursor);
  return { ids, pages, largest };
}

const expectEachOnce = (ids: string[], expected: string[]) => {
  expect(ids.length).toBe(new Set(ids).size);
  expect([...ids].sort()).toEqual([...expected].sort());
};

test('the whole list, 100 a page: every mysfit exactly once', async () => {
  const { ids, pages, largest } = await pageThrough({ limit: '100' });
  expectEachOnce(ids, [...all.keys()]);
  expect(largest).toBe(100);
  expect(pages).toBeGreaterThanOrEqual(Math.ceil(all.size / 100));
});

test.each((Object.keys(FILTER_VALUES) as FilterName[]).flatMap((filter) => FILTER_VALUES[filter].map((value) => [filter, value] as const)))(
  'filter %s=%s, 37 a page: each of its mysfits exactly once, and no other',
  async (filter, value) => {
    const { ids } = await pageThrough({ filter, value, limit: '37' });
    expectEachOnce(
      ids,
      [...all].filter(([, alignment]) => alignment[filter] === value).map(([id]) => id),
    );
  },
);

test(`without a limit: ${UNPAGED_CAP} at most, then the rest through nextCursor, each exactly once`, async () => {
  const { ids, largest } = await pageThrough({});
  expect(largest).toBe(UNPAGED_CAP);
  expectEachOnce(ids, [...all.keys()]);
});
