/** The signed-in user, taken only from the claims the Cognito authorizer verified, never from the request. */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { Unauthorized } from './errors';

export interface User {
  id: string;
  email?: string;
}

export function currentUser(event: APIGatewayProxyEvent): User {
  // API Gateway REST passes the ID token's claims as strings under authorizer.claims.
  const claims = event.requestContext.authorizer?.claims as Record<string, unknown> | undefined;
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub === '') throw new Unauthorized();
  const email = typeof claims?.email === 'string' ? claims.email : undefined;
  return { id: sub, email };
}
