import { GetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../functions/getMysfit';
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
