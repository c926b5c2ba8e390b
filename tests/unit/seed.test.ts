/**
 * scripts/seed.ts: the twelve mysfits are written so that seeding again never resets likes or adoptions, with their
 * pictures on the stage's own site.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { SEED_MYSFITS, seedFacts, seedMysfits } from '../../dev/seed';
import { hashedKey, PICTURES_DIR } from '../../web/assets.cjs';
import { GOOD_EVIL, LAW_CHAOS, type MysfitFacts, type MysfitItem } from '../../shared/mysfitItem';
import { mysfitPathSchema } from '../../shared/validation';
import { mysfitItem } from '../support/fixtures';
import { applySetUpdate } from '../support/updateExpression';

const ddb = mockClient(DynamoDBDocumentClient);
const TABLE = 'mysfits-local-mysfits';
const ADOPTER = 'a2c4e6f8-0000-4000-8000-000000000000';
const SITE = 'https://d111111abcdef8.cloudfront.net';
const FACTS = seedFacts(SITE);

/** The table attribute each seed fact is stored in: the workshop's names (see MysfitItem). */
const ATTRIBUTE_OF: Record<keyof MysfitFacts, keyof MysfitItem> = {
  mysfitId: 'MysfitId',
  name: 'Name',
  species: 'Species',
  age: 'Age',
  description: 'Description',
  goodevil: 'GoodEvil',
  lawchaos: 'LawChaos',
  thumbImageUri: 'ThumbImageUri',
  profileImageUri: 'ProfileImageUri',
};

/** The facts as the table holds them. */
const stored = (facts: MysfitFacts) =>
  Object.fromEntries(Object.entries(ATTRIBUTE_OF).map(([fact, attribute]) => [attribute, facts[fact as keyof MysfitFacts]]));

beforeEach(() => {
  ddb.reset();
  // An empty table, unless a test says otherwise.
  ddb.on(ScanCommand).resolves({ Items: [] });
});

test('into an empty table: one Scan, then one UpdateCommand per mysfit, twelve in all, and nothing else', async () => {
  // Arrange
  ddb.on(UpdateCommand).resolves({});
  // Act
  const count = await seedMysfits(new DynamoDBClient({ region: 'us-east-1' }), TABLE, SITE);
  // Assert
  expect(count).toBe(12);
  expect(ddb).toHaveReceivedCommandWith(ScanCommand, { TableName: TABLE });
  expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 12);
  expect(ddb).not.toHaveReceivedCommand(PutCommand);
  expect(ddb.calls()).toHaveLength(13);
});

test('writes only the mysfits whose facts differ: none on a restart with the same site, likes and adoptions untouched', async () => {
  // Arrange: the table as the seed left it (likes and an adoption since), over two pages
  const items: Array<Record<string, unknown>> = FACTS.map((facts) => ({ ...stored(facts), Likes: 2, Adopted: false }));
  items[0] = { ...items[0]!, Adopted: true, AdoptedBy: ADOPTER, AdoptedAt: '2026-11-01T10:00:00.000Z' };
  ddb
    .on(ScanCommand)
    .resolvesOnce({ Items: items.slice(0, 5), LastEvaluatedKey: { MysfitId: items[4]!.MysfitId as string } })
    .resolves({ Items: items.slice(5) });
  ddb.on(UpdateCommand).resolves({});
  // Act
  const count = await seedMysfits(new DynamoDBClient({ region: 'us-east-1' }), TABLE, SITE);
  // Assert
  expect(count).toBe(0);
  expect(ddb).toHaveReceivedCommandTimes(ScanCommand, 2);
  expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
});

test('a changed fact, a missing counter or a missing mysfit is written again, and only those', async () => {
  // Arrange
  const items: Array<Record<string, unknown>> = FACTS.map((facts) => ({ ...stored(facts), Likes: 0, Adopted: false }));
  items[1] = { ...items[1]!, Age: 999 };
  items[2] = { ...items[2]! };
  delete items[2].Likes;
  ddb.on(ScanCommand).resolves({ Items: items.slice(0, 11) });
  ddb.on(UpdateCommand).resolves({});
  // Act
  const count = await seedMysfits(new DynamoDBClient({ region: 'us-east-1' }), TABLE, SITE);
  // Assert
  expect(count).toBe(3);
  const written = ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input.Key?.MysfitId);
  expect(written).toEqual([FACTS[1]!.mysfitId, FACTS[2]!.mysfitId, FACTS[11]!.mysfitId]);
});

