// @ts-check
'use strict';
/**
 * Verifies a Cognito ID token the way API Gateway's Cognito user pool authorizer does: RS256 signature by a key
 * of the pool's JWKS, the pool's issuer, the app client as audience, token_use "id", not expired. Plain
 * CommonJS because serverless-offline require()s the authorizer that uses it.
 */
const { createPublicKey, verify } = require('node:crypto');

class InvalidToken extends Error {}

/** @param {string} part */
function decodeJson(part) {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidToken('malformed token');
  }
}

/**
 * Fetches and caches the pool's signing keys; an unknown key id triggers one refetch, at most every 10 s.
 * @param {string} jwksUrl
 */
function createKeyStore(jwksUrl) {
  /** @type {Map<string, import('node:crypto').KeyObject>} */
  let keys = new Map();
  let fetchedAt = 0;
  /** @param {string} kid */
  return async function keyFor(kid) {
    if (!keys.has(kid) && Date.now() - fetchedAt > 10_000) {
      const response = await fetch(jwksUrl, { signal: AbortSignal.timeout(3_000) });
      if (!response.ok) throw new Error(`JWKS ${jwksUrl} answered ${response.status}`);
      const { keys: jwks } = /** @type {{ keys: Array<import('node:crypto').JsonWebKey & { kid: string }> }} */ (
        await response.json()
      );
      keys = new Map(jwks.map((jwk) => [jwk.kid, createPublicKey({ key: jwk, format: 'jwk' })]));
      fetchedAt = Date.now();
    }
    const key = keys.get(kid);
    if (!key) throw new InvalidToken('token signed by an unknown key');
    return key;
  };
}

/**
 * @typedef {{ issuer: string, audience: string, keyFor: (kid: string) => Promise<import('node:crypto').KeyObject>, now?: () => number }} VerifyOptions
 * @param {string | undefined} token
 * @param {VerifyOptions} options
 * @returns {Promise<Record<string, unknown>>} the verified claims
 */
async function verifyIdToken(token, { issuer, audience, keyFor, now = () => Date.now() / 1000 }) {
  if (!token) throw new InvalidToken('missing token');
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[0] || !parts[1]) throw new InvalidToken('malformed token');
  const [encodedHeader = '', encodedPayload = '', signature = ''] = parts;
  const header = decodeJson(encodedHeader);
  const claims = decodeJson(encodedPayload);
  if (typeof header !== 'object' || header === null || typeof claims !== 'object' || claims === null) {
    throw new InvalidToken('malformed token');
  }
  // Only RS256: this also refuses unsigned ("alg": "none") and HMAC tokens forged with the public key.
  if (header.alg !== 'RS256') throw new InvalidToken(`unsupported algorithm ${String(header.alg)}`);
  const key = await keyFor(String(header.kid));
  const signed = Buffer.from(`${encodedHeader}.${encodedPayload}`);
  if (!signature || !verify('RSA-SHA256', signed, key, Buffer.from(signature, 'base64url'))) {
    throw new InvalidToken('bad signature');
  }
  if (claims.iss !== issuer) throw new InvalidToken('wrong issuer');
  if (claims.token_use !== 'id') throw new InvalidToken('not an ID token');
  if (claims.aud !== audience) throw new InvalidToken('wrong audience');
  if (typeof claims.exp !== 'number' || claims.exp <= now()) throw new InvalidToken('expired token');
  if (typeof claims.sub !== 'string' || claims.sub === '') throw new InvalidToken('token without a subject');
  return claims;
}

/** API Gateway's date format for exp and iat claims, e.g. "Fri Nov 27 15:00:00 UTC 2026". */
/** @param {number} seconds */
function gatewayDate(seconds) {
  const d = new Date(seconds * 1000);
  const day = d.toLocaleString('en-US', { weekday: 'short', timeZone: 'UTC' });
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const pad = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return `${day} ${month} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/**
 * Claims as API Gateway REST hands them to Lambda: every value a string.
 * @param {Record<string, unknown>} claims
 * @returns {Record<string, string>}
 */
function claimsAsGatewaySends(claims) {
  return Object.fromEntries(
    Object.entries(claims).map(([name, value]) => {
      if ((name === 'exp' || name === 'iat') && typeof value === 'number') return [name, gatewayDate(value)];
      if (typeof value === 'string') return [name, value];
      if (Array.isArray(value)) return [name, `[${value.join(' ')}]`];
      if (typeof value === 'object' && value !== null) return [name, JSON.stringify(value)];
      return [name, String(value)];
    }),
  );
}

module.exports = { verifyIdToken, createKeyStore, claimsAsGatewaySends, InvalidToken };
