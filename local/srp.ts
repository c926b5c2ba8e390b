/**
 * The server side of Cognito's SRP-6a (USER_SRP_AUTH, then PASSWORD_VERIFIER), in node:crypto and BigInt, so that
 * the sign-in the website uses in AWS runs for real on the local Cognito. The group is RFC 5054's 3072-bit prime
 * with g = 2 and k = H(N | g); Cognito's variant hashes the pool name into x, derives the session key with HKDF
 * ("Caldera Derived Key") and has the client sign the pool name, its user id, the secret block and a timestamp.
 * Every value is hashed in its two's-complement hex encoding (padHex below), as Cognito's clients do: a value
 * whose top bit is set gets a leading 00, which is the slip that fails one sign-in in 256.
 *
 * No library does the server side of Cognito's variant (the SRP packages on npm are clients, or plain SRP-6a with
 * other hashing), and what it takes is a few lines of modular arithmetic.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const N_HEX =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
  'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
  '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
  '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
  'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
  'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF';

export const N = BigInt(`0x${N_HEX}`);
export const g = 2n;

/** Hex digits of N; an SRP_A longer than this (plus a 00 byte and some leading zeros) is refused unread. */
const MAX_A_HEX_DIGITS = N_HEX.length + 8;

/** Even-length hex, with 00 in front when the top bit is set: how Cognito's clients encode a value to hash it. */
export function padHex(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2 !== 0) hex = `0${hex}`;
  return /^[89a-f]/i.test(hex) ? `00${hex}` : hex;
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();
const hexHash = (hex: string) => sha256(Buffer.from(hex, 'hex')).toString('hex');
const toBigInt = (hex: string) => BigInt(`0x${hex}`);

export const k = toBigInt(hexHash(`${padHex(N)}${padHex(g)}`));

/** base^exponent mod modulus, by square and multiply. */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

/** The part of a pool id after its region: us-east-1_AbC -> AbC (what Cognito hashes and signs as the pool name). */
export const poolName = (userPoolId: string) => userPoolId.split('_')[1] ?? userPoolId;

/** x = H(salt | H(poolName | userId | ":" | password)). */
export function passwordExponent(pool: string, userId: string, password: string, salt: string): bigint {
  const inner = sha256(`${pool}${userId}:${password}`).toString('hex');
  return toBigInt(hexHash(`${padHex(toBigInt(salt))}${inner}`));
}

/** The client's A, read only if it is hex of at most the size of N, and refused if it is 0 mod N or out of range. */
export function parseA(srpA: unknown): bigint | undefined {
  if (typeof srpA !== 'string' || srpA.length === 0 || srpA.length > MAX_A_HEX_DIGITS || !/^[0-9a-f]+$/i.test(srpA)) return undefined;
  const A = toBigInt(srpA);
  if (A <= 0n || A >= N || A % N === 0n) return undefined;
  return A;
}

export interface ServerChallenge {
  /** The salt, hex (Cognito's SALT). */
  salt: string;
  /** B, hex (Cognito's SRP_B). */
  B: string;
  /** What the server keeps until the client answers: its secret b, and the verifier v of the password it used. */
  b: bigint;
  v: bigint;
}

/** The server's half: a new salt and b for this challenge, and B = k·v + g^b. The verifier v comes from the password. */
export function serverChallenge(pool: string, userId: string, password: string): ServerChallenge {
  const salt = randomBytes(16).toString('hex');
  const v = modPow(g, passwordExponent(pool, userId, password, salt), N);
  let b = 0n;
  let B = 0n;
  while (B % N === 0n) {
    b = toBigInt(randomBytes(32).toString('hex'));
    B = (k * v + modPow(g, b, N)) % N;
  }
  return { salt, B: B.toString(16), b, v };
}

/** HKDF-SHA256 of S with u as the salt and "Caldera Derived Key" as the info, first 16 bytes. */
export function derivedKey(S: bigint, u: bigint): Buffer {
  const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex'))
    .update(Buffer.from(padHex(S), 'hex'))
    .digest();
  return createHmac('sha256', prk)
    .update(Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])]))
    .digest()
    .subarray(0, 16);
}

/** The session key the client must have signed with: S = (A · v^u)^b, u = H(A | B). Undefined when u is 0. */
export function serverKey(A: bigint, challenge: ServerChallenge): Buffer | undefined {
  const u = toBigInt(hexHash(`${padHex(A)}${padHex(toBigInt(challenge.B))}`));
  if (u === 0n) return undefined;
  const S = modPow(A * modPow(challenge.v, u, N), challenge.b, N);
  return derivedKey(S, u);
}

/** HMAC-SHA256 under the key of poolName | userId | secret block | timestamp, base64: the PASSWORD_CLAIM_SIGNATURE. */
export function claimSignature(key: Buffer, pool: string, userId: string, secretBlock: string, timestamp: string): Buffer {
  const message = Buffer.concat([
    Buffer.from(pool, 'utf8'),
    Buffer.from(userId, 'utf8'),
    Buffer.from(secretBlock, 'base64'),
    Buffer.from(timestamp, 'utf8'),
  ]);
  return createHmac('sha256', key).update(message).digest();
}

/** Compares the claimed signature with the expected one in constant time (a malformed claim is simply unequal). */
export function signatureMatches(expected: Buffer, claimed: unknown): boolean {
  if (typeof claimed !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(claimed)) return false;
  const given = Buffer.from(claimed, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Cognito's TIMESTAMP, "EEE MMM d HH:mm:ss UTC yyyy" (day of month not padded): the date, or undefined. */
export function parseTimestamp(timestamp: unknown): Date | undefined {
  if (typeof timestamp !== 'string') return undefined;
  const match =
    /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):([0-5]\d):([0-5]\d) UTC (\d{4})$/.exec(
      timestamp,
    );
  if (!match) return undefined;
  const [, day, month, date, hours, minutes, seconds, year] = match;
  const parsed = new Date(
    Date.UTC(Number(year), MONTHS.indexOf(month as string), Number(date), Number(hours), Number(minutes), Number(seconds)),
  );
  // 31 Feb, or a weekday that is not that date's: not a time at all.
  if (parsed.getUTCDate() !== Number(date) || DAYS[parsed.getUTCDay()] !== day) return undefined;
  return parsed;
}

/** The TIMESTAMP a client sends for `date`. */
export function formatTimestamp(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`;
}