test('each update sets the facts, and sets Likes and Adopted only if_not_exists', async () => {
  // Arrange
  ddb.on(UpdateCommand).resolves({});
  const usersDid = { Likes: 5, Adopted: true, AdoptedBy: ADOPTER, AdoptedAt: '2026-11-01T10:00:00.000Z' };
  // Act
  await seedMysfits(new DynamoDBClient({ region: 'us-east-1' }), TABLE, SITE);
  // Assert
  const updates = ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input);
  expect(updates.map(({ TableName, Key }) => ({ TableName, Key }))).toEqual(
    FACTS.map((facts) => ({ TableName: TABLE, Key: { MysfitId: facts.mysfitId } })),
  );
  for (const [i, facts] of FACTS.entries()) {
    const update = updates[i]!;
    // A mysfit not yet in the table gets its facts, no likes and no adopter.
    expect(applySetUpdate({ ...update.Key }, update)).toStrictEqual({ ...stored(facts), Likes: 0, Adopted: false });
    // Seeding again over an older version refreshes its facts and keeps what users did.
    const older = mysfitItem({ MysfitId: facts.mysfitId, Age: -1, Description: 'An older description', ...usersDid });
    expect(applySetUpdate(older, update)).toStrictEqual({ ...stored(facts), ...usersDid });
  }
});

test('no update overwrites Likes, Adopted or an adopter outright', async () => {
  // Arrange
  ddb.on(UpdateCommand).resolves({});
  // Act
  await seedMysfits(new DynamoDBClient({ region: 'us-east-1' }), TABLE, SITE);
  // Assert
  for (const call of ddb.commandCalls(UpdateCommand)) {
    const expression = call.args[0].input.UpdateExpression ?? '';
    expect(expression).not.toMatch(/\b(Likes|Adopted) = :/);
    expect(expression).not.toMatch(/AdoptedBy|AdoptedAt|REMOVE/);
  }
});

test('a failed write fails the seed with its error (the writes go out together)', async () => {
  // Arrange
  const failure = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' });
  ddb.on(UpdateCommand).resolvesOnce({}).rejectsOnce(failure);
  // Act
  const seeding = seedMysfits(new DynamoDBClient({ region: 'us-east-1' }), TABLE, SITE);
  // Assert
  await expect(seeding).rejects.toBe(failure);
  expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 12);
});

test('a seed on another site (another port, a new distribution) points every picture there, and keeps what users did', async () => {
  // Arrange
  ddb.on(UpdateCommand).resolves({});
  const elsewhere = 'http://127.0.0.1:18080';
  const usersDid = { Likes: 3, Adopted: true, AdoptedBy: ADOPTER, AdoptedAt: '2026-11-01T10:00:00.000Z' };
  // Act
  await seedMysfits(new DynamoDBClient({ region: 'us-east-1' }), TABLE, elsewhere);
  // Assert
  for (const call of ddb.commandCalls(UpdateCommand)) {
    const update = call.args[0].input;
    const before = mysfitItem({ MysfitId: String(update.Key?.MysfitId), ThumbImageUri: `${SITE}/assets/old.svg`, ...usersDid });
    const after = applySetUpdate(before, update);
    expect(after.ThumbImageUri).toMatch(/^http:\/\/127\.0\.0\.1:18080\/assets\/[a-z]+\.[0-9a-f]{10}\.svg$/);
    expect(after.ProfileImageUri).toBe(after.ThumbImageUri);
    expect(after).toMatchObject(usersDid);
  }
});

describe('the pictures', () => {
  test.each(SEED_MYSFITS.map((m) => [m.name, m] as const))(
    "%s's picture is an SVG of web/pictures under 15 KB, named by its content on the site",
    (_name, mysfit) => {
      // Arrange
      const file = join(PICTURES_DIR, mysfit.picture);
      // Act
      const facts = FACTS.find((f) => f.mysfitId === mysfit.mysfitId);
      // Assert
      expect(statSync(file).size).toBeLessThan(15 * 1024);
      expect(readFileSync(file, 'utf8')).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*>.*<\/svg>\s*$/s);
      expect(facts?.thumbImageUri).toBe(`${SITE}/${hashedKey(mysfit.picture, readFileSync(file))}`);
    },
  );

  test('twelve different pictures', () => {
    expect(new Set(SEED_MYSFITS.map((m) => m.picture)).size).toBe(12);
  });
});

describe('the seed data fits the API', () => {
  test('twelve mysfits with distinct ids', () => {
    // Act
    const ids = new Set(SEED_MYSFITS.map((m) => m.mysfitId));
    // Assert
    expect(ids.size).toBe(12);
  });

  test.each(SEED_MYSFITS.map((m) => [m.name, m] as const))(
    '%s has an id the routes accept and alignments the filters know',
    (_name, mysfit) => {
      // Act
      const parsed = mysfitPathSchema.safeParse({ mysfitId: mysfit.mysfitId });
      // Assert
      expect(parsed.success).toBe(true);
      expect(GOOD_EVIL).toContain(mysfit.goodevil);
      expect(LAW_CHAOS).toContain(mysfit.lawchaos);
      expect(Number.isInteger(mysfit.age)).toBe(true);
    },
  );
});
