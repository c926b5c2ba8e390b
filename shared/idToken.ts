/**
 * An ID token of the user pool, checked by AWS's aws-jwt-verify as API Gateway's Cognito user pool authorizer checks
 * it: the signature by a key of the pool's JWKS, the pool's issuer, `token_use` = id, the app client as audience,
 * not expired; and a subject. Used by the local authorizer and by POST /clicks, which accepts a token without
 * requiring one.
 *
 * The verifier is aws-jwt-verify's generic JwtVerifier with the checks its CognitoJwtVerifier makes of an ID token
 * (the audience is the app client, `token_use` is id): CognitoJwtVerifier derives the issuer from a pool id in AWS's
 * format, and the local Cognito's issuer is http://127.0.0.1:<port>/<poolId>. (Its own claim check,
 * validateCognitoJwtFields, would bring the whole CognitoJwtVerifier into POST /clicks's bundle, past its budget.) Its JWKS cache fetches a pool's keys once, merges concurrent
 * fetches, and refetches for an unknown key id at most once every 10 s (its penalty box).
 */
import { JwtVerifier } from 'aws-jwt-verify';
import { FetchError, JwksValidationError, JwtBaseError } from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { traceRemoteCall } from './tracing';

/**
 * Seconds a token is still accepted after its expiry: Cognito's, API Gateway's and Lambda's clocks are synchronised
 * by AWS, so this only absorbs the moment between a check on the page and the request's arrival.
 */
export const CLOCK_TOLERANCE_SECONDS = 30;

const JWKS_TIMEOUT_MS = 3_000;

export class InvalidToken extends Error {}

export type IdTokenClaims = Record<string, unknown> & { sub: string };

export interface PoolSettings {
  /** `https://cognito-idp.<region>.amazonaws.com/<poolId>`, or the local Cognito's `http://127.0.0.1:<port>/<poolId>`. */
  issuer: string;
  /** The app client: an ID token's audience. */
  clientId: string;
  /** How the pool's JWKS is fetched (tests give their own). */
  fetcher?: Fetcher;
}

export type IdTokenCheck = (token: string | undefined) => Promise<IdTokenClaims>;

/**
 * The pool's JWKS through node's fetch, which speaks http too (aws-jwt-verify's own fetcher speaks https only, and
 * the local Cognito's JWKS is http), with a time limit, as an X-Ray subsegment of its own.
 */
export const jwksFetcher: Fetcher = {
  fetch: async (uri) => {
    const response = await traceRemoteCall(uri, 'GET', async () => {
      const answer = await fetch(uri, { signal: AbortSignal.timeout(JWKS_TIMEOUT_MS) });
      return { status: answer.status, result: answer };
    });
    if (!response.ok) throw new FetchError(uri, `status ${response.status}`);
    return response.arrayBuffer();
  },
};

/**
 * The pool's ID token check. Made once per container (at module scope), so the keys are fetched once. A token that
 * fails any check is an InvalidToken; keys that cannot be fetched or read are another error (the caller decides).
 */
export function idTokenCheck({ issuer, clientId, fetcher = jwksFetcher }: PoolSettings): IdTokenCheck {
  const verifier = JwtVerifier.create(
    {
      issuer,
      jwksUri: `${issuer}/.well-known/jwks.json`,
      // An ID token's audience is the app client.
      audience: clientId,
      graceSeconds: CLOCK_TOLERANCE_SECONDS,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== 'id') throw new InvalidToken('not an ID token');
        // Cognito's ID tokens always carry both; aws-jwt-verify would accept a token without an expiry.
        if (typeof payload.exp !== 'number') throw new InvalidToken('token without an expiry');
        if (typeof payload.sub !== 'string' || payload.sub === '') throw new InvalidToken('token without a subject');
      },
    },
    { jwksCache: new SimpleJwksCache({ fetcher }) },
  );
  return async (token) => {
    if (!token) throw new InvalidToken('missing token');
    try {
      return (await verifier.verify(token)) as IdTokenClaims;
    } catch (error) {
      if (error instanceof InvalidToken) throw error;
      // The keys out of reach, or not keys at all, say nothing about the token.
      if (error instanceof FetchError || error instanceof JwksValidationError || !(error instanceof JwtBaseError)) throw error;
      throw new InvalidToken(error.message);
    }
  };
}

/** The raw token of an Authorization header ("Bearer " tolerated, as API Gateway's Cognito authorizer does). */
export function bearerToken(header: unknown): string | undefined {
  return typeof header === 'string' ? header.replace(/^Bearer /i, '').trim() || undefined : undefined;
}
