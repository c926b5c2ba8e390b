/**
 * A client of a running local system (tests and the bench use it): its API over HTTP, users made through the Cognito
 * API and the mailbox, and an SRP sign-in by a client of its own (the website's is web/src/auth.ts).
 */
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js';
import { LOCAL_CREDENTIALS } from '../shared/localCredentials';
import type { StackInfo } from './stackInfo';

export const EVANGELINE = '4e53920c-505a-4a90-a694-b9300791f0ae';
export const PASSWORD = 'Mysfits2026';

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

export async function api(
  stack: { info: Pick<StackInfo, 'apiUrl'> },
  path: string,
  init: { method?: string; token?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token !== undefined) headers.Authorization = init.token;
  const response = await fetch(`${stack.info.apiUrl}${path}`, { method: init.method ?? 'GET', headers });
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`${init.method ?? 'GET'} ${path} answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  return { status: response.status, headers: response.headers, body };
}

export function cognitoClient(stack: { info: StackInfo }): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint: stack.info.cognitoEndpoint,
    region: stack.info.region,
    credentials: LOCAL_CREDENTIALS,
  });
}

export interface MailboxMessage {
  address: string;
  kind: string;
  code: string;
  time: string;
}

export async function mailbox(stack: { info: StackInfo }, address: string): Promise<MailboxMessage[]> {
  const response = await fetch(`${stack.info.websiteUrl}/mailbox.json?address=${encodeURIComponent(address)}`);
  return ((await response.json()) as { messages: MailboxMessage[] }).messages;
}

export interface User {
  email: string;
  idToken: string;
  accessToken: string;
  refreshToken: string;
  sub: string;
}

/** Signs a new user up, reads the code from the mailbox, confirms, and logs in with USER_PASSWORD_AUTH. */
export async function newUser(stack: { info: StackInfo }, name: string): Promise<User> {
  const client = cognitoClient(stack);
  const email = `${name}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
  const ClientId = stack.info.userPoolClientId;
  await client.send(
    new SignUpCommand({ ClientId, Username: email, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] }),
  );
  const [message] = await mailbox(stack, email);
  if (!message) throw new Error(`no code in the mailbox for ${email}`);
  await client.send(new ConfirmSignUpCommand({ ClientId, Username: email, ConfirmationCode: message.code }));
  const { AuthenticationResult: result } = await passwordSignIn(client, stack, email);
  client.destroy();
  const idToken = result?.IdToken as string;
  return {
    email,
    idToken,
    accessToken: result?.AccessToken as string,
    refreshToken: result?.RefreshToken as string,
    sub: decode(idToken).sub as string,
  };
}

/** A sign-in with USER_PASSWORD_AUTH through the AWS SDK (`cognitoClient(stack)`): one round trip, no SRP arithmetic. */
export function passwordSignIn(client: CognitoIdentityProviderClient, stack: { info: StackInfo }, email: string) {
  const AuthParameters = { USERNAME: email, PASSWORD };
  return client.send(new InitiateAuthCommand({ ClientId: stack.info.userPoolClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters }));
}

export function decode(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/**
 * An SRP sign-in by amazon-cognito-identity-js's CognitoUser.authenticateUser (USER_SRP_AUTH): a client independent of
 * the local Cognito's SRP and of the website's (Amplify), and the one the website used before issue 19.
 */
export function signInWithSrp(
  stack: { info: Pick<StackInfo, 'userPoolId' | 'userPoolClientId'> & { cognitoEndpoint?: string } },
  email: string,
  password: string,
): Promise<{ user: CognitoUser; session: CognitoUserSession }> {
  const pool = new CognitoUserPool({
    UserPoolId: stack.info.userPoolId,
    ClientId: stack.info.userPoolClientId,
    endpoint: stack.info.cognitoEndpoint,
  });
  const user = new CognitoUser({ Username: email, Pool: pool });
  user.setAuthenticationFlowType('USER_SRP_AUTH');
  return new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: email, Password: password }), {
      onSuccess: (session) => resolve({ user, session }),
      onFailure: reject,
    }),
  );
}
