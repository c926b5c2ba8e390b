/**
 * The website's own Cognito client (web/src/auth.ts, on Amplify) run in Node against the local system: sign up,
 * confirm with the mailed code, log in with SRP, an ID token the API accepts, a forced refresh (the site's path after
 * a 401) giving a new one, log out; and refusals in the site's words. The browser tier runs the same class in a page.
 * Also GetTokensFromRefreshToken, which Amplify refreshes with and the local Cognito adds to cognito-local.
 */
import { GetTokensFromRefreshTokenCommand, RevokeTokenCommand } from '@aws-sdk/client-cognito-identity-provider';
import { Auth, AuthError, type CognitoSettings } from '../../web/src/auth';
import { api, cognitoClient, decode, mailbox, newUser, PASSWORD, startTestStack, type TestStack } from '../support/localStack';

jest.setTimeout(120_000);

let stack: TestStack;
let auth: Auth;
beforeAll(async () => {
  stack = await startTestStack();
  // What the page reads at start.
  const config = (await (await fetch(`${stack.info.websiteUrl}/config.json`)).json()) as CognitoSettings;
  auth = new Auth(config);
});
afterAll(() => stack?.destroy());

const uniqueEmail = (name: string) => `${name}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;

async function registered(name: string): Promise<string> {
  const email = uniqueEmail(name);
  await auth.signUp(email, PASSWORD);
  const [message] = await mailbox(stack, email);
  await auth.confirm(email, message?.code ?? '');
  return email;
}

test('log in with SRP, the API takes the ID token, a forced refresh gives a new one, log out forgets it', async () => {
  const email = await registered('site-auth');
  expect(await auth.idToken()).toBeNull();
  await auth.logIn(` ${email.toUpperCase()} `, PASSWORD);
  expect(await auth.email()).toBe(email);
  const idToken = (await auth.idToken()) as string;
  expect(decode(idToken)).toMatchObject({ email, token_use: 'id', aud: stack.info.userPoolClientId });
  expect((await api(stack, '/me', { token: idToken })).status).toBe(200);

  // A token issued in the same second as the first has the same claims: wait for a new iat.
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  const fresh = (await auth.refreshedIdToken()) as string;
  expect(fresh).not.toBe(idToken);
  expect(decode(fresh).sub).toBe(decode(idToken).sub);
  expect((await api(stack, '/me', { token: fresh })).status).toBe(200);

  await auth.logOut();
  expect(await auth.idToken()).toBeNull();
  expect(await auth.refreshedIdToken()).toBeNull();
  // And in again, over a session that ended.
  await auth.logIn(email, PASSWORD);
  expect(await auth.email()).toBe(email);
  await auth.logOut();
});

test('logging in over another session logs the new person in', async () => {
  const first = await registered('site-first');
  const second = await registered('site-second');
  await auth.logIn(first, PASSWORD);
  await auth.logIn(second, PASSWORD);
  expect(await auth.email()).toBe(second);
  await auth.logOut();
});

test.each([
  ['a wrong password', async () => auth.logIn(await registered('site-wrong'), 'Wrong2026x'), 'Incorrect email or password.'],
  ['an unknown user', async () => auth.logIn(uniqueEmail('site-nobody'), PASSWORD), 'Incorrect email or password.'],
  [
    'an unconfirmed user',
    async () => {
      const email = uniqueEmail('site-unconfirmed');
      await auth.signUp(email, PASSWORD);
      await auth.logIn(email, PASSWORD);
    },
    'This account is not confirmed yet: enter the code we emailed you.',
  ],
  [
    'an email already registered',
    async () => auth.signUp(await registered('site-twice'), PASSWORD),
    'An account with this email already exists. Log in, or use "Forgot password".',
  ],
  [
    'a wrong confirmation code',
    async () => {
      const email = uniqueEmail('site-code');
      await auth.signUp(email, PASSWORD);
      const [message] = await mailbox(stack, email);
      await auth.confirm(email, message?.code === '000000' ? '111111' : '000000');
    },
    'That code is not right. Check the latest email, or send a new code.',
  ],
])('%s is refused in the words the page shows', async (_case, act, message) => {
  const error = await act().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AuthError);
  expect((error as AuthError).message).toBe(message);
  expect(await auth.idToken()).toBeNull();
});

test('GetTokensFromRefreshToken: new tokens for a live refresh token, none for a revoked one', async () => {
  const person = await newUser(stack, 'site-refresh');
  const client = cognitoClient(stack);
  const ClientId = stack.info.userPoolClientId;
  const refresh = () => client.send(new GetTokensFromRefreshTokenCommand({ ClientId, RefreshToken: person.refreshToken }));
  try {
    const { AuthenticationResult: result } = await refresh();
    expect(decode(result?.IdToken as string)).toMatchObject({ sub: person.sub, token_use: 'id' });
    expect(decode(result?.AccessToken as string)).toMatchObject({ sub: person.sub, token_use: 'access', origin_jti: expect.any(String) });
    // No rotation: the refresh token stays the one the person has.
    expect(result?.RefreshToken).toBeUndefined();
    await client.send(new RevokeTokenCommand({ ClientId, Token: person.refreshToken }));
    await expect(refresh()).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    await expect(client.send(new GetTokensFromRefreshTokenCommand({ ClientId, RefreshToken: 'not-a-token' }))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });
  } finally {
    client.destroy();
  }
});
