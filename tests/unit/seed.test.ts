/** scripts/seed.ts: the twelve mysfits are written so that seeding again never resets likes or adoptions. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { SEED_MYSFITS, seedMysfits } from '../../scripts/seed';
import { GOOD_EVIL, LAW_CHAOS } from '../../shared/mysfitItem';
import { mysfitPathSchema } from '../../shared/validation';

const ddb = mockClient(DynamoDBDocumentClient);
const TABLE = 'mysfits-local-mysfits';

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
  // Act
  await seedMysfits(new DynamoDBClient({ region: 'us-east-1' }), TABLE);
  // Assert
  for (const facts of SEED_MYSFITS) {
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: TABLE,
      Key: { MysfitId: facts.mysfitId },
      UpdateExpression: expect.stringContaining('Likes = if_not_exists(Likes, :zero), Adopted = if_not_exists(Adopted, :false)'),
      ExpressionAttributeNames: { '#name': 'Name' },
      ExpressionAttributeValues: {
        ':name': facts.name,
        ':species': facts.species,
        ':age': facts.age,
        ':description': facts.description,
        ':goodevil': facts.goodevil,
        ':lawchaos': facts.lawchaos,
        ':thumb': facts.thumbImageUri,
        ':profile': facts.profileImageUri,
        ':zero': 0,
        ':false': false,
      },
    });
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

  test.each(SEED_MYSFITS.map((m) => [m.name, m] as const))('%s has an id the routes accept and alignments the filters know', (_name, mysfit) => {
    // Act
    const parsed = mysfitPathSchema.safeParse({ mysfitId: mysfit.mysfitId });
    // Assert
    expect(parsed.success).toBe(true);
    expect(GOOD_EVIL).toContain(mysfit.goodevil);
    expect(LAW_CHAOS).toContain(mysfit.lawchaos);
    expect(Number.isInteger(mysfit.age)).toBe(true);
  });
});
