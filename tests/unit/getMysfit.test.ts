/** GET /mysfits/{mysfitId}: one mysfit by key, a 404 for none, a 400 for an id that cannot be one. */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { handler } from '../../functions/getMysfit';
import { MALFORMED_MYSFIT_IDS, MYSFITS_TABLE, MYSFIT_ID, commandsSent, mysfitItem } from '../support/fixtures';
import {
  call,
  describeHttpFailures,
  describeMalformedMysfitIds,
  expectJsonError,
  mockDocumentClient,
  type Route,
} from '../support/routeCases';

const ddb = mockDocumentClient();
const route: Route = { name: 'getMysfit', handler, ddb };

test('returns the mysfit in the workshop field names', async () => {
  // Arrange
  ddb.on(GetCommand).resolves({
    Item: {
      MysfitId: MYSFIT_ID,
      Name: 'Evangeline',
      Species: 'Chimera',
      Age: 43,
      Description: 'd',
      GoodEvil: 'Evil',
      LawChaos: 'Lawful',
      ThumbImageUri: 't',
      ProfileImageUri: 'p',
      Likes: 3,
      Adopted: false,
    },
  });
  // Act
  const res = await call(route);
  // Assert
  expect(res.statusCode).toBe(200);
  expect(res.json).toEqual({
    mysfitId: MYSFIT_ID,
    name: 'Evangeline',
    species: 'Chimera',
    age: 43,
    description: 'd',
    goodevil: 'Evil',
    lawchaos: 'Lawful',
    thumbImageUri: 't',
    profileImageUri: 'p',
    likes: 3,
    adopted: false,
  });
  expect(res.headers?.['Access-Control-Allow-Origin']).toBe('https://mysfits.test');
  expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: 'test-mysfits', Key: { MysfitId: MYSFIT_ID } });
});

test('reads exactly one item and nothing else', async () => {
  // Arrange
  ddb.on(GetCommand).resolves({ Item: mysfitItem() });
  // Act
  await call(route);
  // Assert
  expect(commandsSent(ddb)).toEqual(['GetCommand']);
});

test("shows an adoption, and none of the adopter's details", async () => {
  // Arrange
  ddb.on(GetCommand).resolves({
    Item: mysfitItem({
      Likes: 12,
      Adopted: true,
      AdoptedBy: 'a2c4e6f8-0000-4000-8000-000000000000',
      AdoptedAt: '2026-11-01T10:00:00.000Z',
    }),
  });
  // Act
  const res = await call(route);
  // Assert
  expect(res.json).toMatchObject({ likes: 12, adopted: true });
  expect(res.json).not.toHaveProperty('adoptedBy');
  expect(res.body).not.toContain('a2c4e6f8-0000-4000-8000-000000000000');
});

test('a mysfit the legacy service wrote without Likes or Adopted shows 0 likes, not adopted', async () => {
  // Arrange
  const legacy: Record<string, unknown> = { ...mysfitItem() };
  delete legacy.Likes;
  delete legacy.Adopted;
  ddb.on(GetCommand).resolves({ Item: legacy });
  // Act
  const res = await call(route);
  // Assert
  expect(res.statusCode).toBe(200);
  expect(res.json).toMatchObject({ likes: 0, adopted: false });
});

test('an unknown mysfit is a 404 with a JSON message and CORS', async () => {
  // Arrange
  ddb.on(GetCommand).resolves({});
  // Act
  const res = await call(route);
  // Assert
  expectJsonError(res, 404, `No mysfit with id ${MYSFIT_ID}`);
  expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: MYSFITS_TABLE, Key: { MysfitId: MYSFIT_ID } });
});

describeMalformedMysfitIds(route, MALFORMED_MYSFIT_IDS);

describeHttpFailures(route, { arrange: (error) => ddb.on(GetCommand).rejects(error) });
