/**
 * local/srpSignIn.ts: USER_SRP_AUTH then PASSWORD_VERIFIER, answered as Cognito answers them, with the client side
 * of amazon-cognito-identity-js; every refusal is Cognito's and gives no token.
 */
import { formatTimestamp, N, poolName } from '../../local/srp';
import { SrpSignIn, type SrpUsers } from '../../local/srpSignIn';
import { clientSignature, srpClient, useOpenSslModPow } from '../support/srpClient';

beforeAll(() => useOpenSslModPow());

const POOL_ID = 'local_AbCdEf12';
const CLIENT = 'website-client';
const OTHER_CLIENT = 'another-client';
const ADA = {
  Username: '0b6d2f1e-3c4a-4f5e-8a9b-1c2d3e4f5a6b',
  email: 'ada@example.com',
  Password: 'Mysfits2026',
  UserStatus: 'CONFIRMED',
};
const BOB = {
  Username: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a',
  email: 'bob@example.com',
  Password: 'Unconfirmed1',
  UserStatus: 'UNCONFIRMED',
};

function users(): SrpUsers & { issued: string[] } {
  const all = [ADA, BOB];
  const issued: string[] = [];
  return {
    issued,
    poolIdFor: async () => POOL_ID,
    find: async (_clientId, username) => all.find((u) => u.Username === username || u.email === username),
    tokens: async (_clientId, userId) => {
      issued.push(userId);
      return { IdToken: `id-${userId}`, AccessToken: 'access', RefreshToken: 'refresh' };
    },
  };
}

interface Started {
  srp: SrpSignIn;
  store: ReturnType<typeof users>;
  params: Record<string, string>;
  answer(overrides?: {
    password?: string;
    timestamp?: string;
    clientId?: string;
    signature?: string;
    secretBlock?: string;
    username?: string;
  }): Promise<unknown>;
}

/** InitiateAuth as the library sends it, and a function that answers the challenge as it would. */
async function start(
  username: string,
  options: { now?: () => number; srp?: SrpSignIn; store?: ReturnType<typeof users> } = {},
): Promise<Started> {
  const store = options.store ?? users();
  const srp = options.srp ?? new SrpSignIn(store, { now: options.now });
  const client = await srpClient(poolName(POOL_ID));
  const { ChallengeParameters: params } = await srp.initiate({ ClientId: CLIENT, AuthParameters: { USERNAME: username, SRP_A: client.A } });
  const answer: Started['answer'] = async (overrides = {}) => {
    const userId = params.USER_ID_FOR_SRP as string;
    const timestamp = overrides.timestamp ?? formatTimestamp(new Date());
    const key = await client.key(userId, overrides.password ?? ADA.Password, params.SRP_B as string, params.SALT as string);
    const secretBlock = overrides.secretBlock ?? (params.SECRET_BLOCK as string);
    return srp.respond({
      ClientId: overrides.clientId ?? CLIENT,
      ChallengeResponses: {
        USERNAME: overrides.username ?? userId,
        PASSWORD_CLAIM_SECRET_BLOCK: secretBlock,
        TIMESTAMP: timestamp,
        PASSWORD_CLAIM_SIGNATURE: overrides.signature ?? clientSignature(key, poolName(POOL_ID), userId, secretBlock, timestamp),
      },
    });
  };
  return { srp, store, params: params as Record<string, string>, answer };
}

const INCORRECT = { code: 'NotAuthorizedException', message: 'Incorrect username or password.' };

test('the challenge carries what Cognito sends, and the right answer gets the tokens USER_PASSWORD_AUTH gives', async () => {
  const { params, answer, store, srp } = await start('ada@example.com');
  expect(Object.keys(params).sort()).toEqual(['SALT', 'SECRET_BLOCK', 'SRP_B', 'USERNAME', 'USER_ID_FOR_SRP']);
  expect(params.USER_ID_FOR_SRP).toBe(ADA.Username);
  expect(params.USERNAME).toBe(ADA.Username);
  expect(params.SRP_B).toMatch(/^[0-9a-f]+$/);
  expect(params.SALT).toMatch(/^[0-9a-f]+$/);
  expect(Buffer.from(params.SECRET_BLOCK as string, 'base64').length).toBeGreaterThanOrEqual(32);

  await expect(answer()).resolves.toEqual({
    ChallengeParameters: {},
    AuthenticationResult: { IdToken: `id-${ADA.Username}`, AccessToken: 'access', RefreshToken: 'refresh' },
  });
  expect(store.issued).toEqual([ADA.Username]);
  expect(srp.openChallenges).toBe(0);
});

