/**
 * local/srp.ts, the server side of Cognito's SRP, against an independent client: amazon-cognito-identity-js's
 * AuthenticationHelper. 500 random users and passwords, so that a byte-padding slip (which fails about one sign-in
 * in 256, when a value's top bit is set) shows up.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { formatTimestamp, k, modPow, N, padHex, parseA, parseTimestamp, serverChallenge, serverKey } from '../../local/srp';
import { srpClient, useOpenSslModPow } from '../support/srpClient';

beforeAll(() => useOpenSslModPow());

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#$%^&*()-_=+[]{};:,.<>/?~ äöüßéøñ漢字🙂';
const randomText = (min: number, max: number) =>
  Array.from({ length: randomInt(min, max + 1) }, () => [...ALPHABET][randomInt([...ALPHABET].length)]).join('');

test("padHex is the two's-complement hex Cognito's clients hash: even length, 00 before a set top bit", () => {
  expect([20n, 236n, 56n, 200n, 0x1n, 0xabcn, 0x7fn, 0x80n].map(padHex)).toEqual(['14', '00ec', '38', '00c8', '01', '0abc', '7f', '0080']);
});

test('k = H(N | g), and modPow agrees with repeated multiplication', () => {
  expect(k.toString(16)).toBe('538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6');
  expect(modPow(7n, 13n, 1000n)).toBe(7n ** 13n % 1000n);
  expect(modPow(2n, N - 1n, N)).toBe(1n);
});

test('500 random users and passwords: the server derives exactly the key the client derives, and not for a wrong password', async () => {
  const mismatches: string[] = [];
  for (let i = 0; i < 500; i++) {
    const pool = randomBytes(randomInt(4, 10)).toString('base64url');
    const userId = i % 2 === 0 ? crypto.randomUUID() : randomText(1, 40);
    const password = randomText(1, 64);
    const client = await srpClient(pool);
    const challenge = serverChallenge(pool, userId, password);
    const A = parseA(client.A);
    const expected = A === undefined ? undefined : serverKey(A, challenge);
    const derived = await client.key(userId, password, challenge.B, challenge.salt);
    if (!expected?.equals(derived)) mismatches.push(JSON.stringify({ pool, userId, password, salt: challenge.salt, B: challenge.B }));
    if (i % 50 === 0) {
      const wrong = await client.key(userId, `${password}x`, challenge.B, challenge.salt);
      expect(expected?.equals(wrong)).toBe(false);
    }
  }
  expect(mismatches).toEqual([]);
});

test.each([
  ['empty', ''],
  ['not hex', 'xyz'],
  ['zero', '0'],
  ['N itself (0 mod N)', N.toString(16)],
  ['a multiple of N', (2n * N).toString(16)],
  ['larger than N', (N + 5n).toString(16)],
  ['negative', `-${5n.toString(16)}`],
  ['not a string', 12345],
])('SRP_A %s is refused', (_case, value) => {
  expect(parseA(value)).toBeUndefined();
});

test('an SRP_A longer than N is refused before it is read as a number', () => {
  const huge = 'f'.repeat(1_000_000);
  const toBigInt = jest.spyOn(globalThis, 'BigInt');
  try {
    expect(parseA(huge)).toBeUndefined();
    expect(toBigInt).not.toHaveBeenCalled();
  } finally {
    toBigInt.mockRestore();
  }
});

test.each([
  ['Tue Dec 1 07:21:05 UTC 2026', '2026-12-01T07:21:05.000Z'],
  ['Sun Feb 29 23:59:59 UTC 2032', '2032-02-29T23:59:59.000Z'],
])("the timestamp %s, in Cognito's format, is read", (text, iso) => {
  expect(parseTimestamp(text)?.toISOString()).toBe(iso);
  expect(formatTimestamp(new Date(iso))).toBe(text);
});

test.each([
  ['a padded day', 'Tue Dec 01 07:21:05 UTC 2026'],
  ['the wrong weekday', 'Mon Dec 1 07:21:05 UTC 2026'],
  ['a day that does not exist', 'Sat Feb 30 07:21:05 UTC 2026'],
  ['another zone', 'Tue Dec 1 07:21:05 GMT 2026'],
  ['ISO 8601', '2026-12-01T07:21:05Z'],
  ['an hour of 24', 'Tue Dec 1 24:00:00 UTC 2026'],
  ['nothing', ''],
])("a timestamp with %s is not Cognito's format", (_case, text) => {
  expect(parseTimestamp(text)).toBeUndefined();
});
