/**
 * serverless-offline's customAuthenticationProvider: enforces the Cognito user pool authorizer locally.
 * serverless-offline calls this for every route of serverless.yml: routes with an `authorizer` there require a
 * valid ID token of the local pool (else 401 JSON with CORS headers, and the handler never runs); the others
 * pass through. The verified claims reach the handler as strings, as API Gateway sends them.
 *
 * Settings (from `npm start`): COGNITO_ISSUER (http://127.0.0.1:<port>/<poolId>) and COGNITO_CLIENT_ID. The stack
 * runs serverless offline with tsx's require hook, which is how this TypeScript file is loaded.
 */
import { bearerToken, idTokenCheck, InvalidToken } from '../shared/idToken';
import { claimsAsGatewaySends } from './gatewayClaims';
import { dropAuthorizerOverride, handOverClaims } from './serverlessOfflineInternals';

const issuer = process.env.COGNITO_ISSUER ?? '';
const audience = process.env.COGNITO_CLIENT_ID ?? '';
const checkIdToken = idTokenCheck({ issuer, clientId: audience });

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
        // serverless-offline would take a client's own authorizer result from a header: never accept that.
        dropAuthorizerOverride(request);
        if (!endpoint.authorizer) return h.authenticated({ credentials: {} });

        const unauthorized = () =>
          h
            .response({ message: 'Unauthorized' })
            .code(401)
            .type('application/json')
            .header('Access-Control-Allow-Origin', origin)
            .header('x-amzn-ErrorType', 'UnauthorizedException')
            .takeover();

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
