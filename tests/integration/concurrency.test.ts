/** Concurrent requests on one mysfit: counts are exact and there is only ever one adopter. */
import { handler as adoptMysfit } from '../../functions/adoptMysfit';
import { handler as getMysfit } from '../../functions/getMysfit';
import { handler as likeMysfit } from '../../functions/likeMysfit';
import { handler as unlikeMysfit } from '../../functions/unlikeMysfit';
import { eventFor, invoke } from '../../dev/sampleEvents';
import { createSeededTables, scanAll, tables } from './database';

const GARY = '3f0f196c-4a7b-43af-9e29-6522a715342d';
const NESSI = 'a68db521-c031-44c7-b5ef-bfa4c0850e2a';
const HASLA = 'a901bb08-1985-42f5-bb77-27439ac14300';

const as = (userId: string, mysfitId: string) => ({
  pathParameters: { mysfitId },
  claims: { sub: userId, email: `${userId}@example.com` },
});
const likesOf = async (mysfitId: string) => (await invoke(getMysfit, eventFor('getMysfit', { pathParameters: { mysfitId } }))).json.likes;
const times = <T>(n: number, make: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => make(i)));

beforeAll(createSeededTables);

test('50 distinct users like one mysfit at once: exactly +50', async () => {
  // Arrange
  const before = await likesOf(GARY);
  // Act
  const responses = await times(50, (i) => invoke(likeMysfit, eventFor('likeMysfit', as(`fan-${i}`, GARY))));
  // Assert
  expect(responses.map((r) => r.statusCode)).toEqual(Array(50).fill(200));
  expect(await likesOf(GARY)).toBe(Number(before) + 50);
  const records = (await scanAll(tables.activity)).filter((r) => r.MysfitId === GARY);
  expect(records).toHaveLength(50);
});

test('one user likes one mysfit 20 times at once: exactly +1', async () => {
  const before = await likesOf(NESSI);
  const responses = await times(20, () => invoke(likeMysfit, eventFor('likeMysfit', as('eager', NESSI))));
  expect(responses.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
  expect(await likesOf(NESSI)).toBe(Number(before) + 1);
});

test('the same user unlikes 20 times at once: exactly -1, never negative', async () => {
  const before = await likesOf(NESSI);
  const responses = await times(20, () => invoke(unlikeMysfit, eventFor('unlikeMysfit', as('eager', NESSI))));
  expect(responses.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
  expect(await likesOf(NESSI)).toBe(Number(before) - 1);
  expect(await likesOf(NESSI)).toBeGreaterThanOrEqual(0);
});

test('10 users adopt one mysfit at once: one 200, nine 409, one adopter recorded', async () => {
  const responses = await times(10, (i) => invoke(adoptMysfit, eventFor('adoptMysfit', as(`adopter-${i}`, HASLA))));
  const statuses = responses.map((r) => r.statusCode).sort();
  expect(statuses).toEqual([200, ...Array(9).fill(409)]);
  const winner = responses.findIndex((r) => r.statusCode === 200);
  const [hasla] = (await scanAll(tables.mysfits)).filter((m) => m.MysfitId === HASLA);
  expect(hasla?.AdoptedBy).toBe(`adopter-${winner}`);
  const adoptions = (await scanAll(tables.activity)).filter((r) => r.MysfitId === HASLA && r.Kind === 'ADOPT');
  expect(adoptions.map((r) => r.UserId)).toEqual([`adopter-${winner}`]);
});
