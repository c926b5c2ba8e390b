// @ts-check
'use strict';
/**
 * serverless-offline's customAuthenticationProvider: enforces the Cognito user pool authorizer locally.
 * serverless-offline calls this for every route of serverless.yml: routes with an `authorizer` there require a
 * valid ID token of the local pool (else 401 JSON with CORS headers, and the handler never runs); the others
 * pass through. The verified claims reach the handler as strings, as API Gateway sends them.
 *
 * Settings (from `npm start`): COGNITO_ENDPOINT (cognito-local's URL) and COGNITO_POOL_FILE, the JSON file with
 * the local pool's { userPoolId, userPoolClientId }. The file is read when a token arrives, so serverless offline
 * can start before the pool exists, and a new pool is picked up without a restart.
 */
const { readFileSync, statSync } = require('node:fs');
const { verifyIdToken, createKeyStore, claimsAsGatewaySends, InvalidToken } = require('./idToken');

// serverless-offline lets a request set its own authorizer result with this header; never accept that.
const OVERRIDE_HEADER = 'sls-offline-authorizer-override';

/** @typedef {{ issuer: string, audience: string, keyFor: (kid: string) => Promise<import('node:crypto').KeyObject> }} PoolSettings */
/** @type {{ mtimeMs: number, settings: PoolSettings } | undefined} */
let cached;

/** The local pool's issuer, client id and keys, from COGNITO_POOL_FILE (re-read when it changes). */
function poolSettings() {
  const endpoint = process.env.COGNITO_ENDPOINT;
  const file = process.env.COGNITO_POOL_FILE;
  if (!endpoint || !file) throw new Error('COGNITO_ENDPOINT and COGNITO_POOL_FILE are not set (start the API with npm start)');
  const { mtimeMs } = statSync(file);
  if (cached?.mtimeMs !== mtimeMs) {
    const { userPoolId, userPoolClientId } = JSON.parse(readFileSync(file, 'utf8'));
    const issuer = `${endpoint}/${userPoolId}`;
    cached = { mtimeMs, settings: { issuer, audience: userPoolClientId, keyFor: createKeyStore(`${issuer}/.well-known/jwks.json`) } };
  }
  return cached.settings;
}

/**
 * Drops every copy of a header from the raw request, which is what serverless-offline builds the event from.
 * @param {{ raw: { req: { rawHeaders?: string[] } }, headers: Record<string, unknown> }} request
 * @param {string} name
 */
function removeRawHeader(request, name) {
  const raw = request.raw.req.rawHeaders ?? [];
  const kept = [];
  for (let i = 0; i < raw.length; i += 2) {
    if (String(raw[i]).toLowerCase() !== name) kept.push(raw[i], raw[i + 1]);
  }
  request.raw.req.rawHeaders = /** @type {string[]} */ (kept);
  delete request.headers[name];
}

/**
 * @param {{ authorizer?: unknown, cors?: { origin?: string } }} endpoint the route's http event from serverless.yml
 * @param {string} functionKey
 * @param {string} method
 * @param {string} path
 */
module.exports = function cognitoAuthorizer(endpoint, functionKey, method, path) {
  const name = `cognito-${functionKey}-${method}-${path}`.replace(/[^A-Za-z0-9-]/g, '_');
  const origin = endpoint.cors?.origin ?? '*';

  return {
    name,
    scheme: name,
    getAuthenticateFunction: () => ({
      /** @param {any} request @param {any} h */
      async authenticate(request, h) {
        removeRawHeader(request, OVERRIDE_HEADER);
        if (!endpoint.authorizer) return h.authenticated({ credentials: {} });

        const unauthorized = () =>
          h
            .response({ message: 'Unauthorized' })
            .code(401)
            .type('application/json')
            .header('Access-Control-Allow-Origin', origin)
            .header('x-amzn-ErrorType', 'UnauthorizedException')
            .takeover();

        // API Gateway's Cognito authorizer takes the raw token from the Authorization header ("Bearer " tolerated).
        const header = request.headers.authorization;
        const token = typeof header === 'string' ? header.replace(/^Bearer /i, '').trim() : undefined;
        try {
          const claims = await verifyIdToken(token, poolSettings());
          // The event is built from the raw headers: hand the verified claims over as the authorizer result.
          request.raw.req.rawHeaders.push(OVERRIDE_HEADER, JSON.stringify({ claims: claimsAsGatewaySends(claims) }));
          return h.authenticated({ credentials: { principalId: claims.sub } });
        } catch (error) {
          if (!(error instanceof InvalidToken)) console.error(`cognito authorizer: ${/** @type {Error} */ (error).message}`);
          return unauthorized();
        }
      },
    }),
  };
};
