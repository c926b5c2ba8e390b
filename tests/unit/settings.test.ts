/**
 * Settings: read once at cold start, each by the module that needs it; a missing one fails the cold start instead
 * of falling back to a default.
 */
import { coldStart, type Env } from '../support/coldStart';

const mysfitsTable = (env: Env) => coldStart(env, () => import('../../shared/mysfitsTable'));
const activityTable = (env: Env) => coldStart(env, () => import('../../shared/activityTable'));
const http = (env: Env) => coldStart(env, () => import('../../shared/http'));
const dynamodb = (env: Env) => coldStart(env, () => import('../../shared/dynamodb'));

test('each table module reads its own setting', async () => {
  expect((await mysfitsTable({ MYSFITS_TABLE: 'mysfits-prod-mysfits', ACTIVITY_TABLE: undefined })).MYSFITS_TABLE).toBe(
    'mysfits-prod-mysfits',
  );
  expect((await activityTable({ ACTIVITY_TABLE: 'mysfits-prod-user-activity', MYSFITS_TABLE: undefined })).ACTIVITY_TABLE).toBe(
    'mysfits-prod-user-activity',
  );
});

test.each([
  ['MYSFITS_TABLE', undefined, mysfitsTable],
  ['MYSFITS_TABLE', '', mysfitsTable],
  ['MYSFITS_TABLE', '   ', mysfitsTable],
  ['ACTIVITY_TABLE', undefined, activityTable],
  ['ACTIVITY_TABLE', '', activityTable],
  ['CORS_ORIGIN', undefined, http],
])('%s set to %j fails the cold start, naming it', async (name, value, load) => {
  await expect(load({ [name]: value })).rejects.toThrow(`Missing required environment variable ${name}`);
});

test("CORS_ORIGIN may be empty: a stage may allow no browser origin; the HTTP stack loads without any table's setting", async () => {
  await expect(http({ CORS_ORIGIN: '', MYSFITS_TABLE: undefined, ACTIVITY_TABLE: undefined })).resolves.toBeDefined();
});

test.each([
  ['unset', undefined],
  ['empty', ''],
])('DYNAMODB_ENDPOINT %s means the regional endpoint', async (_description, value) => {
  expect((await dynamodb({ DYNAMODB_ENDPOINT: value })).endpoint).toBeUndefined();
});

test('DYNAMODB_ENDPOINT, when set, is DynamoDB Local', async () => {
  expect((await dynamodb({ DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' })).endpoint).toBe('http://127.0.0.1:8000');
});
