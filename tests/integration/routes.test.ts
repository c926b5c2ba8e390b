/** Every route's behaviour, with the handlers running in-process against DynamoDB Local. */
import { handler as adoptMysfit } from '../../functions/adoptMysfit';
import { handler as getMe } from '../../functions/getMe';
import { handler as getMysfit } from '../../functions/getMysfit';
import { handler as likeMysfit } from '../../functions/likeMysfit';
import { handler as listMysfits } from '../../functions/listMysfits';
import { handler as unlikeMysfit } from '../../functions/unlikeMysfit';
import { seedMysfits, SEED_MYSFITS } from '../../dev/seed';
import { eventFor, invoke } from '../../dev/sampleEvents';
import { client, createSeededTables, scanAll, SITE_URL, snapshot, tables } from './database';

const EVANGELINE = '4e53920c-505a-4a90-a694-b9300791f0ae';
const PAULY = '2b473002-36f8-4b87-954e-9a377e0ccbec';
const COCO = '0e37d916-f960-4772-a25a-01b762b5c1bd';
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

const user = (name: string) => ({ sub: `sub-${name}`, email: `${name}@example.com`, token_use: 'id' });
const onMysfit = (mysfitId: string, name: string) => ({ pathParameters: { mysfitId }, claims: user(name) });

beforeAll(createSeededTables);

describe('GET /mysfits', () => {
  test('lists all twelve seeded mysfits, sorted by name, in the workshop field names', async () => {
    // Act
    const res = await invoke(listMysfits, eventFor('listMysfits', { queryStringParameters: null }));
    // Assert
    expect(res.statusCode).toBe(200);
    const mysfits = res.json.mysfits as Array<Record<string, unknown>>;
    expect(mysfits).toHaveLength(12);
    expect(mysfits.map((m) => m.name)).toEqual([...SEED_MYSFITS.map((m) => m.name)].sort((a, b) => a.localeCompare(b)));
    expect(mysfits[0]).toEqual(
      expect.objectContaining({
        mysfitId: expect.any(String),
        name: 'Atlantis',
        species: 'Mandrake',
        goodevil: 'Neutral',
        lawchaos: 'Neutral',
        thumbImageUri: expect.any(String),
        likes: 0,
        adopted: false,
      }),
    );
  });

  test.each([
    ['GoodEvil', 'Good', ['CoCo', 'Cole', 'Hasla', 'Twilight Glitter']],
    ['GoodEvil', 'Evil', ['Evangeline', 'Gretta', 'Rujin', 'Snowflake']],
    ['LawChaos', 'Lawful', ['Evangeline', 'Pauly', 'Twilight Glitter']],
    ['LawChaos', 'Chaotic', ['CoCo', 'Cole', 'Gary', 'Rujin']],
  ])('filter=%s&value=%s returns exactly that alignment', async (filter, value, names) => {
    const res = await invoke(listMysfits, eventFor('listMysfits', { queryStringParameters: { filter, value } }));
    expect(res.statusCode).toBe(200);
    expect((res.json.mysfits as Array<{ name: string }>).map((m) => m.name)).toEqual(names);
  });

  test.each([
    [{ filter: 'Species', value: 'Yeti' }],
    [{ filter: 'GoodEvil', value: 'Lawful' }],
    [{ filter: 'GoodEvil' }],
    [{ value: 'Good' }],
  ])('%j is a 400 with a JSON message', async (query) => {
    const res = await invoke(listMysfits, eventFor('listMysfits', { queryStringParameters: query as Record<string, string> }));
    expect(res.statusCode).toBe(400);
    expect(res.json.message).toEqual(expect.stringContaining('Invalid query string'));
  });
});

describe('GET /mysfits/{mysfitId}', () => {
  test('returns the profile with numbers and booleans typed', async () => {
    const res = await invoke(getMysfit, eventFor('getMysfit', { pathParameters: { mysfitId: EVANGELINE } }));
    expect(res.statusCode).toBe(200);
    expect(res.json).toEqual({
      mysfitId: EVANGELINE,
      name: 'Evangeline',
      species: 'Chimera',
      age: 43,
      goodevil: 'Evil',
      lawchaos: 'Lawful',
      description: expect.any(String),
      thumbImageUri: expect.any(String),
      profileImageUri: expect.any(String),
      likes: 0,
      adopted: false,
    });
  });

  test('an unknown id is a 404; a malformed one a 400', async () => {
    const unknown = await invoke(getMysfit, eventFor('getMysfit', { pathParameters: { mysfitId: UNKNOWN } }));
    const malformed = await invoke(getMysfit, eventFor('getMysfit', { pathParameters: { mysfitId: 'not-a-uuid' } }));
    expect([unknown.statusCode, malformed.statusCode]).toEqual([404, 400]);
    expect(unknown.json.message).toEqual(expect.any(String));
    expect(malformed.json.message).toEqual(expect.stringContaining('mysfitId'));
  });
});

