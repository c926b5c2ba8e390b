/**
 * The client side of Cognito's SRP, from an independent implementation: amazon-cognito-identity-js's own
 * AuthenticationHelper (what the website and the workshop's pages run), signing the claim as its CognitoUser does.
 *
 * Its pure-JavaScript modPow takes about 150 ms a sign-in; for the hundreds of sign-ins of the unit test,
 * `useOpenSslModPow()` hands that one operation to OpenSSL (Diffie-Hellman over the same prime computes
 * base^exponent mod N), itself independent of the server's BigInt code. Every other step stays the library's.
 */
import { createDiffieHellman, createHmac } from 'node:crypto';

interface BigIntegerLike {
  toString(radix: number): string;
  mod(m: BigIntegerLike): BigIntegerLike;
  modPow(e: BigIntegerLike, m: BigIntegerLike, callback: (error: unknown, result: BigIntegerLike) => void): void;
}
interface AuthenticationHelperLike {
  getLargeAValue(callback: (error: unknown, A: BigIntegerLike) => void): void;
  getPasswordAuthenticationKey(
    userId: string,
    password: string,
    B: BigIntegerLike,
    salt: BigIntegerLike,
    callback: (error: unknown, key: Buffer) => void,
  ): void;
}

/* eslint-disable @typescript-eslint/no-require-imports -- the library's internals ship without types */
const { default: AuthenticationHelper } = require('amazon-cognito-identity-js/lib/AuthenticationHelper') as {
  default: new (poolName: string) => AuthenticationHelperLike;
};
const { default: BigInteger } = require('amazon-cognito-identity-js/lib/BigInteger') as {
  default: { new (hex: string, radix: number): BigIntegerLike; prototype: BigIntegerLike };
};
/* eslint-enable @typescript-eslint/no-require-imports */

export interface SrpClient {
  /** SRP_A as the library sends it (hex, not padded). */
  A: string;
  /** The session key the client derives from the server's SRP_B and SALT. */
  key(userId: string, password: string, B: string, salt: string): Promise<Buffer>;
}

export async function srpClient(poolName: string): Promise<SrpClient> {
  const helper = new AuthenticationHelper(poolName);
  const A = await new Promise<BigIntegerLike>((resolve, reject) =>
    helper.getLargeAValue((error, value) => (error ? reject(error) : resolve(value))),
  );
  return {
    A: A.toString(16),
    key: (userId, password, B, salt) =>
      new Promise((resolve, reject) =>
        helper.getPasswordAuthenticationKey(userId, password, new BigInteger(B, 16), new BigInteger(salt, 16), (error, key) =>
          error ? reject(error) : resolve(Buffer.from(key)),
        ),
      ),
  };
}

/** PASSWORD_CLAIM_SIGNATURE as CognitoUser computes it. */
export function clientSignature(key: Buffer, poolName: string, userId: string, secretBlock: string, timestamp: string): string {
  const message = Buffer.concat([
    Buffer.from(poolName, 'utf8'),
    Buffer.from(userId, 'utf8'),
    Buffer.from(secretBlock, 'base64'),
    Buffer.from(timestamp, 'utf8'),
  ]);
  return createHmac('sha256', key).update(message).digest('base64');
}

const evenHex = (value: BigIntegerLike) => {
  const hex = value.toString(16);
  return hex.length % 2 === 0 ? hex : `0${hex}`;
};

let patched = false;

/** base^e mod N through OpenSSL, for the library's modPow; a base of 0, 1 or N-1 keeps the library's own. */
export function useOpenSslModPow(): void {
  if (patched) return;
  patched = true;
  const libraryModPow = BigInteger.prototype.modPow;
  BigInteger.prototype.modPow = function modPow(this: BigIntegerLike, e, m, callback) {
    // jsbn's mod is never negative.
    const baseHex = evenHex(this.mod(m));
    const modulus = Buffer.from(evenHex(m), 'hex');
    const minusOne = BigInt(`0x${evenHex(m)}`) - 1n;
    const b = BigInt(`0x${baseHex}`);
    if (b <= 1n || b >= minusOne || e.toString(16).startsWith('-') || e.toString(16) === '0')
      return libraryModPow.call(this, e, m, callback);
    const dh = createDiffieHellman(modulus, Buffer.from([2]));
    dh.setPrivateKey(Buffer.from(evenHex(e), 'hex'));
    callback(null, new BigInteger(dh.computeSecret(Buffer.from(baseHex, 'hex')).toString('hex'), 16));
  };
}
