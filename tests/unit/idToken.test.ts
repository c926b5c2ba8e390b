/**
 * shared/idToken.ts: an ID token checked by aws-jwt-verify as API Gateway's Cognito authorizer checks it, with a
 * clock tolerance, and the pool's keys fetched once (concurrent fetches merged, unknown key ids held off).
 */
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Fetcher } from 'aws-jwt-verify/https';
import { bearerToken, CLOCK_TOLERANCE_SECONDS, idTokenCheck, InvalidToken, jwksFetcher } from '../../shared/idToken';

const ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TEST00001';
const JWKS_URL = `${ISSUER}/.well-known/jwks.json`;
const CLIENT_ID = 'test-website-client';
const KID = 'key-1';
const pool = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const nowSeconds = () => Math.floor(Date.now() / 1000);

function token(
  claims: Record<string, unknown> = {},
  { key = pool.privateKey, header = {} }: { key?: KeyObject; header?: object } = {},
): string {
  const head = b64url({ alg: 'RS256', kid: KID, ...header });
  const body = b64url({ sub: 'user-1', iss: ISSUER, aud: CLIENT_ID, token_use: 'id', exp: nowSeconds() + 60, ...claims });
  return `${head}.${body}.${createSign('RSA-SHA256').update(`${head}.${body}`).sign(key).toString('base64url')}`;
}

const jwks = { keys: [{ ...pool.publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' }] };

/** A JWKS address that answers the pool's keys, and counts how often it was asked. */
function poolKeys(): Fetcher & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    fetch: async (uri: string) => {
      calls.push(uri);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return new TextEncoder().encode(JSON.stringify(jwks)).buffer as ArrayBuffer;
    },
  };
}

const check = (fetcher: Fetcher = poolKeys()) => idTokenCheck({ issuer: ISSUER, clientId: CLIENT_ID, fetcher });

test('a valid ID token of the pool gives its claims', async () => {
  await expect(check()(token({ email: 'ada@example.com' }))).resolves.toMatchObject({ sub: 'user-1', email: 'ada@example.com' });
});

test.each([
  ['missing', () => undefined],
  ['not three parts', () => 'a.b'],
  ['a payload that is not JSON', () => `${b64url({ alg: 'RS256', kid: KID })}.bm90IGpzb24.sig`],
  ['unsigned (alg none)', () => `${b64url({ alg: 'none', kid: KID })}.${b64url({ sub: 'x', iss: ISSUER, aud: CLIENT_ID })}.`],
  ['HMAC-signed', () => token({}, { header: { alg: 'HS256' } })],
  ["signed by another key under the pool's key id", () => token({}, { key: other.privateKey })],
  [
    'tampered after signing',
    () =>
      token().replace(
        /\.[^.]+\./,
        `.${b64url({ sub: 'intruder', iss: ISSUER, aud: CLIENT_ID, token_use: 'id', exp: nowSeconds() + 60 })}.`,
      ),
  ],
  ['of another issuer', () => token({ iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_OTHER' })],
  ['an access token', () => token({ token_use: 'access', client_id: CLIENT_ID })],
  ['for another app client', () => token({ aud: 'another' })],
  ['expired, past the tolerance', () => token({ exp: nowSeconds() - CLOCK_TOLERANCE_SECONDS - 2 })],
  ['without a subject', () => token({ sub: '' })],
  ['without an expiry', () => token({ exp: undefined })],
])('a token %s is refused as an InvalidToken', async (_case, make) => {
  await expect(check()(make())).rejects.toBeInstanceOf(InvalidToken);
});

describe('the clock tolerance', () => {
  test(`a token expired ${CLOCK_TOLERANCE_SECONDS - 2} s ago is still accepted (clocks differ a little)`, async () => {
    await expect(check()(token({ exp: nowSeconds() - CLOCK_TOLERANCE_SECONDS + 2 }))).resolves.toMatchObject({ sub: 'user-1' });
  });

  test(`a token expired ${CLOCK_TOLERANCE_SECONDS + 2} s ago is refused`, async () => {
    await expect(check()(token({ exp: nowSeconds() - CLOCK_TOLERANCE_SECONDS - 2 }))).rejects.toThrow(/expired/i);
  });

  test('the tolerance is small: at most a minute', () => {
    expect(CLOCK_TOLERANCE_SECONDS).toBeGreaterThan(0);
    expect(CLOCK_TOLERANCE_SECONDS).toBeLessThanOrEqual(60);
  });
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

describe("the pool's keys", () => {
  test("are fetched once, from the issuer's JWKS address, and kept; concurrent checks share one fetch", async () => {
    const keys = poolKeys();
    const verify = check(keys);
    await Promise.all([verify(token()), verify(token()), verify(token())]);
    await verify(token());
    expect(keys.calls).toEqual([JWKS_URL]);
  });

  test('an unknown key id is refused without a storm of fetches: one refetch, then none for a while', async () => {
    const keys = poolKeys();
    const verify = check(keys);
    await verify(token());
    const unknown = token({}, { header: { kid: 'unknown-key' } });
    for (let i = 0; i < 20; i++) await expect(verify(unknown)).rejects.toBeInstanceOf(InvalidToken);
    expect(keys.calls.length).toBeLessThanOrEqual(2);
    // The pool's own tokens still pass meanwhile.
    await expect(verify(token())).resolves.toMatchObject({ sub: 'user-1' });
  });

  test('keys that cannot be fetched are an error, not an InvalidToken (the caller decides)', async () => {
    const failing: Fetcher = { fetch: () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })) };
    const failure = await check(failing)(token()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(InvalidToken);
  });

  describe("through node's fetch (http and https alike)", () => {
    afterEach(() => jest.restoreAllMocks());

    test('the default fetcher reads the JWKS with a time limit', async () => {
      const fetched = jest.spyOn(global, 'fetch').mockResolvedValue(new Response(JSON.stringify(jwks)));
      await expect(idTokenCheck({ issuer: ISSUER, clientId: CLIENT_ID })(token())).resolves.toMatchObject({ sub: 'user-1' });
      expect(fetched).toHaveBeenCalledTimes(1);
      expect(fetched.mock.calls[0]?.[0]).toBe(JWKS_URL);
      expect(fetched.mock.calls[0]?.[1]?.signal).toBeInstanceOf(AbortSignal);
    });

    test('a JWKS address that answers an error status is an error, not an InvalidToken', async () => {
      jest.spyOn(global, 'fetch').mockResolvedValue(new Response('no', { status: 503 }));
      const failure = await jwksFetcher.fetch(JWKS_URL).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(Error);
      expect(String(failure)).toContain('503');
      const refused = await idTokenCheck({ issuer: ISSUER, clientId: CLIENT_ID })(token()).catch((error: unknown) => error);
      expect(refused).not.toBeInstanceOf(InvalidToken);
    });
  });
});