describe('likes', () => {
  test('like counts once per user, unlike takes it back, repeats change nothing', async () => {
    const first = await invoke(likeMysfit, eventFor('likeMysfit', onMysfit(PAULY, 'ada')));
    const again = await invoke(likeMysfit, eventFor('likeMysfit', onMysfit(PAULY, 'ada')));
    const other = await invoke(likeMysfit, eventFor('likeMysfit', onMysfit(PAULY, 'bob')));
    expect([first.json, again.json, other.json]).toEqual([
      { mysfitId: PAULY, likes: 1, liked: true },
      { mysfitId: PAULY, likes: 1, liked: true },
      { mysfitId: PAULY, likes: 2, liked: true },
    ]);

    const unlike = await invoke(unlikeMysfit, eventFor('unlikeMysfit', onMysfit(PAULY, 'ada')));
    const unlikeAgain = await invoke(unlikeMysfit, eventFor('unlikeMysfit', onMysfit(PAULY, 'ada')));
    const neverLiked = await invoke(unlikeMysfit, eventFor('unlikeMysfit', onMysfit(PAULY, 'cy')));
    expect([unlike.json, unlikeAgain.json, neverLiked.json]).toEqual([
      { mysfitId: PAULY, likes: 1, liked: false },
      { mysfitId: PAULY, likes: 1, liked: false },
      { mysfitId: PAULY, likes: 1, liked: false },
    ]);
    const profile = await invoke(getMysfit, eventFor('getMysfit', { pathParameters: { mysfitId: PAULY } }));
    expect(profile.json.likes).toBe(1);
  });

  test('the user is the authorizer claim, never the request', async () => {
    const event = eventFor('likeMysfit', onMysfit(COCO, 'eve'));
    event.body = JSON.stringify({ userId: 'sub-mallory' });
    event.headers['X-User-Id'] = 'sub-mallory';
    await invoke(likeMysfit, event);
    const records = (await scanAll(tables.activity)).filter((r) => r.MysfitId === COCO);
    expect(records.map((r) => r.UserId)).toEqual(['sub-eve']);
  });
});

describe('adoption', () => {
  test('records who and when; the same user again is a 200, another user a 409', async () => {
    const first = await invoke(adoptMysfit, eventFor('adoptMysfit', onMysfit(EVANGELINE, 'ada')));
    const [before] = (await scanAll(tables.mysfits)).filter((m) => m.MysfitId === EVANGELINE);
    const again = await invoke(adoptMysfit, eventFor('adoptMysfit', onMysfit(EVANGELINE, 'ada')));
    const other = await invoke(adoptMysfit, eventFor('adoptMysfit', onMysfit(EVANGELINE, 'bob')));
    const [after] = (await scanAll(tables.mysfits)).filter((m) => m.MysfitId === EVANGELINE);

    expect([first.statusCode, again.statusCode, other.statusCode]).toEqual([200, 200, 409]);
    expect(first.json).toEqual({ mysfitId: EVANGELINE, adopted: true, adoptedByYou: true });
    expect(other.json.message).toEqual(expect.stringContaining('already been adopted'));
    expect(before).toEqual(
      expect.objectContaining({ Adopted: true, AdoptedBy: 'sub-ada', AdoptedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }),
    );
    expect(after).toEqual(before);
    const profile = await invoke(getMysfit, eventFor('getMysfit', { pathParameters: { mysfitId: EVANGELINE } }));
    expect(profile.json.adopted).toBe(true);
  });
});

describe('GET /me', () => {
  test("returns the user's id, email, likes and adoptions", async () => {
    const gretta = 'da5303ae-5aba-495c-b5d6-eb5c4a66b941';
    const rujin = 'b6d16e02-6aeb-413c-b457-321151bb403d';
    await invoke(likeMysfit, eventFor('likeMysfit', onMysfit(gretta, 'zoe')));
    await invoke(likeMysfit, eventFor('likeMysfit', onMysfit(rujin, 'zoe')));
    await invoke(adoptMysfit, eventFor('adoptMysfit', onMysfit(rujin, 'zoe')));

    const res = await invoke(getMe, eventFor('getMe', { claims: user('zoe') }));

    expect(res.statusCode).toBe(200);
    expect(res.json).toEqual({ userId: 'sub-zoe', email: 'zoe@example.com', liked: [rujin, gretta].sort(), adopted: [rujin] });
  });

  test('a user with no activity has empty lists', async () => {
    const res = await invoke(getMe, eventFor('getMe', { claims: user('nobody') }));
    expect(res.json).toEqual({ userId: 'sub-nobody', email: 'nobody@example.com', liked: [], adopted: [] });
  });
});

describe('unknown ids change nothing', () => {
  test.each([
    ['likeMysfit', likeMysfit],
    ['unlikeMysfit', unlikeMysfit],
    ['adoptMysfit', adoptMysfit],
  ] as const)('%s of an unknown id is a 404 and leaves both tables as they were', async (name, handler) => {
    // Arrange
    const before = await snapshot();
    // Act
    const res = await invoke(handler, eventFor(name, onMysfit(UNKNOWN, 'ada')));
    // Assert
    expect(res.statusCode).toBe(404);
    expect(await snapshot()).toEqual(before);
    const list = await invoke(listMysfits, eventFor('listMysfits', { queryStringParameters: null }));
    expect(list.statusCode).toBe(200);
  });
});

describe('seeding', () => {
  test('seeding again keeps likes and adoptions', async () => {
    const before = await snapshot();
    await seedMysfits(client, tables.mysfits, SITE_URL);
    expect(await snapshot()).toEqual(before);
  });
});
