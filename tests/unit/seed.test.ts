/** scripts/seed.ts: the twelve mysfits are written so that seeding again never resets likes or adoptions. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { SEED_MYSFITS, seedMysfits } from '../../dev/seed';
import { GOOD_EVIL, LAW_CHAOS, type MysfitFacts, type MysfitItem } from '../../shared/mysfitItem';
import { mysfitPathSchema } from '../../shared/validation';
import { mysfitItem } from '../support/fixtures';
import { applySetUpdate } from '../support/updateExpression';

const ddb = mockClient(DynamoDBDocumentClient);
const TABLE = 'mysfits-local-mysfits';
const ADOPTER = 'a2c4e6f8-0000-4000-8000-000000000000';

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

beforeEach(() => ddb.reset());

test('sends one UpdateCommand per mysfit, twelve in all, and nothing else', async () => {
  // Arrange
  ddb.on(UpdateCommand).resolves({});
  // Act
  const count = await seedMysfits(new DynamoDBClient({ region: 'us-east-1' }), TABLE);
  // Assert
  expect(count).toBe(12);
  expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 12);
  expect(ddb).not.toHaveReceivedCommand(PutCommand);
  expect(ddb.calls()).toHaveLength(12);
});

test('each update sets the facts, and sets Likes and Adopted only if_not_exists', async () => {
  // Arrange
  ddb.on(UpdateCommand).resolves({});
  const usersDid = { Likes: 5, Adopted: true, AdoptedBy: ADOPTER, AdoptedAt: '2026-11-01T10:00:00.000Z' };
  // Act
  await seedMysfits(new DynamoDBClient({ region: 'us-east-1' }), TABLE);
  // Assert
  const updates = ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input);
  expect(updates.map(({ TableName, Key }) => ({ TableName, Key }))).toEqual(
    SEED_MYSFITS.map((facts) => ({ TableName: TABLE, Key: { MysfitId: facts.mysfitId } })),
  );
  for (const [i, facts] of SEED_MYSFITS.entries()) {
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
  await seedMysfits(new DynamoDBClient({ region: 'us-east-1' }), TABLE);
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
  const seeding = seedMysfits(new DynamoDBClient({ region: 'us-east-1' }), TABLE);
  // Assert
  await expect(seeding).rejects.toBe(failure);
  expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 12);
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
