/**
 * Verifies a Cognito ID token as API Gateway's Cognito user pool authorizer does: RS256 signature by a key of the
 * pool's JWKS, the pool's issuer, the app client as audience, token_use "id", not expired. Used by the local
 * authorizer and by the functions that accept a token without requiring one (POST /clicks).
 */
import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';

export class InvalidToken extends Error {}

export type KeyLookup = (kid: string) => Promise<KeyObject>;

export interface VerifyOptions {
  issuer: string;
  audience: string;
  keyFor: KeyLookup;
  now?: () => number;
}

function decodeJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidToken('malformed token');
  }
}

/** The pool's signing keys, fetched once and cached; an unknown key id refetches, at most every 10 s. */
export function createKeyStore(jwksUrl: string): KeyLookup {
  let keys = new Map<string, KeyObject>();
  let fetchedAt = 0;
  return async (kid) => {
    if (!keys.has(kid) && Date.now() - fetchedAt > 10_000) {
      const response = await fetch(jwksUrl, { signal: AbortSignal.timeout(3_000) });
      if (!response.ok) throw new Error(`JWKS ${jwksUrl} answered ${response.status}`);
      const { keys: jwks } = (await response.json()) as { keys: Array<JsonWebKey & { kid: string }> };
      keys = new Map(jwks.map((jwk) => [jwk.kid, createPublicKey({ key: jwk, format: 'jwk' })]));
      fetchedAt = Date.now();
    }
    const key = keys.get(kid);
    if (!key) throw new InvalidToken('token signed by an unknown key');
    return key;
  };
}

/** The verified claims of an ID token, or an InvalidToken saying what is wrong with it. */
export async function verifyIdToken(token: string | undefined, options: VerifyOptions): Promise<Record<string, unknown>> {
  const { issuer, audience, keyFor, now = () => Date.now() / 1000 } = options;
  if (!token) throw new InvalidToken('missing token');
  const [encodedHeader, encodedPayload, signature, ...rest] = token.split('.');
  if (!encodedHeader || !encodedPayload || signature === undefined || rest.length > 0) throw new InvalidToken('malformed token');
  const header = decodeJson(encodedHeader) as Record<string, unknown> | null;
  const claims = decodeJson(encodedPayload) as Record<string, unknown> | null;
  if (!header || typeof header !== 'object' || !claims || typeof claims !== 'object') throw new InvalidToken('malformed token');
  // Only RS256: this also refuses unsigned ("alg": "none") tokens and HMAC tokens forged with the public key.
  if (header.alg !== 'RS256') throw new InvalidToken(`unsupported algorithm ${String(header.alg)}`);
  const key = await keyFor(String(header.kid));
  if (!signature || !verify('RSA-SHA256', Buffer.from(`${encodedHeader}.${encodedPayload}`), key, Buffer.from(signature, 'base64url'))) {
    throw new InvalidToken('bad signature');
  }
  if (claims.iss !== issuer) throw new InvalidToken('wrong issuer');
  if (claims.token_use !== 'id') throw new InvalidToken('not an ID token');
  if (claims.aud !== audience) throw new InvalidToken('wrong audience');
  if (typeof claims.exp !== 'number' || claims.exp <= now()) throw new InvalidToken('expired token');
  if (typeof claims.sub !== 'string' || claims.sub === '') throw new InvalidToken('token without a subject');
  return claims;
}

/** The raw token of an Authorization header ("Bearer " tolerated, as API Gateway's Cognito authorizer does). */
export function bearerToken(header: unknown): string | undefined {
  return typeof header === 'string' ? header.replace(/^Bearer /i, '').trim() || undefined : undefined;
}
