/**
 * The production sign-in on the local system: SRP (USER_SRP_AUTH, PASSWORD_VERIFIER) with amazon-cognito-identity-js
 * (a client independent of the website's, which siteAuth.test.ts runs) against the running local Cognito, then the API
 * with its token; refresh; a forgotten password; and every refusal over HTTP, as Cognito gives it.
 */
import {
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { CognitoUserSession } from 'amazon-cognito-identity-js';
import { formatTimestamp, N, poolName } from '../../local/srp';
import {
  api,
  cognitoClient,
  decode,
  EVANGELINE,
  mailbox,
  newUser,
  PASSWORD,
  signInWithSrp,
  startTestStack,
  type TestStack,
  type User,
} from '../support/localStack';
import { clientSignature, srpClient } from '../support/srpClient';

jest.setTimeout(120_000);

let stack: TestStack;
let ada: User;
beforeAll(async () => {
  stack = await startTestStack();
  ada = await newUser(stack, 'srp');
});
afterAll(() => stack?.destroy());

const signIn = (email: string, password: string) => signInWithSrp(stack, email, password);

const INCORRECT = { code: 'NotAuthorizedException', message: 'Incorrect username or password.' };

test('an SRP sign-in gets an ID token of the pool, and the API accepts it', async () => {
  const { session } = await signIn(ada.email, PASSWORD);
  const idToken = session.getIdToken().getJwtToken();
  expect(decode(idToken)).toMatchObject({ sub: ada.sub, email: ada.email, token_use: 'id', aud: stack.info.userPoolClientId });
  const like = await api(stack, `/mysfits/${EVANGELINE}/like`, { method: 'POST', token: idToken });
  expect(like.status).toBe(200);
  expect((await api(stack, '/me', { token: idToken })).body).toMatchObject({ userId: ada.sub, liked: [EVANGELINE] });
});

test('after an SRP sign-in the refresh token gives new tokens', async () => {
  const { user, session } = await signIn(ada.email, PASSWORD);
  const fresh = await new Promise<CognitoUserSession>((resolve, reject) =>
    user.refreshSession(session.getRefreshToken(), (error: unknown, next: CognitoUserSession) => (error ? reject(error) : resolve(next))),
  );
  const idToken = fresh.getIdToken().getJwtToken();
  expect(decode(idToken).sub).toBe(ada.sub);
  expect((await api(stack, '/me', { token: idToken })).status).toBe(200);
});

test('signing out revokes the refresh token (RevokeToken, as amazon-cognito-identity-js does it): it refreshes no more', async () => {
  const { user, session } = await signIn(ada.email, PASSWORD);
  // The tokens carry origin_jti, as Cognito's do with revocation on: the library revokes only then.
  expect(decode(session.getAccessToken().getJwtToken()).origin_jti).toEqual(expect.any(String));
  const refreshToken = session.getRefreshToken().getToken();
  const client = cognitoClient(stack);
  const refresh = () =>
    client.send(
      new InitiateAuthCommand({
        ClientId: stack.info.userPoolClientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      }),
    );
  try {
    expect((await refresh()).AuthenticationResult?.IdToken).toEqual(expect.any(String));
    await new Promise<void>((resolve, reject) => user.signOut((error?: unknown) => (error ? reject(error) : resolve())));
    await expect(refresh()).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  } finally {
    client.destroy();
  }
});

test('a forgotten password, reset with the mailed code: SRP with the new one works, with the old one is refused', async () => {
  const person = await newUser(stack, 'srp-forgot');
  const client = cognitoClient(stack);
  const ClientId = stack.info.userPoolClientId;
  try {
    await client.send(new ForgotPasswordCommand({ ClientId, Username: person.email }));
    const [message] = await mailbox(stack, person.email);
    expect(message?.kind).toBe('forgot-password');
    await client.send(
      new ConfirmForgotPasswordCommand({ ClientId, Username: person.email, ConfirmationCode: message?.code, Password: 'Renewed2026x' }),
    );
  } finally {
    client.destroy();
  }
  const { session } = await signIn(person.email, 'Renewed2026x');
  expect(decode(session.getIdToken().getJwtToken()).sub).toBe(person.sub);
  await expect(signIn(person.email, PASSWORD)).rejects.toMatchObject(INCORRECT);
});

test('a wrong password and an unknown user are refused alike', async () => {
  await expect(signIn(ada.email, 'Mysfits2027')).rejects.toMatchObject(INCORRECT);
  await expect(signIn(`nobody-${Date.now()}@example.com`, PASSWORD)).rejects.toMatchObject(INCORRECT);
});

test('an unconfirmed user with the right password is told so', async () => {
  const email = `unconfirmed-${Date.now()}@example.com`;
  const client = cognitoClient(stack);
  try {
    await client.send(
      new SignUpCommand({
        ClientId: stack.info.userPoolClientId,
        Username: email,
        Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
  } finally {
    client.destroy();
  }
  await expect(signIn(email, PASSWORD)).rejects.toMatchObject({ code: 'UserNotConfirmedException' });
});

describe('refusals over HTTP, step by step with the AWS SDK', () => {
  /** InitiateAuth with SRP_A from the library's helper; then the answer, signed as the library signs it. */
  async function challenge(srpA?: string) {
    const client = cognitoClient(stack);
    const helper = await srpClient(poolName(stack.info.userPoolId));
    const started = await client.send(
      new InitiateAuthCommand({
        ClientId: stack.info.userPoolClientId,
        AuthFlow: 'USER_SRP_AUTH',
        AuthParameters: { USERNAME: ada.email, SRP_A: srpA ?? helper.A },
      }),
    );
    const params = started.ChallengeParameters as Record<string, string>;
    const respond = async (overrides: { timestamp?: string; signature?: string } = {}) => {
      const timestamp = overrides.timestamp ?? formatTimestamp(new Date());
      const key = await helper.key(params.USER_ID_FOR_SRP as string, PASSWORD, params.SRP_B as string, params.SALT as string);
      const signature =
        overrides.signature ??
        clientSignature(key, poolName(stack.info.userPoolId), params.USER_ID_FOR_SRP as string, params.SECRET_BLOCK as string, timestamp);
      return client.send(
        new RespondToAuthChallengeCommand({
          ClientId: stack.info.userPoolClientId,
          ChallengeName: 'PASSWORD_VERIFIER',
          ChallengeResponses: {
            USERNAME: params.USER_ID_FOR_SRP as string,
            PASSWORD_CLAIM_SECRET_BLOCK: params.SECRET_BLOCK as string,
            TIMESTAMP: timestamp,
            PASSWORD_CLAIM_SIGNATURE: signature,
          },
        }),
      );
    };
    return { started, params, respond, done: () => client.destroy() };
  }

  const refusedAs = (error: unknown) => ({ name: (error as Error).name, message: (error as Error).message });

  test("the challenge is Cognito's, and the right answer gets tokens", async () => {
    const { started, params, respond, done } = await challenge();
    try {
      expect(started.ChallengeName).toBe('PASSWORD_VERIFIER');
      expect(Object.keys(params).sort()).toEqual(['SALT', 'SECRET_BLOCK', 'SRP_B', 'USERNAME', 'USER_ID_FOR_SRP']);
      expect(params.USER_ID_FOR_SRP).toBe(ada.sub);
      const answered = await respond();
      expect(decode(answered.AuthenticationResult?.IdToken as string).sub).toBe(ada.sub);
    } finally {
      done();
    }
  });

  test.each([
    ['a tampered signature', { signature: Buffer.alloc(32, 9).toString('base64') }],
    ["a timestamp not in Cognito's format", { timestamp: new Date().toISOString() }],
  ])('%s: NotAuthorizedException, no token', async (_case, overrides) => {
    const { respond, done } = await challenge();
    try {
      const error = await respond(overrides).catch((e: unknown) => e);
      expect(refusedAs(error)).toEqual({ name: 'NotAuthorizedException', message: INCORRECT.message });
    } finally {
      done();
    }
  });

  test('a signature replayed: the second use is refused', async () => {
    const { respond, done } = await challenge();
    try {
      const timestamp = formatTimestamp(new Date());
      await respond({ timestamp });
      const error = await respond({ timestamp }).catch((e: unknown) => e);
      expect(refusedAs(error)).toEqual({ name: 'NotAuthorizedException', message: INCORRECT.message });
    } finally {
      done();
    }
  });

  test.each([
    ['0', '0'],
    ['N (0 mod N)', N.toString(16)],
    ['beyond N', (N * 3n).toString(16)],
  ])('SRP_A %s: NotAuthorizedException at InitiateAuth', async (_case, srpA) => {
    const error = await challenge(srpA).catch((e: unknown) => e);
    expect(refusedAs(error)).toEqual({ name: 'NotAuthorizedException', message: INCORRECT.message });
  });
});
