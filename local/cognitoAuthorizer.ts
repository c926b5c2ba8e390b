/**
 * serverless-offline's customAuthenticationProvider: enforces the Cognito user pool authorizer locally.
 * serverless-offline calls this for every route of serverless.yml: routes with an `authorizer` there require a
 * valid ID token of the local pool (else 401 JSON with CORS headers, and the handler never runs); the others
 * pass through. The verified claims reach the handler as strings, as API Gateway sends them.
 *
 * Settings (from `npm start`, read at each request: the plugin sets them once the local pool is known):
 * COGNITO_ISSUER (http://127.0.0.1:<port>/<poolId>) and COGNITO_CLIENT_ID. As it runs first for every request, it
 * also holds a request that comes while the local services are still starting (startingGate.ts). The stack runs
 * serverless offline with tsx's require hook, which is how this TypeScript file is loaded.
 */
import { bearerToken, idTokenCheck, InvalidToken } from '../shared/idToken';
import { claimsAsGatewaySends } from './gatewayClaims';
import { dropAuthorizerOverride, handOverClaims } from './serverlessOfflineInternals';
import { untilStarted } from './startingGate';

/** The token check for the settings as they are now (the plugin sets them once the local pool is known). */
let check: { issuer: string; audience: string; checkIdToken: ReturnType<typeof idTokenCheck> } | undefined;
function currentCheck() {
  const issuer = process.env.COGNITO_ISSUER ?? '';
  const audience = process.env.COGNITO_CLIENT_ID ?? '';
  if (check?.issuer !== issuer || check.audience !== audience) {
    check = { issuer, audience, checkIdToken: idTokenCheck({ issuer, clientId: audience }) };
  }
  return check;
}

interface HapiRequest {
  raw: { req: { rawHeaders: string[] } };
  headers: Record<string, unknown>;
}

interface HapiToolkit {
  authenticated(result: { credentials: Record<string, unknown> }): unknown;
  response(body: unknown): { code(status: number): HapiResponse };
}

interface HapiResponse {
  type(type: string): HapiResponse;
  header(name: string, value: string): HapiResponse;
  takeover(): unknown;
}

interface Endpoint {
  authorizer?: unknown;
  cors?: { origin?: string };
}

function cognitoAuthorizer(endpoint: Endpoint, functionKey: string, method: string, path: string) {
  const name = `cognito-${functionKey}-${method}-${path}`.replace(/[^A-Za-z0-9-]/g, '_');
  const origin = endpoint.cors?.origin ?? '*';
  return {
    name,
    scheme: name,
    getAuthenticateFunction: () => ({
      async authenticate(request: HapiRequest, h: HapiToolkit) {
        const refuse = (status: number, message: string) =>
          h.response({ message }).code(status).type('application/json').header('Access-Control-Allow-Origin', origin);
        const unauthorized = () => refuse(401, 'Unauthorized').header('x-amzn-ErrorType', 'UnauthorizedException').takeover();

        // serverless-offline would take a client's own authorizer result from a header: never accept that.
        dropAuthorizerOverride(request);
        // While the local services start beside serverless offline, a request waits for them.
        const up = await untilStarted().then(
          () => true,
          () => false,
        );
        if (!up) return refuse(503, 'The local system did not start: see the terminal.').takeover();
        if (!endpoint.authorizer) return h.authenticated({ credentials: {} });

        const { issuer, audience, checkIdToken } = currentCheck();
        if (!issuer || !audience) {
          console.error('cognito authorizer: COGNITO_ISSUER and COGNITO_CLIENT_ID are not set (start the API with npm start)');
          return unauthorized();
        }
        try {
          const claims = await checkIdToken(bearerToken(request.headers.authorization));
          handOverClaims(request, claimsAsGatewaySends(claims));
          return h.authenticated({ credentials: { principalId: claims.sub } });
        } catch (error) {
          if (!(error instanceof InvalidToken)) console.error(`cognito authorizer: ${(error as Error).message}`);
          return unauthorized();
        }
      },
    }),
  };
}

// serverless-offline require()s this module and calls its export.
module.exports = cognitoAuthorizer;
