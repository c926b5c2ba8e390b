/** GET /mysfits/{mysfitId}: one mysfit by key, a 404 for none, a 400 for an id that cannot be one. */
import { GetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../functions/getMysfit';
import {
  AWS_INTERNAL_DETAIL,
  CORS_ORIGIN,
  MYSFITS_TABLE,
  UNAVAILABLE_FAILURES,
  UNAVAILABLE_MESSAGE,
  commandsSent,
  mysfitItem,
  unexpectedError,
} from '../support/fixtures';
import { eventFor, invoke } from '../support/lambda';

const ddb = mockClient(DynamoDBDocumentClient);
const ID = '4e53920c-505a-4a90-a694-b9300791f0ae';

beforeEach(() => ddb.reset());

test('returns the mysfit in the workshop field names', async () => {
  // Arrange
  ddb.on(GetCommand).resolves({
    Item: { MysfitId: ID, Name: 'Evangeline', Species: 'Chimera', Age: 43, Description: 'd', GoodEvil: 'Evil', LawChaos: 'Lawful', ThumbImageUri: 't', ProfileImageUri: 'p', Likes: 3, Adopted: false },
  });
  // Act
  const res = await invoke(handler, eventFor('getMysfit'));
  // Assert
  expect(res.statusCode).toBe(200);
  expect(res.json).toEqual({ mysfitId: ID, name: 'Evangeline', species: 'Chimera', age: 43, description: 'd', goodevil: 'Evil', lawchaos: 'Lawful', thumbImageUri: 't', profileImageUri: 'p', likes: 3, adopted: false });
  expect(res.headers?.['Access-Control-Allow-Origin']).toBe('https://mysfits.test');
  expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: 'test-mysfits', Key: { MysfitId: ID } });
});

test('reads exactly one item and nothing else', async () => {
  // Arrange
  ddb.on(GetCommand).resolves({ Item: mysfitItem() });
  // Act
  await invoke(handler, eventFor('getMysfit'));
  // Assert
  expect(commandsSent(ddb)).toEqual(['GetCommand']);
});

test('shows an adoption, and none of the adopter\'s details', async () => {
  // Arrange
  ddb.on(GetCommand).resolves({
    Item: mysfitItem({ Likes: 12, Adopted: true, AdoptedBy: 'a2c4e6f8-0000-4000-8000-000000000000', AdoptedAt: '2026-11-01T10:00:00.000Z' }),
  });
  // Act
  const res = await invoke(handler, eventFor('getMysfit'));
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
  const res = await invoke(handler, eventFor('getMysfit'));
  // Assert
  expect(res.statusCode).toBe(200);
  expect(res.json).toMatchObject({ likes: 0, adopted: false });
});

test('an unknown mysfit is a 404 with a JSON message and CORS', async () => {
  // Arrange
  ddb.on(GetCommand).resolves({});
  // Act
  const res = await invoke(handler, eventFor('getMysfit'));
  // Assert
  expect(res.statusCode).toBe(404);
  expect(res.json).toEqual({ message: `No mysfit with id ${ID}` });
  expect(res.headers?.['Access-Control-Allow-Origin']).toBe(CORS_ORIGIN);
  expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: MYSFITS_TABLE, Key: { MysfitId: ID } });
});

describe('a malformed mysfitId is a 400 and nothing is read', () => {
  test.each([
    ['not a UUID', 'evangeline'],
    ['a UUID without hyphens', '4e53920c505a4a90a694b9300791f0ae'],
    ['a UUID with a trailing character', `${ID}x`],
    ['a path traversal', '../../etc/passwd'],
    ['an expression injection', "4e53920c' OR MysfitId <> '"],
    ['an empty id', ''],
  ])('%s', async (_description, mysfitId) => {
    // Arrange
    const event = eventFor('getMysfit', { pathParameters: { mysfitId } });
    // Act
    const res = await invoke(handler, event);
    // Assert
    expect(res.statusCode).toBe(400);
    expect(res.json).toEqual({ message: 'Invalid path: mysfitId must be a UUID' });
    expect(res.headers?.['Access-Control-Allow-Origin']).toBe(CORS_ORIGIN);
    expect(ddb.calls()).toHaveLength(0);
  });

  test('no path parameters at all', async () => {
    // Arrange
    const event = eventFor('getMysfit', { pathParameters: null });
    // Act
    const res = await invoke(handler, event);
    // Assert
    expect(res.statusCode).toBe(400);
    expect(res.json).toEqual({ message: 'Invalid path: mysfitId must be a UUID' });
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('when DynamoDB fails', () => {
  test.each(UNAVAILABLE_FAILURES)('%s is a 503 with a JSON message and CORS', async (_name, failure) => {
    // Arrange
    ddb.on(GetCommand).rejects(failure());
    // Act
    const res = await invoke(handler, eventFor('getMysfit'));
    // Assert
    expect(res.statusCode).toBe(503);
    expect(res.json).toEqual({ message: UNAVAILABLE_MESSAGE });
    expect(res.headers?.['Access-Control-Allow-Origin']).toBe(CORS_ORIGIN);
  });

  test('an unexpected error is a generic 500 without internals', async () => {
    // Arrange
    ddb.on(GetCommand).rejects(unexpectedError());
    // Act
    const res = await invoke(handler, eventFor('getMysfit'));
    // Assert
    expect(res.statusCode).toBe(500);
    expect(res.json).toEqual({ message: 'Internal server error' });
    expect(res.body).not.toContain(AWS_INTERNAL_DETAIL);
    expect(res.headers?.['Access-Control-Allow-Origin']).toBe(CORS_ORIGIN);
  });
});