test.each([
  ['a wrong password', { password: 'Mysfits2027' }],
  ['a tampered signature', { signature: Buffer.alloc(32, 7).toString('base64') }],
  ['a signature that is not base64', { signature: '%%%' }],
  ['a signature of the wrong length', { signature: Buffer.alloc(16, 7).toString('base64') }],
  ["a timestamp not in Cognito's format", { timestamp: '2026-12-01T07:21:05Z' }],
  ['a padded day in the timestamp', { timestamp: 'Tue Dec 01 07:21:05 UTC 2026' }],
  ['another app client', { clientId: OTHER_CLIENT }],
  ["another user id than the challenge's", { username: BOB.Username }],
  ['a secret block the server never gave', { secretBlock: Buffer.alloc(64, 1).toString('base64') }],
])('%s is refused as Cognito refuses it, with no token', async (_case, overrides) => {
  const { answer, store } = await start('ada@example.com');
  await expect(answer(overrides)).rejects.toMatchObject(INCORRECT);
  expect(store.issued).toEqual([]);
});

test('a signature cannot be used twice: the challenge is gone after one answer', async () => {
  const { answer, store } = await start('ada@example.com');
  const timestamp = formatTimestamp(new Date());
  await answer({ timestamp });
  await expect(answer({ timestamp })).rejects.toMatchObject(INCORRECT);
  expect(store.issued).toEqual([ADA.Username]);
});

test('a wrong answer also ends the challenge: the right one after it is refused', async () => {
  const { answer, store } = await start('ada@example.com');
  await expect(answer({ password: 'wrong' })).rejects.toMatchObject(INCORRECT);
  await expect(answer()).rejects.toMatchObject(INCORRECT);
  expect(store.issued).toEqual([]);
});

test("a secret block from another session is refused, even signed with that session's own key", async () => {
  const store = users();
  const srp = new SrpSignIn(store);
  const first = await start('ada@example.com', { srp, store });
  const second = await start('ada@example.com', { srp, store });
  // The first session's client signs with its key over the second session's block.
  await expect(first.answer({ secretBlock: second.params.SECRET_BLOCK })).rejects.toMatchObject(INCORRECT);
  expect(store.issued).toEqual([]);
});

test('an expired challenge is refused', async () => {
  let now = Date.parse('2026-12-01T07:00:00Z');
  const { answer, store } = await start('ada@example.com', { now: () => now });
  now += 181_000;
  await expect(answer()).rejects.toMatchObject(INCORRECT);
  expect(store.issued).toEqual([]);
});

test('an unknown user is challenged like anyone (no existence leak), then refused the same way', async () => {
  const { params, answer, store } = await start('nobody@example.com');
  expect(Object.keys(params).sort()).toEqual(['SALT', 'SECRET_BLOCK', 'SRP_B', 'USERNAME', 'USER_ID_FOR_SRP']);
  await expect(answer({ password: ADA.Password })).rejects.toMatchObject(INCORRECT);
  expect(store.issued).toEqual([]);
});

test('an unconfirmed user with the right password is told so; with a wrong one, refused as anyone', async () => {
  const right = await start('bob@example.com');
  await expect(right.answer({ password: BOB.Password })).rejects.toMatchObject({ code: 'UserNotConfirmedException' });
  const wrong = await start('bob@example.com');
  await expect(wrong.answer({ password: 'Guess1234' })).rejects.toMatchObject(INCORRECT);
  expect([...right.store.issued, ...wrong.store.issued]).toEqual([]);
});

test.each([
  ['0', '0'],
  ['N (0 mod N)', N.toString(16)],
  ['larger than N', (N + 1n).toString(16)],
  ['a million digits', 'f'.repeat(1_000_000)],
])('SRP_A %s is refused at InitiateAuth', async (_case, srpA) => {
  const srp = new SrpSignIn(users());
  await expect(srp.initiate({ ClientId: CLIENT, AuthParameters: { USERNAME: 'ada@example.com', SRP_A: srpA } })).rejects.toMatchObject(
    INCORRECT,
  );
  expect(srp.openChallenges).toBe(0);
});

test('InitiateAuth without USERNAME or SRP_A is an InvalidParameterException', async () => {
  const srp = new SrpSignIn(users());
  await expect(srp.initiate({ ClientId: CLIENT, AuthParameters: { SRP_A: 'abc' } })).rejects.toMatchObject({
    code: 'InvalidParameterException',
  });
  await expect(srp.initiate({ ClientId: CLIENT, AuthParameters: { USERNAME: 'ada@example.com' } })).rejects.toMatchObject({
    code: 'InvalidParameterException',
  });
});

test('open challenges are bounded: past the limit the oldest is forgotten', async () => {
  const store = users();
  const srp = new SrpSignIn(store, { maxPending: 2 });
  const oldest = await start('ada@example.com', { srp, store });
  await start('ada@example.com', { srp, store });
  await start('ada@example.com', { srp, store });
  expect(srp.openChallenges).toBe(2);
  await expect(oldest.answer()).rejects.toMatchObject(INCORRECT);
});
