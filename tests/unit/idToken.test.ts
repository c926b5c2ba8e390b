/** shared/idToken.ts: an ID token checked as API Gateway's Cognito authorizer checks it, and the pool's keys cached. */
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { bearerToken, createKeyStore, InvalidToken, verifyIdToken } from '../../shared/idToken';

const ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TEST00001';
const AUDIENCE = 'test-website-client';
const KID = 'key-1';
const NOW = 1_800_000_000;
const pool = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function token(
  claims: Record<string, unknown> = {},
  { key = pool.privateKey, header = {} }: { key?: KeyObject; header?: object } = {},
): string {
  const head = b64url({ alg: 'RS256', kid: KID, ...header });
  const body = b64url({ sub: 'user-1', iss: ISSUER, aud: AUDIENCE, token_use: 'id', exp: NOW + 60, ...claims });
  return `${head}.${body}.${createSign('RSA-SHA256').update(`${head}.${body}`).sign(key).toString('base64url')}`;
}

const options = {
  issuer: ISSUER,
  audience: AUDIENCE,
  keyFor: async (kid: string) => (kid === KID ? pool.publicKey : Promise.reject(new InvalidToken('unknown key'))),
  now: () => NOW,
};

test('a valid ID token of the pool gives its claims', async () => {
  await expect(verifyIdToken(token({ email: 'ada@example.com' }), options)).resolves.toMatchObject({
    sub: 'user-1',
    email: 'ada@example.com',
  });
});

test.each([
  ['missing', () => undefined, 'missing token'],
  ['not three parts', () => 'a.b', 'malformed token'],
  ['a payload that is not JSON', () => `${b64url({ alg: 'RS256', kid: KID })}.bm90IGpzb24.sig`, 'malformed token'],
  ['unsigned (alg none)', () => `${b64url({ alg: 'none', kid: KID })}.${b64url({ sub: 'x' })}.`, 'unsupported algorithm none'],
  ['HMAC-signed', () => token({}, { header: { alg: 'HS256' } }), 'unsupported algorithm HS256'],
  ["signed by another key under the pool's key id", () => token({}, { key: other.privateKey }), 'bad signature'],
  [
    'tampered after signing',
    () => token().replace(/\.[^.]+\./, `.${b64url({ sub: 'intruder', iss: ISSUER, aud: AUDIENCE, token_use: 'id', exp: NOW + 60 })}.`),
    'bad signature',
  ],
  ['of another issuer', () => token({ iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_OTHER' }), 'wrong issuer'],
  ['an access token', () => token({ token_use: 'access' }), 'not an ID token'],
  ['for another app client', () => token({ aud: 'another' }), 'wrong audience'],
  ['expired', () => token({ exp: NOW }), 'expired token'],
  ['without a subject', () => token({ sub: '' }), 'token without a subject'],
])('a token %s is refused: %s', async (_case, make, reason) => {
  await expect(verifyIdToken(make(), options)).rejects.toEqual(new InvalidToken(reason));
});

test.each([
  ['Bearer abc', 'abc'],
  ['bearer abc', 'abc'],
  ['abc', 'abc'],
  ['   ', undefined],
  [undefined, undefined],
  [42, undefined],
])('the Authorization header %j holds the token %j', (header, expected) => {
  expect(bearerToken(header)).toBe(expected);
});

describe('the key store', () => {
  const jwks = { keys: [{ ...pool.publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' }] };
  const jwksFetch = () => jest.spyOn(global, 'fetch').mockResolvedValue(new Response(JSON.stringify(jwks)));
  afterEach(() => jest.restoreAllMocks());

  test('fetches the JWKS once and keeps the keys', async () => {
    const fetched = jwksFetch();
    const keyFor = createKeyStore(`${ISSUER}/.well-known/jwks.json`);
    await keyFor(KID);
    await keyFor(KID);
    expect(fetched).toHaveBeenCalledTimes(1);
    expect(fetched.mock.calls[0]?.[0]).toBe(`${ISSUER}/.well-known/jwks.json`);
  });

  test('an unknown key id is an InvalidToken, and does not refetch within 10 s', async () => {
    const fetched = jwksFetch();
    const keyFor = createKeyStore(`${ISSUER}/.well-known/jwks.json`);
    await expect(keyFor('unknown')).rejects.toBeInstanceOf(InvalidToken);
    await expect(keyFor('unknown')).rejects.toBeInstanceOf(InvalidToken);
    expect(fetched).toHaveBeenCalledTimes(1);
  });

  test('a JWKS that cannot be read is an error, not an InvalidToken (the caller decides)', async () => {
    jest.spyOn(global, 'fetch').mockResolvedValue(new Response('no', { status: 503 }));
    const keyFor = createKeyStore(`${ISSUER}/.well-known/jwks.json`);
    const failure = await keyFor(KID).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(InvalidToken);
  });
});
